"""Stored answers as SQL reads them, safe from the one JSON value PostgreSQL cannot read.

PostgreSQL stores a `json` column as text and parses it on every use; a string holding
"\\u0000" (NUL) parses but cannot become text, so `->>` on any key of that row, or a cast to
JSONB, fails the whole statement ("unsupported Unicode escape sequence"): one such answer,
accepted before intake refused control characters, made every statistic of the mission a
500. `readable_json(column)` is the column, parsed once (JSONB on PostgreSQL, see
form_aggregates), or NULL for such a row, which statistics then count as unreadable instead of
failing. No migration: stored rows stay as they are.

The test is on the stored text: the escape \\u0000 not preceded by an escaped backslash.
Dropping every escaped backslash pair first (left to right, as JSON reads them) tells
"\\u0000" (NUL) from "\\\\u0000" (a backslash, then the letters u0000). The first, cheap
test skips the replace for every ordinary row.
"""

from sqlalchemy import JSON
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

NUL_ESCAPE = "'\\u0000'"  # the SQL literal of the six characters \u0000
BACKSLASH_PAIR = "'\\\\'"  # two backslashes: one escaped backslash in JSON text


class readable_json(FunctionElement):  # noqa: N801 - a SQL function, named like SQLAlchemy's
    """A JSON column parsed once per row (JSONB on PostgreSQL, where every `->>` on a `json`
    value parses the whole text again), NULL where the stored text holds an escaped NUL."""

    type = JSON()
    name = "readable_json"
    inherit_cache = True


def _guarded(text: str, value: str, position: str) -> str:
    nul = f"{position}({text}, {NUL_ESCAPE}) > 0"
    real_nul = f"{position}(replace({text}, {BACKSLASH_PAIR}, ''), {NUL_ESCAPE}) > 0"
    return f"CASE WHEN {nul} AND {real_nul} THEN NULL ELSE {value} END"


@compiles(readable_json)
def _sqlite(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    return _guarded(column, column, "instr")  # SQLite reads NUL; guarded alike for one count


@compiles(readable_json, "postgresql")
def _postgresql(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    return _guarded(f"CAST({column} AS TEXT)", f"CAST({column} AS JSONB)", "strpos")
