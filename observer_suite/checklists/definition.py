"""The canonical form definition: constants, checks, and loading the standard forms in forms/.

validate_definition() is the one gate every definition passes (forms/ files, XLSForm imports,
the API), so the tablet and the server can trust what they read. Messages name the survey row
when the question came from an XLSForm, else the question.
"""

import copy
import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import ValidationError

from observer_suite.checklists.expressions import (
    NAME_RE,
    ExpressionError,
    parse,
    references,
    uses_current,
)
from observer_suite.errors import ServiceError
from observer_suite.util.schema import Declared, checked, refusals, refuse, refuse_all

FORMS_DIR = Path(__file__).resolve().parents[2] / "forms"
KINDS = ("opening", "voting", "closing", "counting", "tabulation", "other")
CHOICE_TYPES = {"yes_no", "select_one", "select_multiple", "time_band"}
ANSWERED_TYPES = CHOICE_TYPES | {"integer", "decimal", "text", "time", "date"}
TYPES = ANSWERED_TYPES | {"note", "group"}
CONTEXT_PREFIX = "_station_"  # reserved: values the server supplies when checks run
CONTEXT_NAMES = {"_station_registered_voters"}
FORM_ID_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,79}")
YES_NO_NA = [
    {"name": "yes", "label": {"en": "Yes", "fr": "Oui"}},
    {"name": "no", "label": {"en": "No", "fr": "Non"}},
    {"name": "na", "label": {"en": "Not applicable", "fr": "Sans objet"}},
]


class FormFileError(ServiceError):
    """A checklist file that cannot be loaded; `errors` lists every problem in it."""

    def __init__(self, path: Path, errors: list[str]):
        super().__init__(f"{path.name}: " + "; ".join(errors))
        self.errors = errors


def where(item: dict, column: str | None = None) -> str:
    """'survey row 14, column relevant' for imported questions, else "question 'x', relevant"."""
    if item.get("row"):
        base = f"survey row {item['row']}"
        return f"{base}, column {column}" if column else base
    base = f"question {item.get('name')!r}"
    return f"{base}, {column}" if column else base


def _check_where(check: dict, column: str) -> str:
    if check.get("row"):
        return f"checks row {check['row']}, column {column}"
    return f"check {check.get('id')!r}, {column}"


def list_name(question: dict) -> str | None:
    if question.get("type") == "yes_no":
        return question.get("choices") or "yes_no_na"
    return question.get("choices")


def choices_for(definition: dict, question: dict) -> list[dict]:
    name = list_name(question)
    found = (definition.get("choices") or {}).get(name)
    if found is None and question.get("type") == "yes_no" and name == "yes_no_na":
        return YES_NO_NA
    return found or []


def answered_questions(definition: dict) -> list[dict]:
    return [q for q in definition.get("questions", []) if q.get("type") in ANSWERED_TYPES]


def text_in(labels, language: str, fallback: str = "en") -> str:
    """A label in `language`, else the fallback language, else any."""
    if isinstance(labels, str):
        return labels
    if not labels:
        return ""
    return labels.get(language) or labels.get(fallback) or next(iter(labels.values()), "")


def normalize_definition(definition: dict) -> dict:
    """A copy with the implied parts spelled out, so clients need not know them: yes_no
    questions name their list, and the yes_no_na list is present when used."""
    result = copy.deepcopy(definition)
    choices = result.setdefault("choices", {})
    for question in result.get("questions", []):
        if question.get("type") == "yes_no" and not question.get("choices"):
            question["choices"] = "yes_no_na"
            choices.setdefault("yes_no_na", copy.deepcopy(YES_NO_NA))
    return result


def _is_labels(value) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def validate_definition(definition) -> list[str]:
    """Every problem of a canonical definition, one message each; [] when it is sound."""
    if not isinstance(definition, dict):
        return ["the definition must be a JSON object"]
    errors = _top_level(definition)
    questions = definition.get("questions")
    if not isinstance(questions, list):
        return [*errors, "questions: must be a list"]
    kinds = _names(questions, errors)
    if not any(kinds.get(q.get("name")) in ANSWERED_TYPES for q in questions if _named(q)):
        errors.append("survey: the form has no questions that take an answer")
    groups: set[str] = set()
    for question in questions:
        if _named(question):
            _question(definition, question, kinds, groups, errors)
    _checks(definition.get("checks", []), kinds, errors)
    return errors


def _named(question) -> bool:
    return isinstance(question, dict) and isinstance(question.get("name"), str)


