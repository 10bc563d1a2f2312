"""XLSForm import: the mission's voting checklist in full, others' forms refused row by row,
and malformed workbooks with row-numbered messages. Nothing touches the database here."""

import pytest

from observer_suite.checklists.definition import answered_questions, validate_definition
from observer_suite.checklists.validation import validate_answers
from observer_suite.checklists.xlsform import guess_kind, language_code, parse_xlsform
from tests.checklists.conftest import EOM, SHARED_DATA, SURVEY_HEADER, workbook

OTHERS = ["UCL_Biomass_Plot_Form.xlsx", "xlsform_spec_test.xlsx", "subdistrict_profiling_tool.xlsx"]


def _parse(name: str):
    return parse_xlsform((SHARED_DATA / name).read_bytes(), name)


@pytest.fixture(scope="module")
def eom() -> dict:
    definition, errors = parse_xlsform(EOM.read_bytes(), EOM.name)
    assert errors == []
    return definition


def test_every_shared_workbook_gives_a_definition_or_messages():
    names = sorted(p.name for p in SHARED_DATA.glob("*.xlsx"))
    assert names == sorted([EOM.name, *OTHERS])
    for name in names:
        definition, errors = _parse(name)
        assert (definition is None) == bool(errors), name
        assert all(isinstance(e, str) and "Traceback" not in e for e in errors)


def test_eom_voting_checklist_imports_fully(eom):
    assert (eom["form_id"], eom["version"], eom["kind"]) == ("eom_voting", "2026112801", "voting")
    assert eom["title"] == {"en": "Voting checklist"}
    assert eom["default_language"] == "en" and eom["languages"] == ["en", "fr"]
    groups = [q["name"] for q in eom["questions"] if q["type"] == "group"]
    assert groups == ["arrival", "environment", "staff", "procedures", "assessment"]
    assert len(eom["questions"]) == 27  # 32 survey rows less 5 end_group
    assert len(answered_questions(eom)) == 21  # and less the note
    assert validate_definition(eom) == []
    by_name = {q["name"]: q for q in eom["questions"]}
    assert [q["row"] for q in eom["questions"][:3]] == [2, 3, 4]
    assert by_name["departure_time"]["row"] == 32
    assert by_name["tension_kind"] == {
        "name": "tension_kind", "type": "select_multiple",
        "label": {"en": "What did you observe?", "fr": "Qu'avez-vous observé ?"},
        "hint": {"en": "Select all that apply", "fr": "Cochez tout ce qui s'applique"},
        "relevant": "${tension} = 'yes'", "constraint": "count-selected(.) >= 1",
        "constraint_message": {"en": "Select at least one",
                               "fr": "Choisissez au moins une réponse"},
        "choices": "tension_kinds", "required": True, "group": "environment", "row": 9,
    }  # fmt: skip
    assert by_name["staff_women"]["constraint"] == ". >= 0 and . <= ${staff_total}"
    assert by_name["staff_women"]["constraint_message"]["fr"] == (
        "Ne peut dépasser le nombre de membres présents"
    )
    assert by_name["overall_reason"]["relevant"] == "${overall} = 'bad' or ${overall} = 'very_bad'"
    assert by_name["agents_parties"].get("required") is None
    assert by_name["assessment_note"]["type"] == "note"
    assert by_name["overall"]["group"] == "assessment"
    assessment = [c["label"]["fr"] for c in eom["choices"]["assessment"]]
    assert assessment == ["Très bien", "Bien", "Mal", "Très mal"]
    assert eom["choices"]["yn_na"][2] == {
        "name": "na",
        "label": {"en": "Not applicable", "fr": "Sans objet"},
    }


def test_eom_checklist_behaves_as_written(eom):
    base = {
        "arrival_time": "09:05", "ps_type": "regular", "campaign_outside": "no", "tension": "no",
        "staff_total": 7, "staff_women": 3, "agents_present": "no", "ink_checked": "yes",
        "id_checked": "yes", "secrecy": "yes", "unauthorised": "no", "overall": "good",
        "visit_date": "2026-11-28", "departure_time": "09:50",
    }  # fmt: skip
    cleaned, errors = validate_answers(eom, base)
    assert errors == {} and cleaned == base
    # skip logic: tension 'yes' makes tension_kind required; 'other' makes tension_other required
    _, errors = validate_answers(eom, {**base, "tension": "yes"})
    assert errors == {"tension_kind": "an answer is required"}
    _, errors = validate_answers(eom, {**base, "tension": "yes", "tension_kind": ["other"]})
    assert errors == {"tension_other": "an answer is required"}
    # hidden answers are dropped
    cleaned, errors = validate_answers(eom, {**base, "agents_parties": ["p1"]})
    assert errors == {} and "agents_parties" not in cleaned
    # constraints with their messages, including one that reads another answer
    _, errors = validate_answers(eom, {**base, "staff_women": 8})
    assert errors == {"staff_women": "Cannot exceed the staff present"}
    _, errors = validate_answers(eom, {**base, "staff_total": 21, "staff_women": 0})
    assert errors == {"staff_total": "Between 0 and 20"}
    _, errors = validate_answers(eom, {**base, "minutes_per_voter": 0})
    assert errors == {"minutes_per_voter": "Between 0 and 60"}
    _, errors = validate_answers(eom, {**base, "overall": "very_bad"})
    assert errors == {"overall_reason": "an answer is required"}


