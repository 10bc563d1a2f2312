"""The standard forms in forms/ and the rules of validate_definition."""

import copy
import json

import pytest

from observer_suite.checklists.definition import (
    FormFileError,
    answered_questions,
    choices_for,
    load_form_file,
    normalize_definition,
    standard_form_files,
    validate_definition,
)
from observer_suite.checklists.validation import critical_answers, run_checks


def _forms() -> dict[str, dict]:
    return {path.stem: load_form_file(path) for path in standard_form_files()}


def test_the_four_standard_forms_are_valid_and_bilingual():
    forms = _forms()
    assert set(forms) == {"opening", "voting", "closing_counting", "tabulation"}
    kinds = {name: form["kind"] for name, form in forms.items()}
    assert kinds == {
        "opening": "opening",
        "voting": "voting",
        "closing_counting": "counting",
        "tabulation": "tabulation",
    }
    for form in forms.values():
        assert validate_definition(form) == []
        assert form["languages"] == ["en", "fr"]
        for item in form["questions"]:
            assert set(item["label"]) == {"en", "fr"}, item["name"]
            for choice in choices_for(form, item):
                assert set(choice["label"]) == {"en", "fr"}
        assert any(q.get("critical") for q in form["questions"])
        overall = next(q for q in form["questions"] if q["name"] == "overall")
        assert [c["name"] for c in choices_for(form, overall)] == [
            "very_good", "good", "bad", "very_bad"
        ]  # fmt: skip


def test_opening_form_has_the_issue_questions():
    opening = _forms()["opening"]
    by_name = {q["name"]: q for q in opening["questions"]}
    band = by_name["opening_band"]
    assert band["type"] == "time_band"
    assert [c["name"] for c in choices_for(opening, band)] == [
        "on_time", "late_less_30", "late_more_30", "not_opened"
    ]  # fmt: skip
    assert by_name["ballot_box_sealed"]["critical"] == ["no"]
    assert by_name["seal_numbers_recorded"]["relevant"] == "${ballot_box_sealed} = 'yes'"
    assert by_name["staff_women"]["constraint"] == ". >= 0 and . <= ${staff_total}"
    for name in ("ballot_box_shown_empty", "materials_present", "party_agents_present",
                 "citizen_observers_present", "secrecy_layout", "access_disabled"):  # fmt: skip
        assert by_name[name]["type"] == "yes_no"
    assert critical_answers(opening, {"ballot_box_sealed": "no", "overall": "good"}) == [
        "ballot_box_sealed"
    ]


def test_counting_checks_catch_inconsistent_figures():
    counting = _forms()["closing_counting"]
    good = {"registered_voters": 500, "voters_voted": 300, "ballots_cast": 300,
            "invalid_ballots": 10, "votes_1": 150, "votes_2": 140}  # fmt: skip
    assert run_checks(counting, good, {"_station_registered_voters": 500}) == []
    bad = {**good, "ballots_cast": 520, "voters_voted": 510}
    assert {f["id"] for f in run_checks(counting, bad, {"_station_registered_voters": 500})} == {
        "cast_le_registered", "voted_le_registered", "cast_le_voted", "votes_add_up",
        "voted_le_station_register",
    }  # fmt: skip
    with_more = {**good, "votes_3": 5}
    assert [f["id"] for f in run_checks(counting, with_more, {})] == ["votes_add_up"]
    partial = {"ballots_cast": 600}  # nothing to compare with: no flags
    assert run_checks(counting, partial, {"_station_registered_voters": None}) == []


def test_normalize_spells_out_yes_no_lists():
    definition = {"questions": [{"name": "q", "type": "yes_no", "label": {"en": "Q"}}]}
    normalized = normalize_definition(definition)
    assert normalized["questions"][0]["choices"] == "yes_no_na"
    assert [c["name"] for c in normalized["choices"]["yes_no_na"]] == ["yes", "no", "na"]
    assert "choices" not in definition["questions"][0]  # the input is not changed


def _minimal() -> dict:
    return {
        "form_id": "f", "version": "1", "kind": "voting", "title": {"en": "F"},
        "default_language": "en", "languages": ["en"],
        "questions": [
            {"name": "g", "type": "group", "label": {"en": "G"}, "group": None},
            {"name": "a", "type": "yes_no", "label": {"en": "A"}, "group": "g"},
            {"name": "n", "type": "integer", "label": {"en": "N"}, "group": "g"},
        ],
        "choices": {}, "checks": [],
    }  # fmt: skip