def _form_id(value):
    if not isinstance(value, str) or not FORM_ID_RE.fullmatch(value):
        raise refuse(f"a form_id of letters, digits, _ - . (at most 80) is required, not {value!r}")
    return value


def _version(value):
    if not isinstance(value, str) or not value.strip() or len(value) > 40:
        raise refuse("a version (at most 40 characters) is required; raise it with every change")
    return value


def _kind(value):
    if value not in KINDS:
        raise refuse(f"must be one of {', '.join(KINDS)}, not {value!r}")
    return value


def _title(value):
    if not _is_labels(value) or not value:
        raise refuse("must be labels by language, e.g. {'en': 'Voting'}")
    return value


def _languages(value):
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise refuse("must be a list of language codes")
    return value


def _language(value):
    if not isinstance(value, str):
        raise refuse("must be a language code")
    return value


def _choice_lists(value):
    """Each list has choices, each with a name, once, and a label by language."""
    if not isinstance(value, dict):
        raise refuse("must map list names to choices")
    problems = []
    for name, items in value.items():
        if not isinstance(items, list) or not items:
            problems.append(((name,), "has no choices"))
            continue
        seen = set()
        for item in items:
            choice = item.get("name") if isinstance(item, dict) else None
            if not isinstance(choice, str) or not choice:
                problems.append(((name,), "a choice has no name"))
            elif choice in seen:
                problems.append(((name,), f"choice {choice!r} appears twice"))
            elif not _is_labels(item.get("label", {})):
                problems.append(((name, choice), "bad label"))
            seen.add(choice)
    if problems:
        raise refuse_all(problems, value)
    return value


class FormSettings(Declared):
    """A definition's settings and choice lists (questions and checks are checked below,
    where each message names its survey or checks row)."""

    form_id: Annotated[str, checked(_form_id, str)]
    version: Annotated[str, checked(_version, str)]
    kind: Annotated[str, checked(_kind, Literal[KINDS])]
    title: Annotated[dict[str, str], checked(_title, dict[str, str])]
    languages: Annotated[list[str], checked(_languages, list[str])]
    default_language: Annotated[str, checked(_language, str)]
    choices: Annotated[dict, checked(_choice_lists, dict[str, list[dict]])] = {}  # noqa: RUF012 (pydantic copies it)


SETTINGS_WHERE = {
    "form_id": "settings sheet, column form_id",
    "version": "settings sheet, column version",
}


def _settings_where(loc: tuple[Any, ...]) -> str:
    first = loc[0]
    if first == "choices" and len(loc) > 1:
        return f"choices list {loc[1]!r}" + (f", choice {loc[2]!r}" if len(loc) > 2 else "")
    return SETTINGS_WHERE.get(first, str(first))


def _top_level(definition: dict) -> list[str]:
    try:
        FormSettings.model_validate(definition)
    except ValidationError as exc:
        return [f"{_settings_where(loc)}: {message}" for loc, message, _ in refusals(exc)]
    return []


def _names(questions: list, errors: list[str]) -> dict[str, str]:
    """name → type, reporting bad and repeated names (answers are one flat dict)."""
    kinds: dict[str, str] = {}
    first: dict[str, dict] = {}
    for question in questions:
        if not _named(question):
            errors.append(f"{where(question or {})}: every question needs a name")
            continue
        name = question["name"]
        if not NAME_RE.fullmatch(name):
            errors.append(
                f"{where(question, 'name')}: {name!r} must start with a letter or _ and hold "
                "only letters, digits, _ - ."
            )
        elif name.startswith(CONTEXT_PREFIX):
            errors.append(f"{where(question, 'name')}: names starting {CONTEXT_PREFIX} are taken")
        if name in first:
            also = first[name].get("row")
            errors.append(
                f"{where(question, 'name')}: duplicate name {name!r}"
                + (f" (also survey row {also})" if also else "")
                + "; names must be unique in the whole form"
            )
            continue
        first[name] = question
        kinds[name] = question.get("type")
    return kinds


