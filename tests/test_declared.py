"""Each declared payload model refuses a bad body with the suite's own message, naming the
field at fault (observer_suite/util/schema.py maps pydantic's errors in one place)."""

import pytest
from pydantic import ValidationError

from observer_suite.api.bodies import TokenRequest
from observer_suite.checklists.definition import FormSettings, _top_level
from observer_suite.errors import RequestError
from observer_suite.incidents.payload import IncidentReport
from observer_suite.incidents.photos import Limits
from observer_suite.observations.payload import Submission, parse
from observer_suite.reporting.statistics.indicators import FormInfo, Indicator, _check_one
from observer_suite.util.schema import field_messages

UUID = "123e4567-e89b-42d3-a456-426614174000"
SUBMISSION = {
    "uuid": UUID,
    "form_id": "t_count",
    "form_version": "1",
    "station_code": "S001",
    "arrived_at": "2027-02-25T07:30:00+01:00",
    "answers": {},
}
INCIDENT = {
    "uuid": UUID,
    "category": "violence",
    "severity": "high",
    "occurred_at": "2027-02-25T09:00:00Z",
    "station_code": "S001",
    "title": "Crowd",
}
FORMS = {"opening": FormInfo("opening", {"late": ("yes_no", {"yes", "no", "na"})})}
INDICATOR = {
    "key": "late",
    "phase": "opening",
    "form": "opening",
    "question": "late",
    "answers": ["yes"],
    "label": {"en": "Late", "fr": "En retard"},
}
OFFSET = "must include a UTC offset (Z or +01:00)"
SETTINGS = {
    "form_id": "f1",
    "version": "1",
    "kind": "voting",
    "title": {"en": "Voting"},
    "languages": ["en"],
    "default_language": "en",
}


def _refusal(model, body, **context) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(body, context=context or None)
    return field_messages(caught.value)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"uuid": "nope"}, "uuid", "must be a UUID like " + "123e4567-e89b-42d3-a456-426614174000"),
        ({"form_id": None}, "form_id", "is required"),
        ({"form_version": True}, "form_version", "must be text"),
        ({"station_code": "x" * 61}, "station_code", "must be at most 60 printable characters"),
        (
            {"arrived_at": "2027-02-25T07:30"},
            "arrived_at",
            "must include a UTC offset (Z or +01:00)",
        ),
        (
            {"departed_at": 5},
            "departed_at",
            "must be an ISO 8601 date and time, e.g. 2026-11-28T07:30:00+01:00",
        ),
        ({"answers": []}, "answers", "must be an object of question name → answer"),
        ({"mission": "a\tb"}, "mission", "must be at most 60 printable characters"),
    ],
)
def test_submission_names_the_field(change, field, message):
    assert _refusal(Submission, {**SUBMISSION, **change}) == {field: message}


def test_an_absent_submission_field_is_refused_like_null():
    body = {k: v for k, v in SUBMISSION.items() if k not in ("uuid", "station_code")}
    assert set(_refusal(Submission, body)) == {"uuid", "station_code"}


def test_parse_adds_the_door_and_keeps_the_error_shape():
    with pytest.raises(RequestError) as caught:
        parse({**SUBMISSION, "answers": {"q": "a\x00b"}, "form_id": ""})
    error = caught.value
    assert (error.status, error.code) == (422, "invalid_submission")
    assert error.fields == {
        "form_id": "is required",
        "answers.q": "holds control characters (e.g. NUL); send printable text",
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"severity": "huge"}, {"severity": "must be one of low, medium, high, critical"}),
        (
            {"latitude": 91, "station_code": None},
            {
                "latitude": "must be between -90 and 90",
                "longitude": "is required with the other coordinate",
            },
        ),
        (
            {"station_code": "  "},
            {"station_code": "give a station code, or latitude and longitude, or both"},
        ),
        (
            {"question": "q1"},
            {"question": "needs observation_uuid, the observation it was answered in"},
        ),
        (
            {"question": "1q", "observation_uuid": UUID},
            {"question": "must be the name of a question"},
        ),
        ({"observation_uuid": "x"}, {"observation_uuid": "must be the UUID of an observation"}),
        ({"photos": {}}, {"photos": "must be a list of photos"}),
        (
            {"photos": [1, {"content_type": "image/gif", "data": ""}]},
            {
                "photos.0": "must be an object {filename, content_type, data}",
                "photos.1": "content_type must be image/jpeg, image/png or image/webp",
            },
        ),
        (
            {"title": None, "severity": None},
            {
                "title": "is required",
                "severity": "must be one of low, medium, high, critical",
            },
        ),
    ],
)
def test_incident_report_names_the_field(change, expected):
    found = _refusal(IncidentReport, {**INCIDENT, **change}, limits=Limits())
    assert found == expected


def test_too_many_photos_is_one_refusal_of_the_list():
    photos = [{"content_type": "image/png", "data": "x"}] * 2
    found = _refusal(IncidentReport, {**INCIDENT, "photos": photos}, limits=Limits(count=1))
    assert found == {"photos": "at most 1 photos per incident"}


def test_token_request_names_each_missing_credential():
    assert _refusal(TokenRequest, {"username": "", "password": 5}) == {
        "username": "is required (text)",
        "password": "is required (text)",
    }


def test_indicator_names_the_field_and_keeps_the_order_of_its_problems():
    context = {"forms": FORMS, "languages": ["en", "fr"]}
    assert _refusal(Indicator, {**INDICATOR, "answers": ["soon"]}, **context) == {
        "answers": "'soon' is not an answer of 'late' (answers: na, no, yes)"
    }
    item = {**INDICATOR, "colour": "red", "key": "Bad", "label": {"en": "L"}}
    del item["phase"]
    assert _check_one(item, "indicator 1 (Bad)", FORMS, ["en", "fr"]) == [
        "indicator 1 (Bad): unknown field 'colour'",
        "indicator 1 (Bad): phase: is required",
        "indicator 1 (Bad): key: 1-60 lower-case letters, digits or underscores",
        "indicator 1 (Bad): label: the 'fr' text is missing",
    ]


def test_form_settings_name_the_settings_column_and_the_choice_list():
    assert _refusal(FormSettings, {**SETTINGS, "kind": "incident"}) == {
        "kind": "must be one of opening, voting, closing, counting, tabulation, other, "
        "not 'incident'"
    }
    choices = {"l1": [], "l2": [{"name": "a"}, {"name": "a"}, {"name": "b", "label": "B"}]}
    assert _top_level({**SETTINGS, "version": "", "choices": choices}) == [
        "settings sheet, column version: a version (at most 40 characters) is required; "
        "raise it with every change",
        "choices list 'l1': has no choices",
        "choices list 'l2': choice 'a' appears twice",
        "choices list 'l2', choice 'b': bad label",
    ]
    assert _top_level(SETTINGS) == []
