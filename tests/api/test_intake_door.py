"""Bodies the intake endpoints refuse with a 4xx naming the problem (issue 14, points 2-3):
control characters in any text, instants outside the mission's window, numbers out of
range, nesting too deep. Each was a 201 that broke the mission's pages later, or a 500."""

import json

import pytest

from observer_suite.models import Incident, Observation
from tests.api.fixtures import GOOD_ANSWERS, payload
from tests.conftest import PASSWORD
from tests.incidents.intake_fixtures import incident, photo


@pytest.fixture
def script(field, client):
    """A cookie-less client with obs1's bearer token (no CSRF round trip per request)."""
    response = client.post("/api/v1/auth/token", json={"username": "obs1", "password": PASSWORD})
    token = response.json["token"]
    fresh = client.application.test_client()

    def send(path: str, body, raw: bytes | None = None):
        data = raw if raw is not None else json.dumps(body).encode()
        return fresh.post(
            path,
            data=data,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )

    return send


def _refused(response, field_name: str, status: int = 422):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    body = response.json
    assert set(body) >= {"error", "detail", "field"}
    assert body["field"] == field_name, body
    return body


def _stored(db) -> tuple[int, int]:
    return db.session.query(Observation).count(), db.session.query(Incident).count()


# --- control characters ----------------------------------------------------------------

CONTROL = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\x85", "\x9f"]


@pytest.mark.parametrize("char", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
def test_a_control_character_in_a_text_answer_is_refused(field, script, db, char):
    body = payload("S001", answers={**GOOD_ANSWERS, "remarks": f"calm{char}count"})
    _refused(script("/api/v1/submissions", body), "answers.remarks")
    assert _stored(db) == (0, 0)


@pytest.mark.parametrize(
    ("change", "name"),
    [
        ({"answers": {**GOOD_ANSWERS, "problems": ["late", "x\x00"]}}, "answers.problems.1"),
        ({"answers": {**GOOD_ANSWERS, "rem\x00arks": "x"}}, "answers.rem\ufffdarks"),
        ({"station_code": "S001\x85"}, "station_code"),
        ({"form_id": "t_count\x00"}, "form_id"),
        ({"extra": {"note": "\x00"}}, "extra.note"),
    ],
)
def test_control_characters_anywhere_in_a_submission_name_the_field(
    field, script, db, change, name
):
    _refused(script("/api/v1/submissions", payload("S001", **change)), name)
    assert _stored(db) == (0, 0)


def test_line_breaks_and_tabs_stay_allowed_in_text_answers(field, script, db):
    body = payload("S001", answers={**GOOD_ANSWERS, "remarks": "line one\nline\ttwo\r\n"})
    response = script("/api/v1/submissions", body)
    assert response.status_code == 201, response.json
    assert db.session.get(Observation, response.json["id"]).answers["remarks"] == (
        "line one\nline\ttwo"
    )


@pytest.mark.parametrize(
    ("change", "name"),
    [
        ({"title": "Shots\x00"}, "title"),
        ({"title": "Shots \x9b fired"}, "title"),
        ({"description": "Two agents\x00"}, "description"),
        ({"description": "DEL \x7f"}, "description"),
        ({"category": "violence\x00"}, "category"),
        ({"photos": [{**photo(), "filename": "p\x00.png"}]}, "photos.0.filename"),
    ],
)
def test_control_characters_in_an_incident_name_the_field(field, script, db, change, name):
    _refused(script("/api/v1/incidents", incident("S001", **change)), name)
    assert _stored(db) == (0, 0)


def test_an_escaped_backslash_before_u0000_is_ordinary_text(field, script, db):
    body = payload("S001", answers={**GOOD_ANSWERS, "remarks": "path \\u0000 \\b"})
    response = script("/api/v1/submissions", body)
    assert response.status_code == 201, response.json


# --- instants outside the mission's window ---------------------------------------------

FAR = [
    "9999-12-31T23:59:59+00:00",
    "9999-12-31T00:00:00-23:59",
    "0001-01-01T00:00:00+00:00",
    "0001-01-02T00:00:00+23:59",
    "2025-02-20T07:30:00+01:00",  # two years before the election of 2027-02-25
    "2029-02-25T07:30:00+01:00",
]


@pytest.mark.parametrize("moment", FAR)
@pytest.mark.parametrize("name", ["arrived_at", "departed_at"])
def test_observation_instants_outside_the_window_are_refused(field, script, db, name, moment):
    _refused(script("/api/v1/submissions", payload("S001", **{name: moment})), name)
    assert _stored(db) == (0, 0)


@pytest.mark.parametrize("moment", FAR)
def test_incident_instants_outside_the_window_are_refused(field, script, db, moment):
    _refused(script("/api/v1/incidents", incident("S001", occurred_at=moment)), "occurred_at")
    assert _stored(db) == (0, 0)


def test_the_window_reaches_a_year_past_the_second_round(field, script, db):
    from datetime import date

    field.mission.second_round_date = date(2027, 3, 25)
    db.session.commit()
    late = "2028-03-20T10:00:00+01:00"  # past a year after round one, within round two's
    response = script("/api/v1/incidents", incident("S001", occurred_at=late))
    assert response.status_code == 201, response.json
    early = "2026-02-20T10:00:00+01:00"
    _refused(script("/api/v1/incidents", incident("S001", occurred_at=early)), "occurred_at")


# --- numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "18446744073709551616",  # 2**64 as a digit string
        "9" * 4301,  # longer than Python's int-from-text limit
        18446744073709551616,  # a JSON number beyond 64 bits (orjson reads it as a float)
        10**13,
        -(10**13),
        1e300,
    ],
    ids=["2**64-text", "4301-digits", "2**64-number", "1e13", "-1e13", "1e300"],
)
def test_integer_answers_out_of_range_are_422_not_500(field, script, db, value):
    body = payload("S001", answers={**GOOD_ANSWERS, "registered_voters": value})
    _refused(script("/api/v1/submissions", body), "answers.registered_voters")
    assert _stored(db) == (0, 0)


