"""Answers against a definition: typing, skip logic, required, constraints, checks, critical.

Plain functions over plain data (no Flask, no database), used by the submission API and the
review pages; the tablet applies the same rules in static/tablet/logic.js with the same
expression engine, so what the tablet accepts the server accepts.
"""

import math
import re
from datetime import date, datetime, time

from observer_suite.checklists.definition import (
    ANSWERED_TYPES,
    CHOICE_TYPES,
    choices_for,
    text_in,
)
from observer_suite.checklists.expressions import (
    ExpressionError,
    evaluate,
    references,
    to_bool,
)

INTEGER_RE = re.compile(r"[-+]?[0-9]+")
DECIMAL_RE = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
TIME_RE = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])(?::[0-5][0-9](?:\.[0-9]+)?)?")
MAX_TEXT = 5000
RELEVANCE_PASSES = 5  # as static/tablet/logic.js


class _Invalid(ValueError):
    pass


def _empty(value) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def coerce(question: dict, value, definition: dict):
    """The stored form of one answer (see ANSWERS in the package docstring); _Invalid if not."""
    kind = question["type"]
    if kind == "integer":
        if isinstance(value, bool):
            raise _Invalid("must be a whole number")
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, str) and INTEGER_RE.fullmatch(value.strip()):
            return int(value.strip())
        raise _Invalid("must be a whole number")
    if kind == "decimal":
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return value
        text = value.strip().replace(",", ".") if isinstance(value, str) else ""
        if DECIMAL_RE.fullmatch(text):
            return float(text)
        raise _Invalid("must be a number")
    if kind == "text":
        if not isinstance(value, str):
            raise _Invalid("must be text")
        if len(value) > MAX_TEXT:
            raise _Invalid(f"must be at most {MAX_TEXT} characters")
        return value.strip()
    if kind == "time":
        match = TIME_RE.fullmatch(value.strip()) if isinstance(value, str) else None
        if not match:
            raise _Invalid("must be a time like 07:30")
        return f"{match.group(1)}:{match.group(2)}"
    if kind == "date":
        try:
            if not isinstance(value, str) or len(value.strip()) != 10:
                raise ValueError
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise _Invalid("must be a date like 2026-11-28") from None
    names = [c.get("name") for c in choices_for(definition, question)]
    if kind == "select_multiple":
        items = value.split() if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise _Invalid("must be a list of choices")
        wrong = [i for i in items if i not in names]
        if wrong:
            raise _Invalid(f"{', '.join(map(repr, wrong))} not among the choices")
        return list(dict.fromkeys(items))
    if not isinstance(value, str) or value not in names:
        raise _Invalid(f"{value!r} is not one of the choices")
    return value


def relevance(definition: dict, answers: dict) -> dict[str, bool]:
    """name → shown. A question is shown when its relevant and every enclosing group's hold;
    hidden answers count as blank, so this repeats until nothing changes."""
    questions = definition.get("questions", [])
    shown: dict[str, bool] | None = None
    visible = answers
    for _ in range(RELEVANCE_PASSES):
        current: dict[str, bool] = {}
        for q in questions:
            parent = q.get("group") is None or current.get(q["group"], True)
            current[q["name"]] = parent and _holds(q.get("relevant"), visible)
        if current == shown:
            break
        shown = current
        narrowed = {name: value for name, value in answers.items() if current.get(name, False)}
        if narrowed == visible:  # the next pass would see the same answers: a fixed point
            break
        visible = narrowed
    return shown or {}


def _holds(expression: str | None, answers: dict, current=None) -> bool:
    if not expression:
        return True
    try:
        return to_bool(evaluate(expression, answers, current))
    except ExpressionError:  # validated at import; a stored bad one must not block reports
        return True


def validate_answers(definition: dict, answers: dict) -> tuple[dict, dict[str, str]]:
    """(cleaned answers, {question name: message}). Cleaned answers hold only relevant,
    answered questions with stored types; answers to hidden questions are dropped unchecked."""
    by_name = {q["name"]: q for q in definition.get("questions", [])}
    language = definition.get("default_language", "en")
    typed: dict = {}
    type_errors: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, value in (answers or {}).items():
        question = by_name.get(name)
        if question is None:
            errors[name] = "is not a question of this form"
        elif question["type"] in ANSWERED_TYPES and not _empty(value):
            try:
                typed[name] = coerce(question, value, definition)
            except _Invalid as exc:
                type_errors[name] = str(exc)
    shown = relevance(definition, typed)
    cleaned: dict = {}
    for question in definition.get("questions", []):
        name = question["name"]
        if question["type"] not in ANSWERED_TYPES or not shown.get(name):
            continue
        if name in type_errors:
            errors[name] = type_errors[name]
        elif name in typed:
            cleaned[name] = typed[name]
        elif question.get("required"):
            errors[name] = "an answer is required"
    for name, value in cleaned.items():
        question = by_name[name]
        if question.get("constraint") and not _holds(question["constraint"], cleaned, value):
            message = text_in(question.get("constraint_message"), language)
            errors[name] = message or f"the answer does not meet {question['constraint']}"
    return cleaned, errors


def run_checks(definition: dict, answers: dict, context: dict | None = None) -> list[dict]:
    """The consistency checks that fail, as [{"id", "message"}]. A check runs only when every
    name in its `requires` (default: every name it reads) has a value."""
    values = {**(answers or {}), **(context or {})}
    language = definition.get("default_language", "en")
    failed = []
    for check in definition.get("checks", []):
        try:
            needed = check.get("requires") or sorted(references(check["expression"]))
            if any(_empty(values.get(name)) for name in needed):
                continue
            passed = to_bool(evaluate(check["expression"], values))
        except ExpressionError:
            continue
        if not passed:
            failed.append({"id": check["id"], "message": text_in(check.get("message"), language)})
    return failed


def critical_answers(definition: dict, answers: dict) -> list[str]:
    """Names of questions whose answer is one of their `critical` values, in form order."""
    found = []
    for question in definition.get("questions", []):
        critical = set(question.get("critical") or [])
        if not critical or question.get("type") not in CHOICE_TYPES:
            continue
        value = answers.get(question["name"])
        chosen = set(value) if isinstance(value, list) else {value}
        if chosen & critical:
            found.append(question["name"])
    return found


def _clock(value) -> datetime | time | None:
    if isinstance(value, datetime | time):
        return value
    if isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            return datetime.fromisoformat(text) if len(text) > 8 else time.fromisoformat(text)
        except ValueError:
            return None
    return None


def check_times(arrived_at, departed_at) -> dict | None:
    """A flag like run_checks' when the team left before it arrived, else None. Takes
    datetimes, times or ISO strings; compares like with like (naive vs aware: as given)."""
    arrived, departed = _clock(arrived_at), _clock(departed_at)
    if arrived is None or departed is None:
        return None
    if isinstance(arrived, datetime) != isinstance(departed, datetime):
        arrived = arrived.time() if isinstance(arrived, datetime) else arrived
        departed = departed.time() if isinstance(departed, datetime) else departed
    try:
        before = departed < arrived
    except TypeError:  # one aware, one naive: compare wall-clock times
        before = departed.replace(tzinfo=None) < arrived.replace(tzinfo=None)
    if not before:
        return None
    return {"id": "departure_before_arrival", "message": "Departure is before arrival"}
