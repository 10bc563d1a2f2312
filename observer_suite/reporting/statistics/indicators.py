"""Indicator definitions as data: the default reports/indicators.json, or a mission's own.

An indicator is "share of observations of form F answering question Q with one of ANSWERS":
N counts the observations that answered Q (empty answers and EXCLUDE, default "na", left
out), n those whose answer is among ANSWERS. A mission may replace the default list; every
save is validated against the mission's forms first, and a list with any error saves nothing.
The file format is described in reports/README.md.
"""

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, ClassVar

from pydantic import ConfigDict, ValidationError
from sqlalchemy import select

from observer_suite.checklists.definition import (
    FormFileError,
    choices_for,
    load_form_file,
    standard_form_files,
    text_in,
)
from observer_suite.extensions import db
from observer_suite.models import Form, Mission, ReportDefinition
from observer_suite.models.types import utcnow
from observer_suite.util.schema import ACROSS, CrossChecked, checked, refusals, refuse, refuse_all

DEFAULT_FILE = Path(__file__).resolve().parents[3] / "reports" / "indicators.json"
SINGLE_CHOICE = {"yes_no", "select_one", "time_band"}
REQUIRED_LANGUAGES = ("en", "fr")  # reports come in English and French
KEY_RE = re.compile(r"[a-z0-9_]{1,60}")
MAX_INDICATORS = 200
MAX_LABEL = 200


@dataclass(frozen=True)
class IndicatorDef:
    key: str
    phase: str  # the form's kind: opening, voting, counting, tabulation …
    form: str  # form_id
    question: str
    answers: tuple[str, ...]  # count towards n
    exclude: tuple[str, ...] = ("na",)  # left out of N (as are empty answers)
    labels: dict = field(default_factory=dict, compare=False, hash=False)

    def label(self, lang: str) -> str:
        return text_in(self.labels, lang) or self.key


@dataclass(frozen=True)
class FormInfo:
    """What validation needs to know of one form_id (all its versions together)."""

    kind: str
    questions: dict  # name -> (type, set of choice names)


