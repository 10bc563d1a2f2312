"""Pieces the station and observer imports share: value parsing, the plan, bulk writes.

Writes go through `insert()`/`update()` executemany on db.session rather than one ORM object
per row: 15,000 ORM objects take tens of seconds to flush, one executemany takes well under one.
"""

import enum
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import insert, update

from observer_suite.extensions import db
from observer_suite.imports.columns import Columns
from observer_suite.imports.tabular import LineError

Progress = Callable[[int, int], None]
CHUNK = 2000
EXAMPLES = 5


class RowReader:
    """Read one line's values by field key and collect its errors under the file's header."""

    def __init__(self, columns: Columns, errors: list[LineError]):
        self.columns = columns
        self.errors = errors
        self.line = 0
        self.values: list[str] = []

    def start(self, line: int, values: list[str]) -> None:
        self.line, self.values = line, values

    def get(self, key: str) -> str:
        position = self.columns.index.get(key)
        if position is None or position >= len(self.values):
            return ""
        return self.values[position]

    def error(self, key: str | None, message: str) -> None:
        header = self.columns.header(key) if key in self.columns else key
        self.errors.append(LineError(self.line, header, message))

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

    def whole_number(self, key: str) -> int | None:
        """Non-negative integer; '1,234' and Excel's '12.0' are accepted."""
        raw = self.get(key)
        if not raw:
            return None
        text = raw.replace(" ", "").replace("_", "")
        if re.fullmatch(r"\d{1,3}(,\d{3})+", text):
            text = text.replace(",", "")
        try:
            number = float(text) if re.fullmatch(r"\d+\.0*", text) else int(text)
        except ValueError:
            self.error(key, f"{raw!r} is not a whole number")
            return None
        if number < 0:
            self.error(key, f"{raw!r} is negative")
            return None
        return int(number)

    def decimal(self, key: str, low: float, high: float) -> float | None:
        """A decimal within [low, high]; a decimal comma (semicolon CSVs) is accepted."""
        raw = self.get(key)
        if not raw:
            return None
        text = raw.replace(",", ".") if "," in raw and "." not in raw else raw
        try:
            number = float(text)
        except ValueError:
            self.error(key, f"{raw!r} is not a number")
            return None
        if not math.isfinite(number):
            self.error(key, f"{raw!r} is not a number")
            return None
        if not low <= number <= high:
            self.error(key, f"{raw!r} is outside {low:g}..{high:g}")
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
    """What applying would do; the private payloads are ready-made executemany parameters."""

    kind: str
    mission_id: int
    filename: str
    counts: dict[str, int]
    examples: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    area_inserts: list[list[dict]] = field(default_factory=list, repr=False)  # per level
    area_parents: dict[str, str | None] = field(default_factory=dict, repr=False)
    area_updates: list[dict] = field(default_factory=list, repr=False)
    inserts: list[dict] = field(default_factory=list, repr=False)
    updates: list[dict] = field(default_factory=list, repr=False)


def changed(old: dict, new: dict) -> dict:
    """The fields of `new` whose value differs from `old`, as {field: (old, new)}."""
    return {key: (old.get(key), value) for key, value in new.items() if old.get(key) != value}


def describe(label: str, diff: dict) -> str:
    """E.g. "update 04/01/01/001: name 'OLD' → 'NEW'"; enums shown by their stored value."""

    def show(value) -> str:
        return repr(value.value if isinstance(value, enum.Enum) else value)

    parts = ", ".join(f"{key} {show(old)} → {show(new)}" for key, (old, new) in diff.items())
    return f"{label}: {parts}"


def bulk_insert(model, rows: list[dict], progress: Callable[[int], None] | None = None) -> None:
    for chunk in _chunks(rows):
        db.session.execute(insert(model), chunk)
        if progress:
            progress(len(chunk))


def bulk_update(model, rows: list[dict], progress: Callable[[int], None] | None = None) -> None:
    """UPDATE ... WHERE id = :id executemany; rows are grouped by the columns they set."""
    groups: dict[tuple[str, ...], list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    for group in groups.values():
        for chunk in _chunks(group):
            db.session.execute(update(model), chunk)
            if progress:
                progress(len(chunk))


def _chunks(rows: list[dict]) -> Iterable[list[dict]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]