def test_a_json_number_too_large_for_a_double_is_a_400(field, script, db):
    text = json.dumps(payload("S001")).replace('"votes_a": 150', '"votes_a": 1e400')
    response = script("/api/v1/submissions", None, raw=text.encode())
    assert response.status_code == 400 and response.json["error"] == "invalid_json"


def test_decimal_answers_out_of_range_are_422(field, db):
    from observer_suite.checklists.validation import validate_answers

    definition = {"questions": [{"name": "d", "type": "decimal", "label": {"en": "D"}}]}
    for value in ["9" * 400, "1" + "0" * 13, 1e300, float("inf"), float("nan")]:
        cleaned, errors = validate_answers(definition, {"d": value})
        assert "d" in errors and cleaned == {}, value
    assert validate_answers(definition, {"d": "12.5"}) == ({"d": 12.5}, {})


# --- nesting ---------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [33, 980, 1100])
@pytest.mark.parametrize("path", ["/api/v1/submissions", "/api/v1/incidents"])
def test_deep_nesting_is_refused_before_parsing(field, script, db, path, depth):
    body = payload("S001") if path.endswith("submissions") else incident("S001")
    body["answers" if path.endswith("submissions") else "photos"] = "HOLE"
    nested = "[" * depth + "]" * depth
    raw = json.dumps(body).replace('"HOLE"', nested).encode()
    response = script(path, None, raw=raw)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.json["error"] == "too_deep" and response.json["detail"]
    assert _stored(db) == (0, 0)


def test_brackets_inside_strings_do_not_count_as_nesting(field, script, db):
    remarks = "[" * 200 + "{" * 200
    body = payload("S001", answers={**GOOD_ANSWERS, "remarks": remarks})
    response = script("/api/v1/submissions", body)
    assert response.status_code == 201, response.json