def _from_data(items: list) -> list[IndicatorDef]:
    """Definitions from plain data; an item lacking a required field is skipped (stored
    lists were validated on save, so this only guards against hand-edited rows)."""
    found = []
    for item in items if isinstance(items, list) else []:
        try:
            found.append(
                IndicatorDef(
                    key=str(item["key"]),
                    phase=str(item["phase"]),
                    form=str(item["form"]),
                    question=str(item["question"]),
                    answers=tuple(str(a) for a in item["answers"]),
                    exclude=tuple(str(a) for a in item.get("exclude", ["na"])),
                    labels=dict(item["label"]),
                )
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return found


@cache
def _default_data() -> tuple[str, ...]:
    # Kept as JSON text so every caller gets its own copy to change.
    data = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    return tuple(json.dumps(item) for item in data)


def default_indicators() -> list[dict]:
    """The shipped definitions, as plain data."""
    return [json.loads(item) for item in _default_data()]


def stored_definition(mission: Mission) -> ReportDefinition | None:
    return db.session.scalar(
        select(ReportDefinition).where(ReportDefinition.mission_id == mission.id)
    )


def indicator_data(mission: Mission) -> list[dict]:
    """The mission's definitions as plain data (what an editor shows)."""
    stored = stored_definition(mission)
    return list(stored.indicators) if stored is not None else default_indicators()


def load_indicators(mission: Mission) -> list[IndicatorDef]:
    """The mission's own definitions when it has saved some, else the default file."""
    return _from_data(indicator_data(mission))


@cache
def _standard_forms() -> dict[str, dict]:
    found = {}
    for path in standard_form_files():
        try:
            definition = load_form_file(path)
        except FormFileError:
            continue
        found[definition["form_id"]] = definition
    return found


def _question_info(definition: dict) -> dict:
    return {
        q["name"]: (q.get("type"), {c.get("name") for c in choices_for(definition, q)})
        for q in definition.get("questions", [])
        if isinstance(q, dict) and q.get("name")
    }


def known_forms(mission: Mission) -> dict[str, FormInfo]:
    """The mission's forms (every version), plus the standard forms it has not loaded."""
    rows = db.session.execute(
        select(Form.form_id, Form.kind, Form.definition)
        .where(Form.mission_id == mission.id)
        .order_by(Form.form_id, Form.active.desc(), Form.id.desc())
    ).all()
    forms: dict[str, FormInfo] = {}
    for form_id, kind, definition in rows:
        info = forms.setdefault(form_id, FormInfo(kind, {}))
        for name, (qtype, choices) in _question_info(definition).items():
            old = info.questions.get(name)
            info.questions[name] = (old[0], old[1] | choices) if old else (qtype, choices)
    for form_id, definition in _standard_forms().items():
        if form_id not in forms:
            forms[form_id] = FormInfo(definition["kind"], _question_info(definition))
    return forms


def _strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _key(value):
    if not (isinstance(value, str) and KEY_RE.fullmatch(value)):
        raise refuse("1-60 lower-case letters, digits or underscores")
    return value


def _form(value, info):
    if not isinstance(value, str) or value not in info.context["forms"]:
        raise refuse(f"unknown form {value!r}")
    return value


def _phase(value, info):
    form = info.context["forms"].get(info.data.get("form"))  # only a known form is in data
    if form is not None and value != form.kind:
        raise refuse(f"{value!r} is not the kind of form {info.data['form']!r} ({form.kind!r})")
    return value


def _question(value, info):
    form = info.context["forms"].get(info.data.get("form"))
    found = form.questions.get(value) if form is not None and isinstance(value, str) else None
    if form is not None and found is None:
        raise refuse(f"{value!r} is not a question of {info.data['form']}")
    if found is not None and found[0] not in SINGLE_CHOICE:
        raise refuse(
            f"{value!r} is a {found[0]} question; indicators need a single-choice question "
            "(yes_no, select_one, time_band)"
        )
    return value


def _answers(value):
    if not _strings(value) or not value:
        raise refuse("a non-empty list of answer names")
    return value


def _exclude(value):
    if not _strings(value):
        raise refuse("a list of answer names")
    return value


def _label(value, info):
    if not isinstance(value, dict):
        raise refuse('an object of texts by language, e.g. {"en": …}')
    problems = []
    for lang in info.context["languages"]:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"the {lang!r} text is missing")
    for lang, text in value.items():
        if isinstance(text, str) and len(text) > MAX_LABEL:
            problems.append(f"{lang!r} is over {MAX_LABEL} characters")
        elif not isinstance(text, str):
            problems.append(f"{lang!r} must be text")
    if problems:
        raise refuse_all(problems, value)
    return value


class Indicator(CrossChecked):
    """One indicator definition as a mission saves it, checked against the mission's forms
    and languages (the validation context: {"forms": known_forms(), "languages": [...]})."""

    model_config = ConfigDict(extra="forbid")
    absent_is_null: ClassVar[bool] = False  # an absent field "is required", null is checked

    key: Annotated[str, checked(_key, str)]
    form: Annotated[str, checked(_form, str)]  # before phase and question, which read it
    phase: Annotated[str, checked(_phase, str)]
    question: Annotated[str, checked(_question, str)]
    answers: Annotated[list[str], checked(_answers, list[str])]
    exclude: Annotated[list[str], checked(_exclude, list[str])] = []  # noqa: RUF012 (pydantic copies it)
    label: Annotated[dict[str, str], checked(_label, dict[str, str])]

    @classmethod
    def across(cls, data: dict, failed: set[str], context) -> list[tuple[str, str]]:
        """Answers and exclusions are answers of the question, and not both at once."""
        form = context["forms"].get(data["form"]) if isinstance(data.get("form"), str) else None
        choices = None
        if form is not None and "question" in data and not {"form", "question"} & failed:
            choices = form.questions[data["question"]][1]
        answers = [] if "answers" in failed else data.get("answers", [])
        exclude = [] if "exclude" in failed else data.get("exclude", [])
        known = choices or set()  # None: the answers cannot be checked
        found = [
            (
                name,
                f"{value!r} is not an answer of {data['question']!r}"
                f" (answers: {', '.join(sorted(known))})",
            )
            for name, values in (("answers", answers), ("exclude", exclude))
            for value in (values if choices is not None else [])
            if value not in known
        ]
        both = sorted(set(answers) & set(exclude))
        if both:
            found.append(("exclude", f"{', '.join(both)} cannot be counted and left out"))
        return found


