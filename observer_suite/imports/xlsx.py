"""Read the first sheet of an .xlsx workbook as a stream of rows, within limits.

A workbook is a zip of XML: a few hundred kB can unpack to gigabytes or declare a million
rows, and openpyxl finds damaged XML only while rows are being read. So the archive is
checked before openpyxl opens it (a zip, Excel's compression methods, declared sizes; zipfile
never unpacks a member past its declared size, so those sizes bound what is read), the
sheet's declared size before its rows are read, rows are counted as they stream, and any
error openpyxl raises on the way becomes a message about the file. Rows are read at most
MAX_COLUMNS wide, so a cell at column XFD cannot make every row 16,384 cells long.
"""

import datetime as dt
import io
import zipfile
from collections.abc import Iterator

from observer_suite.imports.errors import ImportFileError
from observer_suite.imports.tabular import MB, Limits, Record, RowStream, Table, column_names

MAX_COLUMNS = 512
MAX_MEMBERS = 10_000
EXCEL_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_UNREADABLE = "the file cannot be read as an Excel workbook (.xlsx)"
_AS_CSV = "save the sheet as CSV and upload that"


def xlsx_table(data: bytes, limits: Limits, header: bool = True) -> Table:
    if not data:
        raise ImportFileError("the file is empty")
    check_archive(data, limits)
    workbook = _load(data)
    try:
        if not workbook.worksheets:
            raise ImportFileError("the workbook has no sheets")
        sheet = workbook.worksheets[0]
        declared = sheet.max_row
        if declared is not None and declared > limits.max_rows + 1:
            raise ImportFileError(
                f"the sheet {sheet.title!r} declares {declared:,} rows; at most "
                f"{limits.max_rows:,} can be imported from a workbook: delete the rows below "
                f"the data or {_AS_CSV}"
            )
        notes = []
        if (sheet.max_column or 0) > MAX_COLUMNS:
            notes.append(f"only the first {MAX_COLUMNS} columns of the sheet were read")
        if len(workbook.worksheets) > 1:
            notes.append(f"only the first sheet, {sheet.title!r}, was read")
        header_line, headers = _header(_rows(workbook, limits))
    finally:
        workbook.close()
    width = len(headers)
    if not header:  # the first row with a value is data; name the columns by number
        header_line, headers = header_line - 1, column_names(width)
        notes.append("the sheet has no header row: its first row is data")

    def records() -> Iterator[Record]:
        for line, cells in _sheet_rows(data, limits):
            if line <= header_line:
                continue
            values = [_cell(value) for value in cells[:width]]
            rest = cells[width:]
            if rest.count(None) != len(rest):
                extra = [_cell(value) for value in rest]
                while extra and extra[-1] == "":
                    extra.pop()
                values += extra
            if any(values):
                yield line, values

    estimate = (declared or 0) - header_line
    return Table(headers, RowStream(records), [], notes, max(estimate, 0))


def check_archive(data: bytes, limits: Limits) -> None:
    """Refuse what is not an Excel zip, or what would unpack to far more than was sent."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportFileError(
            f"{_UNREADABLE}: it is not a zip archive, as .xlsx files are (a password-protected "
            "workbook is not either: remove the password)"
        ) from exc
    if len(members) > MAX_MEMBERS:
        raise ImportFileError(f"{_UNREADABLE}: the archive has {len(members):,} members")
    if "[Content_Types].xml" not in {member.filename for member in members}:
        raise ImportFileError(f"{_UNREADABLE}: it is a zip archive but not a workbook")
    for member in members:
        if member.compress_type not in EXCEL_METHODS or member.flag_bits & 0x1:
            raise ImportFileError(
                f"{_UNREADABLE}: {member.filename[:80]!r} is encrypted or compressed in a way "
                "Excel does not use"
            )
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked:
        raise ImportFileError(
            f"the workbook unpacks to {unpacked / MB:,.0f} MB, more than the "
            f"{limits.max_unpacked / MB:,.0f} MB a workbook may unpack to: {_AS_CSV}"
        )
    shared = sum(m.file_size for m in members if m.filename.endswith("sharedStrings.xml"))
    if shared > limits.max_shared_strings:
        raise ImportFileError(
            f"the workbook's text unpacks to {shared / MB:,.0f} MB, more than the "
            f"{limits.max_shared_strings / MB:,.0f} MB allowed: {_AS_CSV}"
        )


def _load(data: bytes):
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors all mean "not a workbook"
        raise ImportFileError(f"{_UNREADABLE}: {_reason(exc)}") from exc


def _reason(exc: Exception) -> str:
    return str(exc)[:200] or type(exc).__name__


def _header(rows: Iterator[tuple[int, tuple]]) -> tuple[int, list[str]]:
    """The first row with a value, without its trailing empty cells."""
    for line, cells in rows:
        values = [_cell(value) for value in cells]
        if not any(values):
            continue
        if values[-1] != "":
            raise ImportFileError(
                f"line {line}: the header has more than {MAX_COLUMNS - 1} columns; "
                "delete the columns that are not needed"
            )
        while values and values[-1] == "":
            values.pop()
        return line, values
    raise ImportFileError("the file is empty")


def _sheet_rows(data: bytes, limits: Limits) -> Iterator[tuple[int, tuple]]:
    workbook = _load(data)
    try:
        if not workbook.worksheets:
            raise ImportFileError("the workbook has no sheets")
        yield from _rows(workbook, limits)
    finally:
        workbook.close()


def _rows(workbook, limits: Limits) -> Iterator[tuple[int, tuple]]:
    """(line, MAX_COLUMNS cells) for each row of the first sheet with a cell, up to the
    row limit; any error of openpyxl's on the way is a damaged file."""
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # read every row, not the declared range (which may lie)
    rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    line = 0
    while True:
        try:
            cells = next(rows, None)
        except Exception as exc:  # truncated or corrupt sheet XML, bad cell references
            raise ImportFileError(
                f"line {line + 1}: the workbook is damaged and its first sheet cannot be "
                f"read from here on ({type(exc).__name__}: {_reason(exc)}); open it in "
                "Excel and save it again"
            ) from exc
        if cells is None:
            return
        line += 1
        if line > limits.max_rows + 1:
            raise ImportFileError(
                f"the sheet has more than {limits.max_rows:,} rows, the most that can be "
                f"imported from a workbook: {_AS_CSV}"
            )
        if cells.count(None) != len(cells):
            yield line, cells


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
