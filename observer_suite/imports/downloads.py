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
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["line", "column", "problem"])
    if file_error:
        writer.writerow(["", "", _formula_safe(file_error)])
    for problem in problems:
        row = [problem.line, problem.column or "", problem.message]
        writer.writerow([_formula_safe(str(value)) for value in row])
    more = problems.total() - len(problems) if isinstance(problems, Problems) else 0
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
        reasons = refused.by_line.get(line)
        if reasons:
            cells = values + [""] * (width - len(values))
            writer.writerow([*cells, _formula_safe("; ".join(reasons))])
    return out.getvalue().encode("utf-8")
