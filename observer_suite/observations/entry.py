"""Observations typed in from the web: the checklist as form fields, and the intake service.

A coordinator or a clerk enters what a team phoned in. The fields are generated from the
form's definition (one per answered question, in order, with groups and notes as headings),
and what is posted goes through observations/submission.submit like a tablet's upload: the
same validation, checks and flags, a new uuid. Errors come back per question, to be shown
beside its field. Plain functions; the request boundary commits.
"""

import uuid as uuid_module
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from observer_suite.checklists.definition import ANSWERED_TYPES, choices_for, text_in
from observer_suite.errors import RequestError
from observer_suite.extensions import db
from observer_suite.models import Form, Mission, PollingStation, Team
from observer_suite.observations.listing import mission_zone
from observer_suite.observations.payload import Outcome
from observer_suite.observations.submission import submit

LANGUAGE = "en"
PREFIX = "a-"  # form field name of a question: a-<question name>
INPUT_TYPES = {"integer": "number", "decimal": "text", "time": "time", "date": "date"}


@dataclass(frozen=True)
class Field:
    """One item of the generated form, for templates/observations/_answers_form.html."""

    name: str
    kind: str  # a question type, "group" or "note"
    label: str
    hint: str
    required: bool
    depth: int
    choices: list = field(default_factory=list)  # (name, label)

    @property
    def input_name(self) -> str:
        return PREFIX + self.name

    @property
    def input_type(self) -> str:
        return INPUT_TYPES.get(self.kind, "text")


def fields(definition: dict) -> list[Field]:
    """The form's items in display order, as fields to render."""
    depth: dict[str, int] = {}
    items = []
    for question in definition.get("questions", []):
        name, kind = question.get("name"), question.get("type")
        level = depth.get(question.get("group"), -1) + 1 if question.get("group") else 0
        if kind == "group":
            depth[name] = level
        elif kind not in ANSWERED_TYPES and kind != "note":
            continue
        choices = [
            (c.get("name"), text_in(c.get("label"), LANGUAGE) or c.get("name"))
            for c in choices_for(definition, question)
        ]
        items.append(
            Field(
                name=name,
                kind=kind,
                label=text_in(question.get("label"), LANGUAGE) or name,
                hint=text_in(question.get("hint"), LANGUAGE) or "",
                required=bool(question.get("required")),
                depth=level,
                choices=choices,
            )
        )
    return items


def answers_from(definition: dict, formdata) -> dict:
    """The raw answers posted for the form's questions (blank fields left out); typing and
    the rules are the intake's (checklists/validation.py)."""
    answers: dict = {}
    for item in fields(definition):
        if item.kind not in ANSWERED_TYPES:
            continue
        if item.kind == "select_multiple":
            values = [v for v in formdata.getlist(item.input_name) if v]
            if values:
                answers[item.name] = values
        else:
            value = (formdata.get(item.input_name) or "").strip()
            if value:
                answers[item.name] = value
    return answers


def posted_values(definition: dict, answers: dict) -> dict:
    """input name → value(s) to show in the fields: a stored or re-posted answer."""
    values = {}
    for name, value in (answers or {}).items():
        values[PREFIX + name] = value if isinstance(value, list) else str(value)
    return values


def field_errors(exc: RequestError) -> dict[str, str]:
    """A refusal's per-field messages keyed by form field: a-<question> for answers."""
    errors = {}
    for name, message in (exc.fields or {}).items():
        key = PREFIX + name.removeprefix("answers.") if name.startswith("answers.") else name
        errors[key] = message
    if not errors:
        errors[exc.field or "_form"] = exc.message
    return errors


def local_instant(mission: Mission, text: str | None) -> str | None:
    """A datetime-local value typed in the mission's local time, as ISO 8601 with its offset;
    None when blank. A malformed value is passed on as typed, for the intake to refuse."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=mission_zone(mission))
    return moment.isoformat()


def choices(mission: Mission) -> dict:
    """Teams, stations and active forms of the mission, for the entry page's selects."""
    teams = db.session.execute(
        select(Team.id, Team.code).where(Team.mission_id == mission.id).order_by(Team.code)
    ).all()
    stations = db.session.execute(
        select(PollingStation.code, PollingStation.name)
        .where(PollingStation.mission_id == mission.id)
        .order_by(PollingStation.code)
        .limit(20_000)
    ).all()
    forms = db.session.scalars(
        select(Form)
        .where(Form.mission_id == mission.id, Form.active.is_(True))
        .order_by(Form.form_id, Form.version)
    ).all()
    return {"teams": teams, "stations": stations, "forms": forms}


def form_of(mission: Mission, form_pk) -> Form | None:
    try:
        pk = int(form_pk)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(select(Form).where(Form.id == pk, Form.mission_id == mission.id))


def team_of(mission: Mission, team_id) -> Team | None:
    try:
        pk = int(team_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(select(Team).where(Team.id == pk, Team.mission_id == mission.id))


def enter(
    user,
    mission: Mission,
    team: Team,
    form: Form,
    station_code: str,
    answers: dict,
    arrived_at: str | None,
    departed_at: str | None,
) -> Outcome:
    """Store one observation for `team` through the intake service; RequestError if not."""
    payload = {
        "uuid": str(uuid_module.uuid4()),
        "form_id": form.form_id,
        "form_version": form.version,
        "station_code": station_code,
        "arrived_at": arrived_at,
        "departed_at": departed_at,
        "answers": answers,
        "mission": mission.slug,
    }
    if departed_at is None:
        del payload["departed_at"]
    return submit(user, payload, mission.slug, team_id=team.id)
