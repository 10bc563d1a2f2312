"""Forms in a mission: load the standard ones, import XLSForms, keep every version.

A form is identified by (mission, form_id, version). A new version becomes the active one (the
one tablets get) and older versions stay, inactive, so observations keep the version they were
made with. Services flush; the caller commits or rolls back.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select, update

from observer_suite import audit
from observer_suite.checklists.definition import (
    answered_questions,
    load_form_file,
    standard_form_files,
    text_in,
)
from observer_suite.checklists.xlsform import parse_xlsform
from observer_suite.extensions import db
from observer_suite.models import Form, Mission, Observation
from observer_suite.util.checked import present


@dataclass
class ImportOutcome:
    form: Form | None
    errors: list[str] = field(default_factory=list)
    created: bool = False

    @property
    def ok(self) -> bool:
        return self.form is not None and not self.errors


def _content(definition: dict) -> str:
    """What makes two definitions the same form: everything but source row numbers."""

    def without_rows(items: list) -> list:
        return [{k: v for k, v in item.items() if k != "row"} for item in items]

    stripped = {
        **definition,
        "questions": without_rows(definition.get("questions", [])),
        "checks": without_rows(definition.get("checks", [])),
    }
    return json.dumps(stripped, sort_keys=True, ensure_ascii=False)


def _existing(mission: Mission, form_id: str, version: str) -> Form | None:
    return db.session.scalar(
        select(Form).where(
            Form.mission_id == mission.id, Form.form_id == form_id, Form.version == version
        )
    )


def _add(mission: Mission, definition: dict, source: str) -> Form:
    """Add a version and make it the active one of its form_id."""
    db.session.execute(
        update(Form)
        .where(Form.mission_id == mission.id, Form.form_id == definition["form_id"])
        .values(active=False)
    )
    title = text_in(definition["title"], definition.get("default_language", "en"))
    form = Form(
        mission_id=mission.id,
        form_id=definition["form_id"],
        version=definition["version"],
        kind=definition["kind"],
        title=(title or definition["form_id"])[:200],
        definition=definition,
        source=source[:200],
        active=True,
    )
    db.session.add(form)
    db.session.flush()
    return form


def load_standard_forms(mission: Mission, paths: list[Path] | None = None) -> list[Form]:
    """Put the forms/ checklists in the mission; a version already there is left as it is.
    Returns the mission's Form rows for those files, new or not."""
    files = standard_form_files() if paths is None else paths
    definitions = [(path, load_form_file(path)) for path in files]
    forms, created = [], []
    for path, definition in definitions:
        form = _existing(mission, definition["form_id"], definition["version"])
        if form is None:
            form = _add(mission, definition, f"forms/{path.name}")
            created.append(f"{form.form_id} {form.version}")
        forms.append(form)
    if created:
        audit.record(db.session, "load", "Form", mission.id, {"forms": created})
        db.session.flush()
    return forms


def import_xlsform(mission: Mission, data: bytes, filename: str) -> ImportOutcome:
    """Import an uploaded XLSForm: all of it or nothing, with every problem listed."""
    definition, errors = parse_xlsform(data, filename)
    if errors:
        return ImportOutcome(None, errors)
    definition = present(definition)  # parse_xlsform gives one or the other
    existing = _existing(mission, definition["form_id"], definition["version"])
    if existing is not None:
        if _content(existing.definition) == _content(definition):
            return ImportOutcome(existing, [], created=False)
        return ImportOutcome(
            None,
            [
                f"version {definition['version']} of form {definition['form_id']} already "
                "exists with different content; raise settings.version"
            ],
        )
    form = _add(mission, definition, filename)
    audit.record(
        db.session,
        "import",
        "Form",
        mission.id,
        {
            "form_id": form.form_id,
            "version": form.version,
            "file": filename[:200],
            "questions": len(answered_questions(definition)),
        },
    )
    db.session.flush()
    return ImportOutcome(form, [], created=True)


def active_forms(mission: Mission) -> list[Form]:
    """The versions tablets get: one per form_id."""
    return list(
        db.session.scalars(
            select(Form)
            .where(Form.mission_id == mission.id, Form.active.is_(True))
            .order_by(Form.kind, Form.form_id)
        )
    )


def form_rows(mission: Mission) -> list[tuple[Form, int]]:
    """Every version with its number of observations, counted in SQL."""
    counts = (
        select(Observation.form_pk, func.count(Observation.id).label("n"))
        .where(Observation.mission_id == mission.id)
        .group_by(Observation.form_pk)
        .subquery()
    )
    query = (
        select(Form, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.form_pk == Form.id)
        .where(Form.mission_id == mission.id)
        .order_by(Form.form_id, Form.active.desc(), Form.created_at.desc(), Form.id.desc())
    )
    return [(form, count) for form, count in db.session.execute(query)]


def get_form(mission: Mission, form_pk: int) -> Form | None:
    return db.session.scalar(select(Form).where(Form.id == form_pk, Form.mission_id == mission.id))
