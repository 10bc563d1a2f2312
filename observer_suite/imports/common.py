"""Pieces the station and observer imports share: value parsing, streaming, bulk writes.

Writes go through `insert()`/`update()` executemany on db.session rather than one ORM object
per row: 15,000 ORM objects take tens of seconds to flush, one executemany takes well under one.
"""

import enum
import itertools
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import text

from observer_suite.extensions import db
from observer_suite.imports.codes import canonical_code
from observer_suite.imports.columns import Columns
from observer_suite.imports.errors import LineError
from observer_suite.imports.tabular import Record, Table, check_width

BATCH = 1000  # rows compared with the database (one SELECT ... IN) and written at a time
KEEP = 20_000  # checked rows kept for the second pass; a longer file is read again instead
EXAMPLES = 5
INT_MAX = 2_147_483_647  # the database's INTEGER
_WHOLE = re.compile(r"([+-]?)(\d+)(?:\.0*)?")
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def shown(raw: str, limit: int = 40) -> str:
    """A value quoted for a message, cut short: a 400-digit number need not be repeated."""
    return repr(raw) if len(raw) <= limit else f"{raw[:limit]!r}… ({len(raw):,} characters)"


def clean_rows(
    table: Table, errors: list[LineError], skip: set[int] | frozenset = frozenset()
) -> Iterator[Record]:
    """The table's rows that have the header's width, but the lines in `skip`; the others
    are reported in `errors`."""
    width = len(table.headers)
    for line, values in table.rows:
        if line in skip:
            continue
        if check_width(line, values, width, errors):
            yield line, values


def keep_row(kept: list | None, row, keep: int | None) -> list | None:
    """Append to the kept rows, or give them up (None) once there are more than `keep`."""
    if kept is not None:
        if keep is not None and len(kept) >= keep:
            return None
        kept.append(row)
    return kept


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


class RowReader:
    """Read one line's values by field key and collect its errors under the file's header."""

    def __init__(self, columns: Columns, errors: list[LineError], warnings: list | None = None):
        self.columns = columns
        self.errors = errors
        self.warnings: list[LineError] = [] if warnings is None else warnings
        self.line = 0
        self.values: list[str] = []

    def start(self, line: int, values: list[str]) -> bool:
        """Begin a line; False when an imported cell holds a control character such as NUL,
        which PostgreSQL cannot store (one error per such cell)."""
        self.line, self.values = line, values
        joined = "".join(values)
        if joined.isprintable() or not _CONTROL.search(joined):
            return True
        clean = True
        for key, position in self.columns.index.items():
            found = _CONTROL.search(values[position]) if position < len(values) else None
            if found:
                code = f"U+{ord(found.group()):04X}"
                self.error(key, f"contains the control character {code}; remove it")
                clean = False
        return clean

    def get(self, key: str) -> str:
        position = self.columns.index.get(key)
        values = self.values
        return values[position] if position is not None and position < len(values) else ""

    def error(self, key: str | None, message: str) -> None:
        self.errors.append(LineError(self.line, self._header(key), message))

    def warn(self, key: str, message: str) -> None:
        self.warnings.append(LineError(self.line, self._header(key), message))

    def _header(self, key: str | None) -> str | None:
        return self.columns.header(key) if key is not None and key in self.columns else key

    def code(self, key: str, max_length: int, required: bool = False) -> str:
        """A code or ref in canonical form (see codes.py), with a warning when it changed."""
        value = self.get(key)
        if not value.isascii():
            value, warning = canonical_code(value)
            if warning:
                self.warn(key, warning)
        if required and not value:
            self.error(key, "a value is required")
        return self.text(key, max_length, value)

    def required(self, key: str, max_length: int) -> str:
        value = self.get(key)
        if not value:
            self.error(key, "a value is required")
        return self.text(key, max_length, value)

    def text(self, key: str, max_length: int, value: str | None = None) -> str:
        value = self.get(key) if value is None else value
        if len(value) > max_length:
            self.error(key, f"is {len(value)} characters long; at most {max_length} fit")
        return value

    def whole_number(self, key: str, maximum: int = INT_MAX) -> int | None:
        """Non-negative integer up to `maximum`; '1,234' and Excel's '12.0' are accepted."""
        raw = self.get(key)
        if not raw:
            return None
        if raw.isascii() and raw.isdigit() and len(raw) < 10:  # the usual case, quickly
            number = int(raw)
            return number if number <= maximum else self._too_large(key, raw, maximum)
        text = raw.replace(" ", "").replace("_", "")
        if _THOUSANDS.fullmatch(text):
            text = text.replace(",", "")
        match = _WHOLE.fullmatch(text)
        if match is None:
            self.error(key, f"{shown(raw)} is not a whole number")
            return None
        sign, digits = match.group(1), match.group(2).lstrip("0") or "0"
        if sign == "-" and digits != "0":
            self.error(key, f"{shown(raw)} is negative")
            return None
        if len(digits) > len(str(maximum)) or int(digits) > maximum:
            return self._too_large(key, raw, maximum)
        return int(digits)

    def _too_large(self, key: str, raw: str, maximum: int) -> None:
        self.error(key, f"{shown(raw)} is more than {maximum:,}")

    def decimal(self, key: str, low: float, high: float) -> float | None:
        """A decimal within [low, high]; a decimal comma (semicolon CSVs) is accepted."""
        raw = self.get(key)
        if not raw:
            return None
        text = raw.replace(",", ".") if "," in raw and "." not in raw else raw
        try:
            number = float(text)  # accepts '1_0' and ' 1 ', which is harmless
        except ValueError:
            self.error(key, f"{shown(raw)} is not a number")
            return None
        if not math.isfinite(number):
            self.error(key, f"{shown(raw)} is not a number")
            return None
        if not low <= number <= high:
            self.error(key, f"{shown(raw)} is outside {low:g}..{high:g}")
            return None
        return number


