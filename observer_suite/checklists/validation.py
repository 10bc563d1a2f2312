"""Answers against a definition: typing, skip logic, required, constraints, checks, critical.

Plain functions over plain data (no Flask, no database), used by the submission API and the
review pages; the tablet applies the same rules in static/tablet/logic.js with the same
expression engine, so what the tablet accepts the server accepts.
"""

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from observer_suite.checklists.definition import (
    ANSWERED_TYPES,
    CHOICE_TYPES,
    choices_for,
    text_in,
)
from observer_suite.checklists.expressions import (
    NO_NAMES,
    ExpressionError,
    compiled,
    references,
    to_bool,
    value_of,
)

INTEGER_RE = re.compile(r"[-+]?[0-9]+")
DECIMAL_RE = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
TIME_RE = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])(?::[0-5][0-9](?:\.[0-9]+)?)?")
MAX_TEXT = 5000
# Numbers the form gives no narrower bound: beyond this an answer is a typing slip or an
# attack, and a Python int past 64 bits cannot be written to the JSON column (a 500).
NUMBER_LIMIT = 10**12
MAX_DIGITS = 16  # a digit string longer than any number within NUMBER_LIMIT; int() of
# over 4,300 digits raises ValueError
RELEVANCE_PASSES = 5  # as static/tablet/logic.js


class _Invalid(ValueError):
    pass


def _empty(value) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _always(_answers, _current, _numeric) -> bool:
    return True


def _test(expression: str | None):
    """A compiled condition, or None when there is none. A stored expression that does not
    parse holds (it was validated at import; it must not block submissions or reports)."""
    if not expression:
        return None
    try:
        return compiled(expression)
    except ExpressionError:
        return _always


@dataclass(frozen=True, slots=True)
class _Question:
    name: str
    kind: str
    group: str | None
    relevant: Callable | None
    required: bool
    choices: frozenset  # the names a choice question accepts
    constraint: Callable | None
    constraint_text: str
    constraint_message: str
    critical: frozenset


@dataclass(frozen=True, slots=True)
class _Check:
    id: str
    test: Callable
    needed: tuple
    message: str


class FormRules:
    """A definition's rules, with expressions compiled and lookups built once: the
    submission API keeps one per form version (observations.submission) and checks every
    answer of every upload against it. The functions below accept one or a plain definition."""

    def __init__(self, definition: dict):
        language = definition.get("default_language", "en")
        questions = []
        for q in definition.get("questions", []):
            choice = q.get("type") in CHOICE_TYPES
            questions.append(
                _Question(
                    name=q["name"],
                    kind=q.get("type"),
                    group=q.get("group"),
                    relevant=_test(q.get("relevant")),
                    required=bool(q.get("required")),
                    choices=frozenset(
                        c.get("name") for c in (choices_for(definition, q) if choice else ())
                    ),
                    constraint=_test(q.get("constraint")),
                    constraint_text=q.get("constraint") or "",
                    constraint_message=text_in(q.get("constraint_message"), language),
                    critical=frozenset((q.get("critical") or ()) if choice else ()),
                )
            )
        self.questions = tuple(questions)
        self.by_name = {q.name: q for q in questions}
        self.answered = tuple(q for q in questions if q.kind in ANSWERED_TYPES)
        self.critical = tuple(q for q in questions if q.critical)
        checks = []
        for check in definition.get("checks", []):
            try:
                needed = check.get("requires") or sorted(references(check["expression"]))
                test = compiled(check["expression"])
            except ExpressionError:
                continue
            message = text_in(check.get("message"), language)
            checks.append(_Check(check["id"], test, tuple(needed), message))
        self.checks = tuple(checks)


def rules_of(definition: "dict | FormRules") -> FormRules:
    return definition if isinstance(definition, FormRules) else FormRules(definition)


def _holds(test, answers: dict, current=None) -> bool:
    return to_bool(test(answers, value_of(current), NO_NAMES))


def _integer(value) -> int:
    if isinstance(value, bool):
        raise _Invalid("must be a whole number")
    if isinstance(value, float) and value.is_integer():  # NaN and ±Infinity are not
        return int(value)
    if isinstance(value, int):
        return value
    text = value.strip() if isinstance(value, str) else ""
    if INTEGER_RE.fullmatch(text):
        if len(text.lstrip("+-").lstrip("0")) > MAX_DIGITS:
            raise _Invalid(_OUT_OF_RANGE)
        return int(text)
    raise _Invalid("must be a whole number")


def _decimal(value) -> float | int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):  # NaN, ±Infinity
            raise _Invalid("must be a number")
        return value
    text = value.strip().replace(",", ".") if isinstance(value, str) else ""
    if DECIMAL_RE.fullmatch(text):
        number = float(text)  # never raises; 400 digits give inf, refused below
        if not math.isfinite(number):
            raise _Invalid(_OUT_OF_RANGE)
        return number
    raise _Invalid("must be a number")