# The order in which an indicator's problems are listed: unknown fields, absent ones, then
# each field's own problems and the rules across fields, the label last.
MISSING_ORDER = ("key", "phase", "form", "question", "answers", "label")
CHECK_ORDER = ("key", "form", "phase", "question", "answers", "exclude", ACROSS, "label")


def _rank(problem: tuple[tuple, str, str]) -> tuple:
    loc, _, kind = problem
    name = str(loc[0]) if loc else ""
    if kind == "extra_forbidden":
        return (0, name)
    if kind == "missing":
        return (1, MISSING_ORDER.index(name))
    return (2, CHECK_ORDER.index(ACROSS if kind == ACROSS else name))


def _check_one(item, where: str, forms: dict[str, FormInfo], languages) -> list[str]:
    if not isinstance(item, dict):
        return [f"{where}: must be an object"]
    try:
        Indicator.model_validate(item, context={"forms": forms, "languages": languages})
    except ValidationError as exc:
        problems = sorted(refusals(exc), key=_rank)
        return [
            f"{where}: unknown field {loc[0]!r}"
            if kind == "extra_forbidden"
            else f"{where}: {loc[0]}: {message}"
            for loc, message, kind in problems
        ]
    return []


def _where(position: int, item) -> str:
    key = item.get("key") if isinstance(item, dict) else None
    return f"indicator {position}" + (f" ({key})" if isinstance(key, str) and key else "")


def validate_indicators(mission: Mission, data) -> list[str]:
    """Every problem of a definition list, each naming the indicator (position and key)
    and the field; [] when the list can be saved."""
    if isinstance(data, dict) and set(data) == {"indicators"}:
        data = data["indicators"]
    if not isinstance(data, list):
        return ["indicators: must be a list of indicator objects"]
    if len(data) > MAX_INDICATORS:
        return [f"indicators: at most {MAX_INDICATORS}, got {len(data)}"]
    forms = known_forms(mission)
    languages = list(dict.fromkeys([*REQUIRED_LANGUAGES, *(mission.languages or [])]))
    errors: list[str] = []
    seen: dict[str, int] = {}
    for position, item in enumerate(data, start=1):
        where = _where(position, item)
        errors.extend(_check_one(item, where, forms, languages))
        key = item.get("key") if isinstance(item, dict) else None
        if isinstance(key, str):
            if key in seen:
                errors.append(f"{where}: key: duplicate of indicator {seen[key]}")
            else:
                seen[key] = position
    return errors


def parse_indicators(text_or_data) -> tuple[object, list[str]]:
    """JSON text (or already parsed data) → (data, errors)."""
    if not isinstance(text_or_data, str | bytes):
        return text_or_data, []
    try:
        return json.loads(text_or_data), []
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return None, [f"indicators: not valid JSON ({exc})"]


def save_indicators(
    mission: Mission, text_or_data, username: str | None, expected_version: int | None = None
) -> list[str]:
    """Validate and store the mission's definitions; on any error store nothing and return
    the errors. `expected_version` (the version the editor loaded) refuses a stale edit.
    Flushes; the caller commits."""
    data, errors = parse_indicators(text_or_data)
    if errors:
        return errors
    if isinstance(data, dict) and set(data) == {"indicators"}:
        data = data["indicators"]
    errors = validate_indicators(mission, data)
    if errors:
        return errors
    stored = stored_definition(mission)
    current = stored.version if stored is not None else 0
    if expected_version is not None and expected_version != current:
        return [f"version: someone saved version {current} meanwhile; reload and edit again"]
    clean = json.loads(json.dumps(data))
    if stored is None:
        stored = ReportDefinition(mission_id=mission.id, indicators=clean, updated_by=username)
        db.session.add(stored)
    else:
        stored.indicators = clean
        stored.updated_by = username
        stored.updated_at = utcnow()
    db.session.flush()
    return []


def reset_indicators(mission: Mission) -> None:
    """Back to the default file (the audit log keeps the list that is removed)."""
    stored = stored_definition(mission)
    if stored is not None:
        db.session.delete(stored)
        db.session.flush()
