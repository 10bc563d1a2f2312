"""Read an uploaded CSV or XLSX file into header + rows of stripped strings.

Everything after this module works on one shape of data, whatever the coordinator's
spreadsheet program produced: Excel's cp1252 CSV, a semicolon CSV from a French locale, a
BOM, tabs, or a workbook.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import PurePath

CSV_EXTENSIONS = {".csv", ".txt", ".tsv"}
XLSX_EXTENSIONS = {".xlsx"}
DELIMITERS = ",;\t"
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (its message is shown to the user)."""


@dataclass(frozen=True)
class LineError:
    """One problem in one line; `column` is the header as written in the file, or None."""

    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}"
        return (
            f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


@dataclass
class Table:
    """`rows` holds (line number as a person counts it, header = line 1, values)."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    errors: list[LineError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_table(data: bytes, filename: str) -> Table:
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in CSV_EXTENSIONS:
        table = _read_csv(data)
    elif suffix in XLSX_EXTENSIONS:
        table = _read_xlsx(data)
    elif suffix == ".xls":
        raise ImportFileError(
            "old Excel .xls files cannot be read: save the sheet as .xlsx or CSV and upload that"
        )
    else:
        raise ImportFileError(
            f"{filename!r}: unknown file type {suffix or '(none)'}; upload a .csv, .tsv, .txt "
            "or .xlsx file"
        )
    if not table.rows and not table.errors:
        raise ImportFileError("the file has a header row but no data rows")
    return table


def _decode(data: bytes) -> tuple[str, str]:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _detect_delimiter(text: str) -> str:
    """csv.Sniffer limited to , ; and tab, checked against (or replaced by) header counts."""
    lines = [line for line in text[:65536].splitlines()[:50] if line.strip()]
    header = lines[0] if lines else ""
    counts = {d: header.count(d) for d in DELIMITERS}
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    if sniffed and counts.get(sniffed):
        return sniffed
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    if not text.strip():
        raise ImportFileError("the file is empty")
    delimiter = _detect_delimiter(text)
    notes = []
    if encoding != "utf-8-sig":
        notes.append(f"the file is not UTF-8; it was read as {encoding}")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    errors: list[LineError] = []
    next_line = 1
    try:
        for record in reader:
            line, next_line = next_line, reader.line_num + 1
            values = [value.strip() for value in record]
            if not any(values):
                continue
            if headers is None:
                headers = values
                continue
            _check_width(line, values, len(headers), errors)
            rows.append((line, values))
    except csv.Error as exc:
        raise ImportFileError(f"line {next_line}: the CSV cannot be read ({exc})") from exc
    if headers is None:
        raise ImportFileError("the file is empty")
    if delimiter != ",":
        notes.append(f"columns are separated by {DELIMITER_NAMES[delimiter]}s")
    return Table(headers, rows, errors, notes)


def _check_width(line: int, values: list[str], width: int, errors: list[LineError]) -> None:
    """Pad nothing: a short or long row is an error, but empty trailing cells are harmless."""
    while len(values) > width and values[-1] == "":
        values.pop()
    if len(values) != width:
        errors.append(LineError(line, None, f"has {len(values)} fields but the header has {width}"))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(data: bytes) -> Table:
    if not data:
        raise ImportFileError("the file is empty")
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors all mean "not a workbook"
        raise ImportFileError(
            f"the file cannot be read as an Excel workbook (.xlsx): {exc}"
        ) from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError("the workbook has no sheets")
        sheet = workbook.worksheets[0]
        headers: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        errors: list[LineError] = []
        for line, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = [_cell(value) for value in cells]
            if not any(values):
                continue
            if headers is None:
                while values and values[-1] == "":
                    values.pop()
                headers = values
                continue
            values += [""] * (len(headers) - len(values))
            _check_width(line, values, len(headers), errors)
            rows.append((line, values))
    finally:
        workbook.close()
    if headers is None:
        raise ImportFileError("the file is empty")
    notes = []
    if len(workbook.worksheets) > 1:
        notes.append(f"only the first sheet, {sheet.title!r}, was read")
    return Table(headers, rows, errors, notes)
