"""CSV files an import gives back: its problems in full, and the rows it refused.

The refused rows keep the file's own columns in its own order, plus a `reason` column at
the end, so a person can fix them in their spreadsheet and import the file again with the
same mapping (without a header row when the original had none).
"""

import csv
import io

from observer_suite.imports.errors import Problems
from observer_suite.imports.tabular import Limits, open_table

BOM = "\ufeff"  # so Excel reads the file as UTF-8


def _formula_safe(value: str) -> str:
    """A cell starting with = + - @ is a formula to a spreadsheet: quote it as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def problems_csv(problems: list, file_error: str | None = None) -> bytes:
    """Every problem of the first DETAIL_LINES faulty lines (not only the page's 1,000)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["line", "column", "problem"])
    if file_error:
        writer.writerow(["", "", _formula_safe(file_error)])
    detailed = problems.by_line if isinstance(problems, Problems) else {}
    listed = 0
    for line in sorted(detailed):
        for column, message in detailed[line]:
            writer.writerow([line, _formula_safe(column or ""), _formula_safe(message)])
            listed += 1
    if not isinstance(problems, Problems):
        for problem in problems:
            row = [problem.line, problem.column or "", problem.message]
            writer.writerow([_formula_safe(str(value)) for value in row])
    more = problems.total() - listed if isinstance(problems, Problems) else 0
    if more:
        writer.writerow(["", "", f"… and {more:,} more problems not listed"])
    return out.getvalue().encode("utf-8")


def rejects_csv(
    refused: Problems, data: bytes, filename: str, header: bool, limits: Limits | None = None
) -> bytes:
    """The refused lines as the file has them, each with its reasons."""
    table = open_table(data, filename, limits, header)
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow([*table.headers, "reason"])
    width = len(table.headers)
    for line, values in table.rows:
        if line in refused.lines:
            cells = values + [""] * (width - len(values))
            writer.writerow([*cells, _formula_safe(refused.reasons(line))])
    return out.getvalue().encode("utf-8")
