"""Observer rosters: check every row, then plan against the DB by ref (and write).

Rosters come from HR spreadsheets in many shapes, so values are read leniently ("Short-term
observer", "F", "en; fr") but stored in one form, and every bad line is reported at once.
Both steps stream, as station imports do (see stations.py).
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, select

from observer_suite import audit
from observer_suite.extensions import db
from observer_suite.imports.columns import OBSERVER_FIELDS, Columns, Mapping, match_columns
from observer_suite.imports.common import (
    BATCH,
    EXAMPLES,
    ImportPlan,
    RowReader,
    batched,
    changed,
    clean_rows,
    describe,
    duplicate_check,
    fresh_statistics,
    keep_row,
    sort_errors,
)
from observer_suite.imports.countries import NATIONALITY_CODES
from observer_suite.imports.errors import ImportFileError, LineError, Problems
from observer_suite.imports.tabular import Table
from observer_suite.models import Gender, Mission, Observer, ObserverRole
from observer_suite.util.bulk_writes import bulk_insert, bulk_update
from observer_suite.util.checked import present

ROLES = {
    "core": ObserverRole.CORE,
    "coreteam": ObserverRole.CORE,
    "lto": ObserverRole.LTO,
    "longtermobserver": ObserverRole.LTO,
    "sto": ObserverRole.STO,
    "shorttermobserver": ObserverRole.STO,
    "driver": ObserverRole.DRIVER,
    "interpreter": ObserverRole.INTERPRETER,
}
GENDERS = {
    "female": Gender.FEMALE,
    "f": Gender.FEMALE,
    "male": Gender.MALE,
    "m": Gender.MALE,
    "other": Gender.OTHER,
}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
LANGUAGE_SPLIT = re.compile(r"[,;/]")
OPTIONAL = ("nationality", "gender", "languages", "previous_missions", "email", "phone")


@dataclass
class ObserverRow:
    line: int
    ref: str
    values: dict  # name, role plus the optional columns the file has


@dataclass
class ParsedObservers:
    """`observers` is None when the file had too many to keep; `rows()` reads them again."""

    observers: list[ObserverRow] | None
    errors: Problems = field(default_factory=Problems)
    warnings: list[LineError] = field(default_factory=Problems)
    notes: list[str] = field(default_factory=list)
    count: int = 0
    table: Table | None = field(default=None, repr=False)
    columns: Columns | None = field(default=None, repr=False)
    skipped: set[int] = field(default_factory=set)  # refused lines left out (skip_invalid)

    def rows(self) -> Iterator[ObserverRow]:
        """Every checked observer, from the kept list or from the file read again."""
        if self.observers is not None:
            yield from self.observers
            return
        errors: list[LineError] = []
        # Without the kept list the file is read again: table and columns are then set.
        reader = RowReader(present(self.columns), errors)
        for line, values in clean_rows(present(self.table), errors, self.skipped):
            observer = read_observer(reader, line, values, None)
            if errors:
                raise ImportFileError("the file read differently the second time; upload it again")
            if observer is not None:
                yield observer


def parse_observers(
    table: Table,
    progress: Callable[[int], None] | None = None,
    keep: int | None = None,
    mapping: Mapping | None = None,
    skip_invalid: bool = False,
) -> ParsedObservers:
    """Check every row, keeping at most `keep` of them (all when None); raises
    ImportFileError only for problems with the file or its columns. With `skip_invalid`,
    the refused lines are left out (`skipped`)."""
    columns = match_columns(table.headers, OBSERVER_FIELDS, mapping)
    parsed = ParsedObservers([], notes=list(table.notes))
    parsed.table, parsed.columns = table, columns
    if columns.ignored:
        parsed.notes.append("columns not imported: " + ", ".join(columns.ignored))
    reader = RowReader(columns, parsed.errors, parsed.warnings)
    refs: dict[str, int] = {}
    refused = 0
    for line, values in clean_rows(table, parsed.errors):
        parsed.count += 1
        if progress and parsed.count % 1000 == 0:
            progress(parsed.count)
        observer = read_observer(reader, line, values, refs)
        if skip_invalid and line in parsed.errors.lines:
            refused += 1
            continue
        if observer is not None:
            parsed.observers = keep_row(parsed.observers, observer, keep)
    if skip_invalid:
        parsed.skipped = parsed.errors.lines
        parsed.count -= refused
    sort_errors(parsed.errors, table.headers)
    sort_errors(parsed.warnings, table.headers)
    return parsed


def read_observer(
    reader: RowReader, line: int, values: list, refs: dict | None
) -> ObserverRow | None:
    """One row as an observer (None when it cannot be one); `refs` None skips duplicates."""
    if not reader.start(line, values):
        return None
    columns = reader.columns
    row = {"name": reader.required("name", 200), "role": _role(reader)}
    if "nationality" in columns:
        row["nationality"] = _nationality(reader)
    if "gender" in columns:
        row["gender"] = _choice(reader, "gender", GENDERS, "female, male or other")
    if "languages" in columns:
        row["languages"] = _languages(reader.get("languages"))
    if "previous_missions" in columns:
        row["previous_missions"] = reader.whole_number("previous_missions", 10_000) or 0
    if "email" in columns:
        row["email"] = _email(reader)
    if "phone" in columns:
        row["phone"] = reader.text("phone", 50) or None
    given = reader.code("ref", 200)
    ref_key = "ref" if given else "email" if row.get("email") else "name"
    ref = given or (row.get("email") or "").lower() or row["name"]
    if refs is not None:
        duplicate_check(refs, ref, reader, ref_key, "observer ref")
    return ObserverRow(line, ref, row) if ref else None


def _normal(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text).lower()


def _choice(reader: RowReader, key: str, choices: dict, accepted: str):
    raw = reader.get(key)
    if not raw:
        return None
    value = choices.get(_normal(raw))
    if value is None:
        reader.error(key, f"{raw!r} is not one of {accepted}")
    return value


def _role(reader: RowReader) -> ObserverRole | None:
    if not reader.get("role"):
        reader.error("role", "a value is required")
        return None
    return _choice(
        reader,
        "role",
        ROLES,
        "core, lto, sto, driver, interpreter (or long-term / short-term observer)",
    )


def _nationality(reader: RowReader) -> str | None:
    raw = reader.get("nationality")
    if not raw:
        return None
    code = raw.upper()
    if code not in NATIONALITY_CODES:
        reader.error("nationality", f"{raw!r} is not an ISO 3166 two-letter country code")
        return None
    return code


def _languages(raw: str) -> list[str]:
    names = [part.strip().lower() for part in LANGUAGE_SPLIT.split(raw)]
    return list(dict.fromkeys(name for name in names if name))


def _email(reader: RowReader) -> str | None:
    raw = reader.text("email", 200)
    if raw and not EMAIL_RE.match(raw):
        reader.error("email", f"{raw!r} does not look like an e-mail address")
    return raw or None


def plan_import(
    mission: Mission,
    parsed: ParsedObservers,
    filename: str = "",
    *,
    write: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """Compare with the mission's roster by ref, BATCH rows at a time; with `write`, store
    them too (flushes, never commits: the caller owns the transaction)."""
    before = db.session.scalars(
        select(func.count(Observer.id)).where(Observer.mission_id == mission.id)
    ).one()
    fresh_statistics(Observer, before)
    plan = ImportPlan("observers", mission.id, filename, {}, notes=list(parsed.notes))
    creates, updates = [], []
    counts = {"rows": 0, "create": 0, "update": 0, "unchanged": 0}
    for batch in batched(parsed.rows(), BATCH):
        existing = _existing(mission.id, [observer.ref for observer in batch]) if before else {}
        inserts, changes = [], []
        for observer in batch:
            old = existing.get(observer.ref)
            if old is None:
                inserts.append(
                    {"mission_id": mission.id, "ref": observer.ref, **_defaults(observer.values)}
                )
                if len(creates) < EXAMPLES:
                    creates.append(f"add {observer.ref} ({observer.values['role']})")
                continue
            diff = changed(old, observer.values)
            if not diff:
                counts["unchanged"] += 1
                continue
            changes.append({"id": old["id"], **observer.values})
            if len(updates) < EXAMPLES:
                updates.append(describe(f"update {observer.ref}", diff))
        if write:
            bulk_insert(Observer, inserts)
            bulk_update(Observer, changes)
        counts["rows"] += len(batch)
        counts["create"] += len(inserts)
        counts["update"] += len(changes)
        if progress:
            progress(counts["rows"])
    missing = before - (counts["update"] + counts["unchanged"])
    plan.examples = creates + updates
    plan.counts = {**counts, "not_in_file": missing}
    if missing:
        plan.notes.append(
            f"{missing} observers already on the roster are not in this file; "
            "they are left as they are"
        )
    if write:
        audit.record(
            db.session,
            "import",
            "Observer",
            plan.mission_id,
            {**plan.counts, "filename": plan.filename},
        )
        db.session.flush()
        plan.applied = True
    return plan


def _existing(mission_id: int, refs: list[str]) -> dict[str, dict]:
    keys = ["name", "role", *OPTIONAL]
    query = select(Observer.id, Observer.ref, *[getattr(Observer, key) for key in keys]).where(
        Observer.mission_id == mission_id, Observer.ref.in_(refs)
    )
    return {row.ref: row._asdict() for row in db.session.execute(query)}


def _defaults(values: dict) -> dict:
    """New rows need every column, so the executemany parameters all have the same keys."""
    return {
        "nationality": None,
        "gender": None,
        "languages": [],
        "previous_missions": 0,
        "email": None,
        "phone": None,
        **values,
    }