def _with(change) -> list[str]:
    definition = _minimal()
    change(definition)
    return validate_definition(definition)


def test_minimal_definition_is_valid():
    assert validate_definition(_minimal()) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["questions"].append(dict(d["questions"][2])), "duplicate name 'n'"),
        (lambda d: d["questions"][2].update(name="2n"), "must start with a letter"),
        (lambda d: d["questions"][2].update(name="_station_x"), "are taken"),
        (lambda d: d["questions"][1].update(choices="nope"), "choice list 'nope' does not exist"),
        (lambda d: d["questions"][1].update(critical=["maybe"]), "'maybe' is not a choice"),
        (lambda d: d["questions"][2].update(critical=["1"]), "only choice questions"),
        (lambda d: d["questions"][2].update(relevant="${a} = "), "unexpected end"),
        (lambda d: d["questions"][2].update(relevant="${zz} = 1"), "unknown question ${zz}"),
        (lambda d: d["questions"][2].update(relevant="${g} = 1"), "${g} is a group"),
        (lambda d: d["questions"][2].update(relevant="${n} = 1"), "cannot depend on itself"),
        (
            lambda d: d["questions"][2].update(constraint=". <= ${_station_registered_voters}"),
            "only checks may use",
        ),
        (lambda d: d["questions"][0].update(constraint=". > 1"), "takes no answer"),
        (lambda d: d["questions"][2].update(group="nowhere"), "group 'nowhere' is not a group"),
        (lambda d: d["questions"][2].update(type="geopoint"), "unknown type 'geopoint'"),
        (lambda d: d["questions"][2].pop("label"), "a label is required"),
        (lambda d: d.update(version=""), "column version"),
        (lambda d: d.update(form_id="a b"), "column form_id"),
        (lambda d: d.update(kind="incident"), "kind: must be one of"),
        (lambda d: d.update(questions=[]), "no questions that take an answer"),
        (
            lambda d: d["checks"].append(
                {"id": "c", "expression": ". > 1", "message": {"en": "m"}}
            ),
            "'.' has no meaning in a check",
        ),
        (
            lambda d: d["checks"].append(
                {"id": "c", "expression": "${x} > 1", "message": {"en": "m"}}
            ),
            "unknown question ${x}",
        ),
        (
            lambda d: d["checks"].append(
                {"id": "c", "expression": "${n} >", "message": {"en": "m"}}
            ),
            "check 'c', expression: unexpected end",
        ),
        (
            lambda d: d["checks"].append(
                {"id": "c", "expression": "${n} > 1", "message": {"en": "m"}, "requires": ["q"]}
            ),
            "check 'c', requires: unknown question ${q}",
        ),
        (
            lambda d: d["checks"].append({"id": "c", "expression": "${n} > 1"}),
            "message is required",
        ),
        (
            lambda d: d["choices"].update(
                l=[{"name": "x", "label": {}}, {"name": "x", "label": {}}]
            ),
            "choice 'x' appears twice",
        ),
    ],
)
def test_each_rule_has_a_message(change, message):
    errors = _with(change)
    assert any(message in error for error in errors), errors


def test_station_values_are_allowed_in_checks():
    def add(d):
        d["checks"].append(
            {
                "id": "c",
                "expression": "${n} <= ${_station_registered_voters}",
                "message": {"en": "m"},
            }
        )

    assert _with(add) == []


def test_messages_name_the_survey_row_when_there_is_one():
    definition = _minimal()
    definition["questions"][2].update(row=7, relevant="${a} = ")
    assert validate_definition(definition) == [
        "survey row 7, column relevant: unexpected end of expression at character 8"
    ]


def test_a_broken_form_file_is_refused_with_its_errors(tmp_path):
    broken = copy.deepcopy(_minimal())
    broken["questions"][2]["constraint"] = ". >"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(FormFileError) as caught:
        load_form_file(path)
    assert caught.value.errors == [
        "question 'n', constraint: unexpected end of expression at character 4"
    ]
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(FormFileError, match="cannot read"):
        load_form_file(tmp_path / "bad.json")


def test_answered_questions_skip_groups_and_notes():
    opening = _forms()["opening"]
    names = [q["name"] for q in answered_questions(opening)]
    assert "preparations" not in names and "arrival_time" in names
