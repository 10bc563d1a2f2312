"""Read an uploaded CSV or XLSX file as a header and rows of stripped strings.

Everything after this module works on one shape of data, whatever the coordinator's
spreadsheet program produced: Excel's cp1252 CSV, a semicolon CSV from a French locale, a
BOM, tabs, or a workbook. `open_table` gives the rows as a stream that reads the file again
each time it is iterated (the import checks every row, then writes them), so a million-row
file never sits in memory as Python objects; `read_table` makes a list of them.
"""

import csv
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from observer_suite.imports.encoding import detect_encoding
from observer_suite.imports.errors import ImportFileError, LineError

CSV_EXTENSIONS = {".csv", ".txt", ".tsv"}
XLSX_EXTENSIONS = {".xlsx"}
DELIMITERS = ",;\t"
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
MB = 1024 * 1024
_BLANK = re.compile(rb"(?:\xef\xbb\xbf)?\s*")

Record = tuple[int, list[str]]  # (line number as a person counts it, header = line 1; values)

__all__ = ["ImportFileError", "Limits", "LineError", "Table", "open_table", "read_table"]


@dataclass(frozen=True)
class Limits:
    """How far an upload may expand once unpacked: rows of a sheet, bytes of a workbook."""

    max_rows: int = 500_000
    max_unpacked: int = 250 * MB  # all members of the .xlsx zip, as declared
    max_shared_strings: int = 50 * MB  # openpyxl holds this one in memory

    @classmethod
    def for_upload(cls, upload_limit: int, max_rows: int) -> "Limits":
        """A workbook may unpack to five times the upload limit (sheet XML is verbose)."""
        return cls(max_rows, 5 * upload_limit, upload_limit)


@dataclass
class Table:
    """`rows` is a list (read_table) or a RowStream (open_table); `errors` holds the rows'
    width problems for a list (a stream's consumer checks widths as it reads, see
    check_width); `estimate` is the number of data rows expected, for progress."""

    headers: list[str]
    rows: Iterable[Record]
    errors: list[LineError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    estimate: int = 0


class RowStream:
    """Data rows read from the file afresh on each iteration, as the file has them."""

    def __init__(self, records: Callable[[], Iterator[Record]]):
        self.records = records

    def __iter__(self) -> Iterator[Record]:
        count = 0
        for record in self.records():
            count += 1
            yield record
        if not count:
            raise ImportFileError("the file has a header row but no data rows")


def open_table(
    data: bytes, filename: str, limits: Limits | None = None, header: bool = True
) -> Table:
    """Check the file's type, encoding and header now; rows are read when iterated. Without
    a `header` row, the first row is data and the columns are named "column 1", "column 2"…"""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in CSV_EXTENSIONS:
        return _csv_table(data, header)
    if suffix in XLSX_EXTENSIONS:
        from observer_suite.imports.xlsx import xlsx_table

        return xlsx_table(data, limits or Limits(), header)
    if suffix == ".xls":
        raise ImportFileError(
            "old Excel .xls files cannot be read: save the sheet as .xlsx or CSV and upload that"
        )
    raise ImportFileError(
        f"{filename!r}: unknown file type {suffix or '(none)'}; upload a .csv, .tsv, .txt "
        "or .xlsx file"
    )


def read_table(
    data: bytes, filename: str, limits: Limits | None = None, header: bool = True
) -> Table:
    """The whole table in memory, its width problems in `errors`: for small files and tests."""
    table = open_table(data, filename, limits, header)
    table.rows = list(table.rows)
    for line, values in table.rows:
        check_width(line, values, len(table.headers), table.errors)
    return table


def check_width(line: int, values: list[str], width: int, errors: list[LineError]) -> bool:
    """Pad nothing: a short or long row is an error, but empty trailing cells are harmless
    (and are dropped, so checking a row twice gives the same answer)."""
    while len(values) > width and values[-1] == "":
        values.pop()
    if len(values) != width:
        errors.append(LineError(line, None, f"has {len(values)} fields but the header has {width}"))
        return False
    return True


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


def column_names(width: int) -> list[str]:
    return [f"column {number}" for number in range(1, width + 1)]


def _csv_table(data: bytes, header: bool = True) -> Table:
    if _BLANK.fullmatch(data):
        raise ImportFileError("the file is empty")
    encoding = detect_encoding(data)
    delimiter = _detect_delimiter(data[:65536].decode(encoding, errors="ignore"))

    def records() -> Iterator[Record]:
        return _csv_records(data, encoding, delimiter)

    first = list(itertools.islice(records(), 1))
    if not first:
        raise ImportFileError("the file is empty")
    headers = first[0][1] if header else column_names(len(first[0][1]))
    notes = [] if header else ["the file has no header row: its first row is data"]
    if encoding != "utf-8-sig":
        notes.append(f"the file is not UTF-8; it was read as {encoding}")
    if delimiter != ",":
        notes.append(f"columns are separated by {DELIMITER_NAMES[delimiter]}s")
    skip = 1 if header else 0
    rows = RowStream(lambda: itertools.islice(records(), skip, None))
    return Table(headers, rows, [], notes, estimate=max(data.count(b"\n") - skip, 1))


def _csv_records(data: bytes, encoding: str, delimiter: str) -> Iterator[Record]:
    """Non-blank records with their first line number, decoded as they are read."""
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    reader = csv.reader(text, delimiter=delimiter)
    next_line = 1
    try:
        for record in reader:
            line, next_line = next_line, reader.line_num + 1
            values = [value.strip() for value in record]
            if any(values):
                yield line, values
    except csv.Error as exc:
        raise ImportFileError(f"line {next_line}: the CSV cannot be read ({exc})") from exc
    except UnicodeDecodeError as exc:  # detect_encoding read it all, so this is a bug
        raise ImportFileError(f"line {next_line}: the file cannot be decoded ({exc})") from exc
