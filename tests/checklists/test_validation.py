"""validate_answers, run_checks, critical_answers and check_times over plain data."""

from datetime import UTC, datetime, time

import pytest

from observer_suite.checklists.definition import normalize_definition
from observer_suite.checklists.validation import (
    FormRules,
    check_times,
    critical_answers,
    relevance,
    run_checks,
    validate_answers,
)

DEFINITION = normalize_definition({
    "form_id": "t", "version": "1", "kind": "voting", "title": {"en": "T"},
    "default_language": "fr", "languages": ["fr", "en"],
    "questions": [
        {"name": "arrival", "type": "time", "label": {"en": "Arrival"}, "required": True},
        {"name": "box", "type": "yes_no", "label": {"en": "Box sealed?"}, "required": True,
         "critical": ["no"]},
        {"name": "g", "type": "group", "label": {"en": "Problems"}, "relevant": "${box} = 'no'"},
        {"name": "why", "type": "text", "label": {"en": "Why?"}, "required": True, "group": "g"},
        {"name": "seen", "type": "select_multiple", "label": {"en": "Seen"}, "choices": "kinds",
         "group": "g", "critical": ["violence"]},
        {"name": "other", "type": "text", "label": {"en": "Other"}, "required": True,
         "relevant": "selected(${seen}, 'other')", "group": "g"},
        {"name": "staff", "type": "integer", "label": {"en": "Staff"},
         "constraint": ". >= 0 and . <= 20",
         "constraint_message": {"en": "0 to 20", "fr": "de 0 à 20"}},
        {"name": "women", "type": "integer", "label": {"en": "Women"},
         "constraint": ". <= ${staff}"},
        {"name": "minutes", "type": "decimal", "label": {"en": "Minutes"}},
        {"name": "day", "type": "date", "label": {"en": "Day"}},
        {"name": "band", "type": "time_band", "label": {"en": "Opened"}, "choices": "bands"},
        {"name": "note", "type": "note", "label": {"en": "Thanks"}},
    ],
    "choices": {
        "kinds": [{"name": "violence", "label": {"en": "Violence"}},
                  {"name": "crowd", "label": {"en": "Crowd"}},
                  {"name": "other", "label": {"en": "Other"}}],
        "bands": [{"name": "on_time", "label": {"en": "On time"}},
                  {"name": "not_opened", "label": {"en": "Did not open"}}],
    },
    "checks": [
        {"id": "women_le_staff", "expression": "${women} <= ${staff}",
         "message": {"en": "More women than staff", "fr": "Plus de femmes que de membres"}},
        {"id": "staff_le_register", "expression": "${staff} <= ${_station_registered_voters}",
         "message": {"en": "Odd"}},
    ],
})  # fmt: skip


def test_a_complete_answer_is_clean_and_typed():
    answers = {"arrival": "07:05:00", "box": "yes", "staff": "7", "women": 3.0,
               "minutes": "2,5", "day": "2026-11-28", "band": "on_time", "note": ""}  # fmt: skip
    cleaned, errors = validate_answers(DEFINITION, answers)
    assert errors == {}
    assert cleaned == {"arrival": "07:05", "box": "yes", "staff": 7, "women": 3,
                       "minutes": 2.5, "day": "2026-11-28", "band": "on_time"}  # fmt: skip
    assert type(cleaned["staff"]) is int and type(cleaned["women"]) is int


def test_required_only_when_relevant_and_group_relevance():
    _, errors = validate_answers(DEFINITION, {"arrival": "07:00", "box": "yes"})
    assert errors == {}
    _, errors = validate_answers(DEFINITION, {"arrival": "07:00", "box": "no"})
    assert errors == {"why": "an answer is required"}
    _, errors = validate_answers(DEFINITION, {})
    assert errors == {"arrival": "an answer is required", "box": "an answer is required"}


def test_non_relevant_answers_are_dropped_even_when_invalid():
    answers = {"arrival": "07:00", "box": "yes", "why": "x", "seen": ["nonsense"], "other": 5}
    cleaned, errors = validate_answers(DEFINITION, answers)
    assert errors == {} and cleaned == {"arrival": "07:00", "box": "yes"}


def test_nested_relevance_follows_hidden_answers():
    answers = {"arrival": "07:00", "box": "no", "why": "torn", "seen": ["other"], "other": "x"}
    cleaned, errors = validate_answers(DEFINITION, answers)
    assert errors == {} and cleaned["other"] == "x"
    shown = relevance(DEFINITION, {**answers, "box": "yes"})
    assert shown["g"] is False and shown["seen"] is False and shown["other"] is False


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("staff", "seven", "must be a whole number"),
        ("staff", 7.5, "must be a whole number"),
        ("staff", True, "must be a whole number"),
        ("minutes", "fast", "must be a number"),
        ("minutes", float("nan"), "must be a number"),
        ("arrival", "7h", "must be a time like 07:30"),
        ("arrival", "24:00", "must be a time like 07:30"),
        ("day", "28/11/2026", "must be a date like 2026-11-28"),
        ("day", "2026-02-30", "must be a date like 2026-11-28"),
        ("box", "maybe", "'maybe' is not one of the choices"),
        ("band", "late", "'late' is not one of the choices"),
        ("box", ["yes"], "is not one of the choices"),
    ],
)
def test_type_errors(name, value, message):
    _, errors = validate_answers(DEFINITION, {"arrival": "07:00", "box": "yes", name: value})
    assert message in errors[name]


