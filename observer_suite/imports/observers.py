"""Observer rosters: parse and check every row, plan against the DB by ref, apply.

Rosters come from HR spreadsheets in many shapes, so values are read leniently ("Short-term
observer", "F", "en; fr") but stored in one form, and every bad line is reported at once.
"""

import re
from dataclasses import dataclass, field

from sqlalchemy import select

from observer_suite import audit
from observer_suite.extensions import db
from observer_suite.imports.columns import OBSERVER_FIELDS, match_columns
from observer_suite.imports.common import (
    EXAMPLES,
    ImportPlan,
    Progress,
    RowReader,
    bulk_insert,
    bulk_update,
    changed,
    describe,
    duplicate_check,
    sort_errors,
)
from observer_suite.imports.countries import NATIONALITY_CODES
from observer_suite.imports.tabular import LineError, Table
from observer_suite.models import Gender, Mission, Observer, ObserverRole

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
    observers: list[ObserverRow]
    errors: list[LineError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def parse_observers(table: Table, progress=None) -> ParsedObservers:
    """Check every row; raises ImportFileError only for problems with the columns."""
    columns = match_columns(table.headers, OBSERVER_FIELDS)
    errors = list(table.errors)
    bad_lines = {error.line for error in table.errors}
    reader = RowReader(columns, errors)
    parsed = ParsedObservers([], errors, list(table.notes))
    if columns.ignored:
        parsed.notes.append("columns not imported: " + ", ".join(columns.ignored))
    refs: dict[str, int] = {}
    for done, (line, values) in enumerate(table.rows, start=1):
        if progress and done % 1000 == 0:
            progress(done)
        if line in bad_lines:
            continue
        reader.start(line, values)
        row = {"name": reader.required("name", 200), "role": _role(reader)}
        if "nationality" in columns:
            row["nationality"] = _nationality(reader)
        if "gender" in columns:
            row["gender"] = _choice(reader, "gender", GENDERS, "female, male or other")
        if "languages" in columns:
            row["languages"] = _languages(reader.get("languages"))
        if "previous_missions" in columns:
            row["previous_missions"] = reader.whole_number("previous_missions") or 0
        if "email" in columns:
            row["email"] = _email(reader)
        if "phone" in columns:
            row["phone"] = reader.text("phone", 50) or None
        ref_key = "ref" if reader.get("ref") else "email" if row.get("email") else "name"
        ref = reader.get("ref") or (row.get("email") or "").lower() or row["name"]
        if ref_key == "ref":
            reader.text("ref", 200)
        duplicate_check(refs, ref, reader, ref_key, "observer ref")
        if ref:
            parsed.observers.append(ObserverRow(line, ref, row))
    sort_errors(parsed.errors, table.headers)
    return parsed


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


def plan_import(mission: Mission, parsed: ParsedObservers, filename: str = "") -> ImportPlan:
    """Compare with the mission's roster by ref; writes nothing."""
    keys = ["name", "role", *OPTIONAL]
    existing = {
        row.ref: row._asdict()
        for row in db.session.execute(
            select(Observer.id, Observer.ref, *[getattr(Observer, key) for key in keys]).where(
                Observer.mission_id == mission.id
            )
        )
    }
    plan = ImportPlan("observers", mission.id, filename, {}, notes=list(parsed.notes))
    creates, updates = [], []
    unchanged = 0
    for observer in parsed.observers:
        old = existing.pop(observer.ref, None)
        if old is None:
            plan.inserts.append(
                {"mission_id": mission.id, "ref": observer.ref, **_defaults(observer.values)}
            )
            creates.append(f"add {observer.ref} ({observer.values['role']})")
            continue
        diff = changed(old, observer.values)
        if not diff:
            unchanged += 1
            continue
        plan.updates.append({"id": old["id"], **observer.values})
        updates.append(describe(f"update {observer.ref}", diff))
    plan.examples = creates[:EXAMPLES] + updates[:EXAMPLES]
    plan.counts = {
        "rows": len(parsed.observers),
        "create": len(plan.inserts),
        "update": len(plan.updates),
        "unchanged": unchanged,
        "not_in_file": len(existing),
    }
    if existing:
        plan.notes.append(
            f"{len(existing)} observers already on the roster are not in this file; "
            "they are left as they are"
        )
    return plan


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


def apply(plan: ImportPlan, progress: Progress | None = None) -> None:
    """Write the plan with executemany statements; flushes, never commits."""
    bulk_insert(Observer, plan.inserts, progress)
    bulk_update(Observer, plan.updates, progress)
    audit.record(
        db.session,
        "import",
        "Observer",
        plan.mission_id,
        {**plan.counts, "filename": plan.filename},
    )
    db.session.flush()