def test_biomass_form_is_refused_row_by_row():
    definition, errors = _parse("UCL_Biomass_Plot_Form.xlsx")
    assert definition is None
    rows = [int(e.split(",")[0].removeprefix("survey row ")) for e in errors]
    assert rows == [16, 17, 18, 20, 22, 23, 26, 27, 32, 33, 35, 39, 43, 44, 46, 49, 56, 57,
                    65, 72, 73, 80, 81]  # fmt: skip
    assert "survey row 32, column type: 'begin repeat' — repeats are not supported" in errors
    assert (
        "survey row 22, column type: 'geopoint' — locations (geopoint) are not supported" in errors
    )
    assert "survey row 23, column type: 'image' — media (image) is not supported" in errors
    assert errors[0] == (
        "survey row 16, column type: 'select_one_from_file UCL_regions.csv' — "
        "choices from a file (select_one_from_file) are not supported"
    )
    assert "column choice_filter: choice filters" in errors[1]
    assert "survey row 49, column required:" in errors[15]
    assert len(errors) == len(set(rows))  # one message per row


def test_spec_test_form_is_refused_row_by_row():
    definition, errors = _parse("xlsform_spec_test.xlsx")
    assert definition is None
    assert errors[0].startswith(
        "survey row 9, columns image, audio, image::english, media::audio::chinese, media::video:"
    )
    expected = {
        15: "repeats", 17: "custom required messages", 30: "acknowledge", 33: "date-time",
        34: "geopoint", 35: "barcode", 36: "media (image)", 37: "media (audio)",
        38: "media (video)", 40: "calculations", 50: "uri:deviceid", 52: "phonenumber",
        57: "external apps",
    }  # fmt: skip
    for row, feature in expected.items():
        assert any(e.startswith(f"survey row {row},") and feature in e for e in errors), row
    assert "choices row 4, column image: media (images, audio, video) is not supported" in errors
    assert not any(
        e.startswith(("survey row 42,", "survey row 46,")) for e in errors
    )  # start, today


def test_subdistrict_form_is_refused_for_external_choices():
    definition, errors = _parse("subdistrict_profiling_tool.xlsx")
    assert definition is None
    assert errors == [
        "external_choices sheet: external choices are not supported",
        "survey row 6, column type: 'select_one_external districts' — external choices "
        "(select_one_external) are not supported; column choice_filter: choice filters "
        "(cascading selects) are not supported",
        "survey row 7, column type: 'select_one_external subdistricts' — external choices "
        "(select_one_external) are not supported; column choice_filter: choice filters "
        "(cascading selects) are not supported",
        "survey row 8, column type: 'select_one_external communities' — external choices "
        "(select_one_external) are not supported; column choice_filter: choice filters "
        "(cascading selects) are not supported",
        "survey row 10, column choice_filter: choice filters (cascading selects) are not supported",
    ]


def _errors(survey, **kwargs) -> list[str]:
    definition, errors = parse_xlsform(workbook([SURVEY_HEADER, *survey], **kwargs), "t.xlsx")
    assert definition is None
    return errors


def test_bad_expressions_are_reported_with_row_and_column():
    errors = _errors([
        ["integer", "n", "N", "N", "yes", None, ". >"],
        ["integer", "m", "M", "M", None, "${n} >> 2"],
        ["text", "t", "T", "T", None, "regex(${n}, '[0-9]')"],
    ])  # fmt: skip
    assert errors == [
        "survey row 2, column constraint: unexpected end of expression at character 4",
        "survey row 3, column relevant: unexpected '>' at character 7",
        "survey row 4, column relevant: unknown function regex() at character 1",
    ]


def test_unknown_reference_is_reported_by_row():
    errors = _errors([["integer", "n", "N", "N", None, None, ". <= ${nope}"]])
    assert len(errors) == 1
    assert errors[0].startswith("survey row 2, column constraint:") and "'nope'" in errors[0]


def test_unknown_choice_list_is_reported_by_row():
    errors = _errors([["integer", "n", "N", "N"], ["select_one nolist", "s", "S", "S"]])
    assert errors == ["survey row 3: List name not in choices sheet: nolist"]