_OUT_OF_RANGE = f"must be between -{NUMBER_LIMIT:,} and {NUMBER_LIMIT:,}"


def _bounded(number):
    if not -NUMBER_LIMIT <= number <= NUMBER_LIMIT:
        raise _Invalid(_OUT_OF_RANGE)
    return number


def _coerce(question: _Question, value):
    """The stored form of one answer (see ANSWERS in the package docstring); _Invalid if not."""
    kind = question.kind
    if kind == "integer":
        return _bounded(_integer(value))
    if kind == "decimal":
        return _bounded(_decimal(value))
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
    names = question.choices
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


def relevance(definition: "dict | FormRules", answers: dict) -> dict[str, bool]:
    """name → shown. A question is shown when its relevant and every enclosing group's hold;
    hidden answers count as blank, so this repeats until nothing changes."""
    questions = rules_of(definition).questions
    shown: dict[str, bool] | None = None
    visible = answers
    for _ in range(RELEVANCE_PASSES):
        current: dict[str, bool] = {}
        for q in questions:
            parent = q.group is None or current.get(q.group, True)
            current[q.name] = parent and (q.relevant is None or _holds(q.relevant, visible))
        if current == shown:
            break
        shown = current
        narrowed = {name: value for name, value in answers.items() if current.get(name, False)}
        if narrowed == visible:  # the next pass would see the same answers: a fixed point
            break
        visible = narrowed
    return shown or {}


def validate_answers(definition: "dict | FormRules", answers: dict) -> tuple[dict, dict[str, str]]:
    """(cleaned answers, {question name: message}). Cleaned answers hold only relevant,
    answered questions with stored types; answers to hidden questions are dropped unchecked."""
    rules = rules_of(definition)
    typed: dict = {}
    type_errors: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, value in (answers or {}).items():
        question = rules.by_name.get(name)
        if question is None:
            errors[name] = "is not a question of this form"
        elif question.kind in ANSWERED_TYPES and not _empty(value):
            try:
                typed[name] = _coerce(question, value)
            except _Invalid as exc:
                type_errors[name] = str(exc)
    shown = relevance(rules, typed)
    cleaned: dict = {}
    for question in rules.answered:
        name = question.name
        if not shown.get(name):
            continue
        if name in type_errors:
            errors[name] = type_errors[name]
        elif name in typed:
            cleaned[name] = typed[name]
        elif question.required:
            errors[name] = "an answer is required"
    for name, value in cleaned.items():
        question = rules.by_name[name]
        if question.constraint is not None and not _holds(question.constraint, cleaned, value):
            message = question.constraint_message
            errors[name] = message or f"the answer does not meet {question.constraint_text}"
    return cleaned, errors


def run_checks(definition: "dict | FormRules", answers: dict, context: dict | None = None):
    """The consistency checks that fail, as [{"id", "message"}]. A check runs only when every
    name in its `requires` (default: every name it reads) has a value."""
    values = {**(answers or {}), **(context or {})}
    failed = []
    for check in rules_of(definition).checks:
        if any(_empty(values.get(name)) for name in check.needed):
            continue
        if not to_bool(check.test(values, "", NO_NAMES)):
            failed.append({"id": check.id, "message": check.message})
    return failed


def critical_answers(definition: "dict | FormRules", answers: dict) -> list[str]:
    """Names of questions whose answer is one of their `critical` values, in form order."""
    found = []
    for question in rules_of(definition).critical:
        value = answers.get(question.name)
        chosen = set(value) if isinstance(value, list) else {value}
        if chosen & question.critical:
            found.append(question.name)
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


def _before(departed, arrived) -> bool:
    """departed < arrived for two datetimes or two times (check_times makes them alike)."""
    try:
        return departed < arrived
    except TypeError:  # one aware, one naive: compare wall-clock times
        return departed.replace(tzinfo=None) < arrived.replace(tzinfo=None)


def check_times(arrived_at, departed_at) -> dict | None:
    """A flag like run_checks' when the team left before it arrived, else None. Takes
    datetimes, times or ISO strings; compares like with like (naive vs aware: as given)."""
    arrived, departed = _clock(arrived_at), _clock(departed_at)
    if arrived is None or departed is None:
        return None
    if isinstance(arrived, datetime) != isinstance(departed, datetime):
        arrived = arrived.time() if isinstance(arrived, datetime) else arrived
        departed = departed.time() if isinstance(departed, datetime) else departed
    if not _before(departed, arrived):
        return None
    return {"id": "departure_before_arrival", "message": "Departure is before arrival"}
