"""Fuzzing the two intake endpoints over their payload schema (issue 14): valid reports mixed
with mutations (wrong types, huge numbers, control characters, far dates, deep nesting,
missing and extra fields). Whatever comes in: never a 5xx; every 4xx has the Error shape
(error, detail, field); and whatever was stored is well formed (printable text, instants in
the mission's window, numbers in bounds). Bounded and derandomised, so CI is stable."""

import json
import math
import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from observer_suite.checklists.validation import NUMBER_LIMIT
from observer_suite.models import Incident, Observation
from observer_suite.observations.instants import plausible_window
from observer_suite.util.intake_checks import TEXT_CONTROL_RE
from tests.api.fixtures import GOOD_ANSWERS
from tests.conftest import PASSWORD
from tests.incidents.intake_fixtures import JPEG, PNG, b64

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
DEEP = "__deep__"  # replaced in the JSON text: json.dumps cannot write 1,000 levels itself
ELECTION = date(2027, 2, 25)
WINDOW = plausible_window(ELECTION)

# --- building blocks -------------------------------------------------------------------

plain_text = st.text(st.characters(exclude_categories=["Cc", "Cs"]), max_size=60)
nasty_text = st.text(
    st.characters(categories=["Cc", "Zs", "L", "N", "P"]), max_size=30
) | st.sampled_from(["\x00", "a\x00b", "\x1b[31m", "\x85", "\u2028", "\ud800", "{{7*7}}", ""])
huge_numbers = st.sampled_from(
    [2**63, 2**64, -(2**64), 10**13, 10**400, 1e300, -1e300, 0.5, -1]
) | st.integers() | st.floats(allow_nan=False, allow_infinity=False)  # fmt: skip
digit_strings = st.sampled_from(["18446744073709551616", "9" * 4301, "9" * 400, "-0", "+7"])
anything = st.recursive(
    st.none() | st.booleans() | huge_numbers | nasty_text | digit_strings,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(nasty_text, inner, max_size=3),
    max_leaves=8,
)
deep = st.just(DEEP)
# Mostly new: Hypothesis draws the same few UUIDs again and again (replays, conflicts).
fresh_uuids = st.builds(lambda: str(uuid.uuid4())) | st.uuids().map(str)


def pick(draw, dirty: bool, valid, odd):
    """A valid value in a clean body; in a dirty one, valid or odd."""
    return draw(st.one_of(valid, odd) if dirty else valid)


@st.composite
def instants(draw, dirty: bool):
    """Inside the mission's window; in a dirty body also at its edges or far beyond."""
    edges = st.sampled_from(
        [
            "9999-12-31T23:59:59+00:00",
            "9999-12-31T00:00:00-23:59",
            "0001-01-01T00:00:00+23:59",
            "0001-01-01T00:00:00Z",
            "2027-02-25T07:30:00",  # no offset
            (WINDOW[0] - timedelta(seconds=1)).isoformat(),
            WINDOW[1].isoformat(),
        ]
    )
    near = st.datetimes(datetime(2027, 2, 20), datetime(2027, 3, 2), timezones=st.just(UTC))
    far = st.datetimes(timezones=st.just(UTC))
    moment = pick(draw, dirty, near, far | edges | anything)
    if not isinstance(moment, datetime):
        return moment
    minutes = draw(st.integers(-23 * 60 - 59, 23 * 60 + 59))
    try:
        return moment.astimezone(timezone(timedelta(minutes=minutes))).isoformat()
    except OverflowError:
        return moment.isoformat()


odd_values = anything | huge_numbers | digit_strings | deep


@st.composite
def answers(draw, dirty: bool):
    """The good answers of tests/api/fixtures.py, varied; in a dirty body odd ones too."""
    found = dict(GOOD_ANSWERS)
    found["remarks"] = pick(draw, dirty, plain_text, nasty_text)
    found["problems"] = draw(st.lists(st.sampled_from(["none", "late", "intimidation"])))
    found["seals_intact"] = draw(st.sampled_from(["yes", "no"]))
    found["seal_problem"] = draw(plain_text)
    if draw(st.booleans()):
        found["registered_voters"] = draw(st.integers(300, 10**6) | st.just("500"))
    if dirty:
        for name in draw(st.lists(st.sampled_from(sorted(found)), max_size=3)):
            found[name] = draw(odd_values)
        if draw(st.booleans()):
            found[draw(nasty_text)] = draw(anything)  # an unknown (or unprintable) question
    return found


@st.composite
def mutated(draw, valid: dict):
    """`valid` with some fields dropped, some replaced by anything, some extra added."""
    body = dict(valid)
    names = sorted(body)
    for name in draw(st.lists(st.sampled_from(names), max_size=2, unique=True)):
        del body[name]
    for name in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
        body[name] = draw(anything | nasty_text | deep)
    if draw(st.booleans()):
        body[draw(nasty_text)] = draw(anything | deep)
    return body


stations = st.sampled_from(["S003", "NOPE"])  # another team's route, no such station
categories = st.sampled_from(["voter_intimidation", "violence"])