def sort_errors(errors: list[LineError], headers: list[str]) -> None:
    """By line, then in the file's column order, as the person will read them."""
    position: dict[str | None, int] = {None: -1}
    for index, header in enumerate(headers):
        position.setdefault(header, index)
    errors.sort(key=lambda error: (error.line, position.get(error.column, len(headers))))


def duplicate_check(seen: dict[str, int], value: str, reader: RowReader, key: str, what: str):
    """Report a repeated key on its later line, naming the line that had it first."""
    if not value:
        return
    first = seen.setdefault(value, reader.line)
    if first != reader.line:
        reader.error(key, f"duplicate {what} {value!r} (also on line {first})")


@dataclass
class ImportPlan:
    """What the import would do (or did, when `applied`)."""

    kind: str
    mission_id: int
    filename: str
    counts: dict[str, int]
    examples: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    applied: bool = False


def changed(old: dict, new: dict) -> dict:
    """The fields of `new` whose value differs from `old`, as {field: (old, new)}."""
    return {key: (old.get(key), value) for key, value in new.items() if old.get(key) != value}


def describe(label: str, diff: dict) -> str:
    """E.g. "update 04/01/01/001: name 'OLD' → 'NEW'"; enums shown by their stored value."""

    def show(value) -> str:
        return repr(value.value if isinstance(value, enum.Enum) else value)

    parts = ", ".join(f"{key} {show(old)} → {show(new)}" for key, (old, new) in diff.items())
    return f"{label}: {parts}"


def fresh_statistics(model, existing: int) -> None:
    """ANALYZE a big table on PostgreSQL before comparing with it batch by batch: right
    after a large import its statistics are stale and each batch's SELECT ... IN scans the
    whole mission (0.15 s a batch against a million stations instead of 15 ms). Without
    ownership of the table PostgreSQL skips it with a warning; SQLite needs nothing."""
    if existing >= 10 * BATCH and db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text(f"ANALYZE {model.__tablename__}"))
