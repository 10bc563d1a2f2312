"""Answers as people read them: choice labels, one row per question, export columns.

Plain functions over a form definition (no Flask, no database), shared by the observation
page and the exports so both say the same thing.
"""

from dataclasses import dataclass

from observer_suite.checklists.definition import (
    ANSWERED_TYPES,
    CHOICE_TYPES,
    choices_for,
    text_in,
)
from observer_suite.util.intake_checks import printable

LANGUAGE = "en"


def display(definition: dict, question: dict, value, labels: bool = True, sep: str = "; "):
    """An answer for people (choice labels) or for machines (codes); None stays None."""
    if value is None:
        return None
    if question.get("type") not in CHOICE_TYPES:
        return value
    if not labels:
        return " ".join(value) if isinstance(value, list) else value
    by_name = {
        choice.get("name"): text_in(choice.get("label"), LANGUAGE) or str(choice.get("name"))
        for choice in choices_for(definition, question)
    }
    values = value if isinstance(value, list) else [value]
    return sep.join(by_name.get(v, str(v)) for v in values)


@dataclass(frozen=True)
class AnswerRow:
    name: str
    label: str
    kind: str  # "group" or the question type
    depth: int
    answered: bool
    value: object  # the label(s) shown
    code: object  # the stored value
    critical: bool


def answer_rows(definition: dict, answers: dict, critical: list[str]) -> list[AnswerRow]:
    """Every group and answered-type question of the form in order, with its answer."""
    depth: dict[str, int] = {}
    rows = []
    marked = set(critical or [])
    for question in definition.get("questions", []):
        kind = question.get("type")
        name = question.get("name")
        level = depth.get(question.get("group"), -1) + 1 if question.get("group") else 0
        if kind == "group":
            depth[name] = level
        elif kind not in ANSWERED_TYPES:
            continue
        value = answers.get(name)
        code = [printable(v) for v in value] if isinstance(value, list) else printable(value)
        rows.append(
            AnswerRow(
                name=name,
                label=text_in(question.get("label"), LANGUAGE) or name,
                kind=kind,
                depth=level,
                answered=value is not None,
                value=printable(display(definition, question, value)),
                code=code,
                critical=name in marked,
            )
        )
    return rows


def question_columns(definitions: list[dict]) -> list[tuple[str, str]]:
    """(name, label) of every answered question across the given definitions, each once,
    in the order of the first definition that has it (give the newest version first)."""
    seen: dict[str, str] = {}
    for definition in definitions:
        for question in definition.get("questions", []):
            if question.get("type") in ANSWERED_TYPES and question["name"] not in seen:
                seen[question["name"]] = text_in(question.get("label"), LANGUAGE)
    return list(seen.items())