@st.composite
def submissions(draw):
    """Half the bodies clean (they should mostly be stored), half mutated."""
    dirty = draw(st.booleans())
    valid = {
        "uuid": draw(fresh_uuids),
        "form_id": "t_count",
        "form_version": draw(st.sampled_from(["1", 1])),
        "station_code": pick(draw, dirty, st.sampled_from(["S001", "S002", "S005"]), stations),
        "arrived_at": draw(instants(dirty)),
        "departed_at": draw(st.none() | instants(dirty)),
        "answers": draw(answers(dirty)),
    }
    return pick(draw, dirty, st.just(valid), mutated(valid))


@st.composite
def photos(draw, dirty: bool):
    good = {"filename": draw(nasty_text), "content_type": "image/png", "data": b64(PNG)}
    other = {"filename": "door.jpg", "content_type": "image/jpeg", "data": b64(JPEG)}
    return pick(draw, dirty, st.lists(st.sampled_from([good, other]), max_size=3), anything)


@st.composite
def incidents(draw):
    dirty = draw(st.booleans())
    valid = {
        "uuid": draw(fresh_uuids),
        "category": pick(draw, dirty, categories, nasty_text),
        "severity": draw(st.sampled_from(["low", "medium", "high", "critical"])),
        "occurred_at": draw(instants(dirty)),
        "station_code": draw(st.sampled_from(["S001", "S002", "S005"])),
        "title": pick(draw, dirty, plain_text.filter(str.strip), nasty_text),
        "description": pick(draw, dirty, plain_text, nasty_text),
    }
    if draw(st.booleans()):
        valid["latitude"] = pick(draw, dirty, st.floats(-90, 90), huge_numbers)
        valid["longitude"] = pick(draw, dirty, st.floats(-180, 180), huge_numbers)
    if draw(st.booleans()):
        valid["photos"] = draw(photos(dirty))
    return pick(draw, dirty, st.just(valid), mutated(valid))


def encode(body: dict, depth: int) -> bytes:
    """The JSON text (ASCII escapes, so lone surrogates can be sent), deep markers nested."""
    text = json.dumps(body)
    return text.replace(json.dumps(DEEP), "[" * depth + "1" + "]" * depth).encode()


# --- the checks ------------------------------------------------------------------------


@pytest.fixture
def send(field, client):
    """POST as obs1 with a bearer token (no CSRF round trip per example)."""
    response = client.post("/api/v1/auth/token", json={"username": "obs1", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {response.json['token']}"}
    fresh = client.application.test_client()

    def post(path: str, raw: bytes):
        return fresh.post(path, data=raw, content_type="application/json", headers=headers)

    return post


def _well_formed_response(response) -> dict:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    body = response.json
    if response.status_code >= 400:
        assert {"error", "detail", "field"} <= set(body), body
        assert isinstance(body["error"], str) and isinstance(body["detail"], str)
    return body


def _printable(value) -> bool:
    if isinstance(value, str):
        return not TEXT_CONTROL_RE.search(value)
    if isinstance(value, list):
        return all(_printable(v) for v in value)
    if isinstance(value, dict):
        return all(_printable(k) and _printable(v) for k, v in value.items())
    return True


def _in_bounds(value) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return True
    return math.isfinite(value) and -NUMBER_LIMIT <= value <= NUMBER_LIMIT


def _inside(moment) -> bool:
    if moment is None:
        return True
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return WINDOW[0] <= aware <= WINDOW[1]


@FUZZ
@given(body=submissions(), depth=st.sampled_from([2, 40, 990, 1100]))
def test_submissions_never_fail_and_store_only_well_formed_rows(field, send, db, body, depth):
    response = send("/api/v1/submissions", encode(body, depth))
    answer = _well_formed_response(response)
    event(f"{response.status_code} {answer.get('error', '')}")  # --hypothesis-show-statistics
    if response.status_code in (200, 201):
        db.session.expire_all()
        stored = db.session.get(Observation, answer["id"])
        assert stored is not None and stored.uuid == body["uuid"].lower()
        assert _printable(stored.answers) and all(map(_in_bounds, stored.answers.values()))
        assert _inside(stored.arrived_at) and _inside(stored.departed_at)


@FUZZ
@given(body=incidents(), depth=st.sampled_from([2, 40, 990, 1100]))
def test_incidents_never_fail_and_store_only_well_formed_rows(field, send, db, body, depth):
    response = send("/api/v1/incidents", encode(body, depth))
    answer = _well_formed_response(response)
    event(f"{response.status_code} {answer.get('error', '')}")  # --hypothesis-show-statistics
    if response.status_code in (200, 201):
        db.session.expire_all()
        stored = db.session.get(Incident, answer["id"])
        assert stored is not None and stored.uuid == body["uuid"].lower()
        assert _printable([stored.title, stored.description, stored.question or ""])
        assert _printable([photo.filename for photo in stored.photos])
        assert _inside(stored.occurred_at)