def test_select_multiple_accepts_lists_and_space_separated_text():
    base = {"arrival": "07:00", "box": "no", "why": "x"}
    cleaned, errors = validate_answers(DEFINITION, {**base, "seen": "crowd violence crowd"})
    assert errors == {} and cleaned["seen"] == ["crowd", "violence"]
    _, errors = validate_answers(DEFINITION, {**base, "seen": ["crowd", "fire"]})
    assert errors == {"seen": "'fire' not among the choices"}


def test_constraints_use_the_default_language_message():
    base = {"arrival": "07:00", "box": "yes"}
    _, errors = validate_answers(DEFINITION, {**base, "staff": 25})
    assert errors == {"staff": "de 0 à 20"}
    _, errors = validate_answers(DEFINITION, {**base, "staff": 5, "women": 6})
    assert errors == {"women": "the answer does not meet . <= ${staff}"}


def test_unknown_answers_are_errors():
    _, errors = validate_answers(DEFINITION, {"arrival": "07:00", "box": "yes", "zz": 1})
    assert errors == {"zz": "is not a question of this form"}


def test_run_checks_skips_unanswered_and_reads_station_values():
    assert run_checks(DEFINITION, {"women": 4}, {}) == []
    assert run_checks(DEFINITION, {"women": 4, "staff": 3}, {}) == [
        {"id": "women_le_staff", "message": "Plus de femmes que de membres"}
    ]
    flags = run_checks(DEFINITION, {"staff": 30}, {"_station_registered_voters": 20})
    assert flags == [{"id": "staff_le_register", "message": "Odd"}]
    assert run_checks(DEFINITION, {"staff": 30}, {"_station_registered_voters": None}) == []


def test_critical_answers():
    answers = {"box": "no", "seen": ["crowd", "violence"]}
    assert critical_answers(DEFINITION, answers) == ["box", "seen"]
    assert critical_answers(DEFINITION, {"box": "yes", "seen": ["crowd"]}) == []


@pytest.mark.parametrize(
    "answers",
    [
        {"arrival": "07:05", "box": "yes", "staff": "7", "women": 9},
        {"arrival": "07:00", "box": "no", "why": "torn", "seen": ["other", "violence"]},
        {"arrival": "7h", "box": "maybe", "staff": 25, "zz": 1},
        {},
    ],
)
def test_rules_built_once_answer_as_the_definition_does(answers):
    rules = FormRules(DEFINITION)  # what the submission API keeps per form version
    for _ in range(2):  # and reuses, upload after upload
        assert validate_answers(rules, answers) == validate_answers(DEFINITION, answers)
        cleaned, _ = validate_answers(rules, answers)
        context = {"_station_registered_voters": 5}
        assert run_checks(rules, cleaned, context) == run_checks(DEFINITION, cleaned, context)
        assert critical_answers(rules, cleaned) == critical_answers(DEFINITION, cleaned)


def test_a_stored_expression_that_does_not_parse_neither_hides_nor_flags():
    broken = normalize_definition({
        **DEFINITION,
        "questions": [
            {"name": "staff", "type": "integer", "label": {"en": "Staff"},
             "relevant": "${box} = = 'no'", "constraint": ". <"},
        ],
        "checks": [{"id": "bad", "expression": "${staff} >", "message": {"en": "Bad"}}],
    })  # fmt: skip
    rules = FormRules(broken)
    assert validate_answers(rules, {"staff": 3}) == ({"staff": 3}, {})
    assert run_checks(rules, {"staff": 3}) == []


@pytest.mark.parametrize(
    ("arrived", "departed", "flagged"),
    [
        (datetime(2026, 11, 28, 9, 0), datetime(2026, 11, 28, 8, 30), True),
        (datetime(2026, 11, 28, 9, 0), datetime(2026, 11, 28, 9, 30), False),
        ("2026-11-28T09:00:00+00:00", "2026-11-28T08:00:00+00:00", True),
        (time(9, 0), time(8, 59), True),
        ("09:00", "09:00", False),
        (datetime(2026, 11, 28, 9, 0, tzinfo=UTC), datetime(2026, 11, 28, 8, 0), True),
        (None, "08:00", False),
        ("not a time", "08:00", False),
    ],
)
def test_check_times(arrived, departed, flagged):
    flag = check_times(arrived, departed)
    assert (flag is not None) == flagged
    if flagged:
        assert flag == {"id": "departure_before_arrival", "message": "Departure is before arrival"}