def test_duplicate_names_are_reported_by_row():
    same_group = _errors([["integer", "n", "N", "N"], ["text", "n", "N2", "N2"]])
    assert len(same_group) == 1 and same_group[0].startswith("survey row 3:")
    assert "'n'" in same_group[0]
    across = _errors([
        ["begin_group", "g1", "G1", "G1"], ["integer", "n", "N", "N"], ["end_group"],
        ["begin_group", "g2", "G2", "G2"], ["integer", "n", "N", "N"], ["end_group"],
    ])  # fmt: skip
    assert across == [
        "survey row 6, column name: duplicate name 'n' (also survey row 3); "
        "names must be unique in the whole form"
    ]


def test_missing_settings_and_empty_survey():
    errors = _errors([["integer", "n", "N", "N"]], settings=None)
    assert [e.split(":")[0] for e in errors] == [
        "settings sheet, column form_id", "settings sheet, column version"
    ]  # fmt: skip
    assert _errors([]) == ["survey: the form has no questions that take an answer"]
    _definition, errors = parse_xlsform(workbook(None, choices=None), "t.xlsx")
    assert errors == ["survey sheet: missing; an XLSForm needs a survey sheet"]


def test_critical_values_must_be_choices():
    errors = _errors([["select_one yn", "box", "Box", "Urne", "yes", None, None, None, "maybe"]])
    assert errors == ["survey row 2, column critical: 'maybe' is not a choice of 'yn'"]


def test_conditional_required_and_unmatched_group():
    assert _errors([["integer", "n", "N", "N", "${x} = 1"]]) == [
        "survey row 2, column required: '${x} = 1' — a condition is not supported; use yes or no"
    ]
    errors = _errors([["begin_group", "g", "G", "G"], ["integer", "n", "N", "N"]])
    assert errors == [
        "survey row 2: Unmatched 'begin_group'. No matching 'end_group' was found for the name 'g'."
    ]


def test_not_a_workbook():
    assert parse_xlsform(b"not a zip", "x.xlsx")[1][0].startswith("x.xlsx: not a readable .xlsx")
    assert parse_xlsform(b"a,b", "x.csv") == (
        None,
        ["x.csv: upload an XLSForm as an .xlsx workbook"],
    )


def test_extensions_critical_kind_and_checks_sheet():
    survey = [
        SURVEY_HEADER,
        ["start", "start"],
        ["select_one yn", "sealed", "Sealed?", "Scellée ?", "TRUE", None, None, None, "no"],
        ["integer", "cast", "Cast", "Bulletins", "1"],
        ["integer", "registered", "Registered", "Inscrits", "yes"],
    ]
    checks = [
        ["id", "expression", "message::English (en)", "message::French (fr)"],
        ["cast_le_registered", "${cast} <= ${registered}", "Too many", "Trop"],
        ["cast_le_station", "${cast} <= ${_station_registered_voters}", "Too many", "Trop"],
    ]
    settings = [["form_id", "version", "kind", "default_language"],
                ["my_count", "3", "counting", "English (en)"]]  # fmt: skip
    definition, errors = parse_xlsform(workbook(survey, settings=settings, checks=checks), "t.xlsx")
    assert errors == []
    assert definition["kind"] == "counting" and definition["title"] == {"en": "my_count"}
    assert [q["name"] for q in definition["questions"]] == ["sealed", "cast", "registered"]
    sealed = definition["questions"][0]
    assert sealed["critical"] == ["no"] and sealed["required"] is True and sealed["row"] == 3
    assert definition["checks"][0] == {
        "id": "cast_le_registered", "expression": "${cast} <= ${registered}",
        "message": {"en": "Too many", "fr": "Trop"}, "row": 2,
    }  # fmt: skip
    bad_checks = [
        ["id", "expression", "message"],
        ["c1", "${cast} <= ${nope}", "x"],
        ["c2", ". > 1", "y"],
    ]
    errors = parse_xlsform(workbook(survey, settings=settings, checks=bad_checks), "t.xlsx")[1]
    assert errors == [
        "checks row 2, column expression: unknown question ${nope}",
        "checks row 3, column expression: '.' has no meaning in a check",
    ]


@pytest.mark.parametrize(
    ("name", "code"),
    [("English (en)", "en"), ("French (fr)", "fr"), ("Français (fr)", "fr"), ("english", "en"),
     ("Français", "fr"), ("العربية", "ar"), ("English (EN)", "en"), ("Klingon", "klingon"),
     ("Portuguese (pt-BR)", "pt-br")],
)  # fmt: skip
def test_language_codes(name, code):
    assert language_code(name) == code


def test_kind_guess():
    assert guess_kind("eom_voting", "Voting checklist") == "voting"
    assert guess_kind("pvt_count", "") == "counting"
    assert guess_kind("x", "Opening of polls") == "opening"
    assert guess_kind("survey", "Health facilities") == "other"