def _question(definition, question, kinds, groups, errors) -> None:
    name, kind = question["name"], question.get("type")
    if kind not in TYPES:
        errors.append(f"{where(question, 'type')}: unknown type {kind!r}")
        return
    group = question.get("group")
    if group is not None and group not in groups:
        errors.append(f"{where(question)}: group {group!r} is not a group defined above it")
    if kind == "group":
        groups.add(name)
    for column in ("label", "hint", "constraint_message"):
        if column in question and not _is_labels(question[column]):
            errors.append(f"{where(question, column)}: must be text by language")
    if kind != "group" and not (question.get("label") or {}):
        errors.append(f"{where(question, 'label')}: a label is required")
    if not isinstance(question.get("required", False), bool):
        errors.append(f"{where(question, 'required')}: must be true or false")
    _choices(definition, question, errors)
    _expression(question, "relevant", kinds, errors)
    if question.get("constraint") is not None:
        if kind not in ANSWERED_TYPES:
            errors.append(f"{where(question, 'constraint')}: a {kind} takes no answer to check")
        else:
            _expression(question, "constraint", kinds, errors)


def _choices(definition, question, errors) -> None:
    kind = question.get("type")
    if kind not in CHOICE_TYPES:
        if question.get("choices"):
            errors.append(f"{where(question, 'type')}: a {kind} question has no choice list")
        if question.get("critical"):
            errors.append(f"{where(question, 'critical')}: only choice questions can be critical")
        return
    name = list_name(question)
    if name not in (definition.get("choices") or {}) and not (
        kind == "yes_no" and name == "yes_no_na"
    ):
        errors.append(f"{where(question, 'type')}: choice list {name!r} does not exist")
        return
    names = {c.get("name") for c in choices_for(definition, question) if isinstance(c, dict)}
    critical = question.get("critical", [])
    if not isinstance(critical, list):
        errors.append(f"{where(question, 'critical')}: must be a list of choice names")
        return
    for value in critical:
        if value not in names:
            errors.append(f"{where(question, 'critical')}: {value!r} is not a choice of {name!r}")


def _expression(question, column, kinds, errors) -> None:
    expr = question.get(column)
    if expr is None:
        return
    try:
        names = references(parse(expr))
    except ExpressionError as exc:
        errors.append(f"{where(question, column)}: {exc}")
        return
    for name in sorted(names):
        problem = _reference_problem(name, kinds, allow_context=False)
        if problem is None and column == "relevant" and name == question["name"]:
            problem = "a question cannot depend on itself"
        if problem:
            errors.append(f"{where(question, column)}: {problem}")


def _reference_problem(name: str, kinds: dict, allow_context: bool) -> str | None:
    if name.startswith(CONTEXT_PREFIX):
        if not allow_context:
            return f"${{{name}}} is a station value that only checks may use"
        return None if name in CONTEXT_NAMES else f"unknown station value ${{{name}}}"
    if name not in kinds:
        return f"unknown question ${{{name}}}"
    if kinds[name] not in ANSWERED_TYPES:
        return f"${{{name}}} is a {kinds[name]} and has no answer"
    return None


def _checks(checks, kinds, errors) -> None:
    if not isinstance(checks, list):
        errors.append("checks: must be a list")
        return
    seen = set()
    for check in checks:
        if not isinstance(check, dict):
            errors.append("checks: every check must be an object")
            continue
        ident = check.get("id")
        if not isinstance(ident, str) or not NAME_RE.fullmatch(ident) or ident in seen:
            errors.append(f"{_check_where(check, 'id')}: a unique id is required, not {ident!r}")
        seen.add(ident)
        if not _is_labels(check.get("message")) or not check.get("message"):
            errors.append(f"{_check_where(check, 'message')}: a message is required")
        try:
            tree = parse(check.get("expression"))
        except ExpressionError as exc:
            errors.append(f"{_check_where(check, 'expression')}: {exc}")
            continue
        if uses_current(tree):
            errors.append(f"{_check_where(check, 'expression')}: '.' has no meaning in a check")
        names = references(tree)
        requires = check.get("requires", sorted(names))
        if not isinstance(requires, list):
            errors.append(f"{_check_where(check, 'requires')}: must be a list of names")
            requires = []
        for name in sorted(names | {str(n) for n in requires}):
            problem = _reference_problem(name, kinds, allow_context=True)
            if problem:
                column = "expression" if name in names else "requires"
                errors.append(f"{_check_where(check, column)}: {problem}")


def load_form_file(path: Path) -> dict:
    """A forms/*.json file as a normalized, validated definition; FormFileError otherwise."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormFileError(Path(path), [f"cannot read: {exc}"]) from None
    definition = normalize_definition(raw) if isinstance(raw, dict) else raw
    errors = validate_definition(definition)
    if errors:
        raise FormFileError(Path(path), errors)
    return definition


def standard_form_files() -> list[Path]:
    return sorted(FORMS_DIR.glob("*.json"))
