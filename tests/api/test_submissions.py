"""POST /api/v1/submissions: created, replayed, conflicting, invalid, forbidden, flagged."""

import json

import pytest

from observer_suite.models import Observation, ObservationReview, ReviewStatus
from tests.api.fixtures import GOOD_ANSWERS, payload, post
from tests.dbutil import NO_FOREIGN_KEYS, backend


@pytest.fixture
def as_obs1(field, login):
    return login(field.users.obs1)


def test_created_then_identical_replay_gives_the_same_id(field, as_obs1, db):
    body = payload("S001", answers={**GOOD_ANSWERS, "problems": ["late", "intimidation"]})
    first = post(as_obs1, body)
    assert first.status_code == 201, first.json
    assert first.json["status"] == "created" and first.json["flags"] == []
    again = post(as_obs1, body)
    assert again.status_code == 200
    assert again.json["id"] == first.json["id"] and again.json["status"] == "replayed"
    stored = db.session.get(Observation, first.json["id"])
    assert db.session.query(Observation).count() == 1
    assert stored.team_id == field.t1.id and stored.submitted_by == field.users.obs1.id
    assert stored.review_status == ReviewStatus.RECEIVED
    assert stored.critical == ["problems"] and len(stored.content_hash) == 64
    assert stored.arrived_at.isoformat().startswith("2027-02-25T06:30")  # stored in UTC


def test_same_uuid_with_other_content_is_a_conflict(field, as_obs1, db):
    body = payload("S001")
    assert post(as_obs1, body).status_code == 201
    changed = {**body, "answers": {**GOOD_ANSWERS, "remarks": "edited"}}
    response = post(as_obs1, changed)
    assert response.status_code == 409
    assert response.json["error"] == "conflict" and response.json["field"] == "uuid"
    assert db.session.query(Observation).count() == 1


def test_duplicates_are_settled_by_the_unique_uuid(field, as_obs1, db):
    body = payload("S001")
    assert post(as_obs1, body).status_code == 201
    assert post(as_obs1, body).status_code == 200  # the insert fails; the stored row answers
    assert db.session.query(Observation).count() == 1


def test_the_same_observation_sent_twice_at_once_is_stored_once(field, as_obs1, db, race):
    from observer_suite.models import User
    from observer_suite.observations.submission import submit

    body, obs1 = payload("S001"), field.users.obs1.id

    def the_other_device_sends_it():  # stored between our checks and our insert
        submit(db.session.get(User, obs1), body)

    with race("INSERT INTO observations", the_other_device_sends_it):
        response = post(as_obs1, body)
    assert response.status_code == 200 and response.json["status"] == "replayed"
    stored = db.session.query(Observation).one()
    assert stored.uuid == body["uuid"] and response.json["id"] == stored.id


@pytest.mark.skipif(backend() == "sqlite", reason=NO_FOREIGN_KEYS)
def test_a_team_removed_meanwhile_asks_for_a_retry(field, as_obs1, db, race):
    from observer_suite.models import Team

    body, t1 = payload("S001"), field.t1.id

    def a_coordinator_removes_the_team():  # between our checks and our insert
        db.session.delete(db.session.get(Team, t1))

    with race("INSERT INTO observations", a_coordinator_removes_the_team):
        response = post(as_obs1, body)
    assert response.status_code == 503 and response.json["error"] == "retry"
    assert db.session.query(Observation).count() == 0
    assert db.session.get(Team, t1) is None


def test_a_replay_is_recognised_even_after_the_plan_changed(field, as_obs1, db):
    from observer_suite.models import PlanStop

    body = payload("S001")
    first = post(as_obs1, body).json["id"]
    stop = db.session.query(PlanStop).filter_by(station_id=field.stations["S001"].id).one()
    stop.team_id, stop.position = field.t2.id, 9  # S001 moves to T02: new ones are 403
    db.session.commit()
    assert post(as_obs1, payload("S001")).status_code == 403
    replay = post(as_obs1, body)
    assert replay.status_code == 200 and replay.json["id"] == first


def test_invalid_answers_are_422_per_field(field, as_obs1, db):
    answers = {
        **GOOD_ANSWERS,
        "seals_intact": "no",  # makes seal_problem required
        "ballots_cast": -1,  # constraint
        "votes_a": "many",  # type
        "problems": ["late", "aliens"],  # unknown choice
        "shoe_size": 42,  # not a question
    }
    del answers["votes_b"]  # required
    response = post(as_obs1, payload("S001", answers=answers))
    assert response.status_code == 422
    assert response.json["error"] == "invalid_answers"
    fields = response.json["fields"]
    assert set(fields) == {
        "answers.seal_problem",
        "answers.ballots_cast",
        "answers.votes_a",
        "answers.votes_b",
        "answers.problems",
        "answers.shoe_size",
    }
    assert fields["answers.ballots_cast"] == "Cannot be negative"
    assert "required" in fields["answers.votes_b"]
    assert db.session.query(Observation).count() == 0


def test_answers_to_hidden_questions_are_dropped(field, as_obs1, db):
    answers = {**GOOD_ANSWERS, "seal_problem": "torn", "votes_a": "150"}
    response = post(as_obs1, payload("S001", answers=answers))
    assert response.status_code == 201, response.json
    stored = db.session.get(Observation, response.json["id"])
    assert "seal_problem" not in stored.answers and stored.answers["votes_a"] == 150


def test_structural_problems_name_every_field(field, as_obs1):
    body = {
        "uuid": "not-a-uuid",
        "form_id": 7,
        "station_code": "",
        "arrived_at": "2027-02-25T07:30:00",  # no offset
        "departed_at": "yesterday",
        "answers": ["a"],
    }
    response = post(as_obs1, body)
    assert response.status_code == 422
    assert set(response.json["fields"]) == {
        "uuid",
        "form_id",
        "form_version",
        "station_code",
        "arrived_at",
        "departed_at",
        "answers",
    }
    assert "offset" in response.json["fields"]["arrived_at"]


@pytest.mark.parametrize(
    ("change", "field_name", "error"),
    [
        ({"form_version": "99"}, "form_version", "unknown_form"),
        ({"form_id": "nope"}, "form_id", "unknown_form"),
        ({"station_code": "X999"}, "station_code", "unknown_station"),
    ],
)
def test_unknown_form_version_or_station(field, as_obs1, change, field_name, error):
    response = post(as_obs1, payload("S001", **change))
    assert response.status_code == 422
    assert response.json["error"] == error and response.json["field"] == field_name
    assert field_name in response.json["fields"]


def test_observer_may_not_submit_for_another_teams_station(field, as_obs1, db):
    response = post(as_obs1, payload("S003"))
    assert response.status_code == 403
    assert response.json["error"] == "not_your_station"
    assert "T02" in response.json["detail"] and response.json["field"] == "station_code"
    assert post(as_obs1, payload("S002")).status_code == 201  # own route
    assert post(as_obs1, payload("S006")).status_code == 201  # on nobody's route
    assert db.session.query(Observation).count() == 2


@pytest.mark.parametrize("who", ["loner", "analyst", "lead"])
def test_no_team_or_no_submit_role_is_forbidden(field, login, who):
    client = login(getattr(field.users, who))
    response = post(client, payload("S006"))
    assert response.status_code == 403 and response.json["error"] == "forbidden"


def test_coordinator_may_submit_anywhere_in_the_mission(field, login, db):
    client = login(field.users.coordinator)
    response = post(client, payload("S003"))
    assert response.status_code == 201
    assert db.session.get(Observation, response.json["id"]).team_id is None


def test_station_of_a_mission_the_user_is_not_in(field, login, mission_factory, db):
    from observer_suite.models import Area, PollingStation

    other = mission_factory(slug="other")
    area = Area(mission_id=other.id, level=0, name="Far", path="F")
    db.session.add(area)
    db.session.flush()
    db.session.add(PollingStation(mission_id=other.id, area_id=area.id, code="Z1", name="Z"))
    db.session.commit()
    response = post(login(field.users.obs1), payload("Z1"))
    assert response.status_code == 422 and response.json["field"] == "station_code"


def _with(answer: str) -> bytes:
    """A valid payload whose remarks/ballots_cast JSON text is spliced in as given."""
    text = json.dumps(payload("S001"))
    return text.replace('"ballots_cast": 300', answer).encode()


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        (b'{"uuid": ', "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b"\xff\xfe{}", "application/json", 400),
        (_with('"ballots_cast": 300, "remarks": "\\ud800"'), "application/json", 400),
        (b"uuid=1", "application/x-www-form-urlencoded", 415),
        (_with('"ballots_cast": NaN'), "application/json", 400),  # NaN is not JSON
        (_with('"ballots_cast": {"a": [1]}'), "application/json", 422),
        (b"", "application/json", 400),
    ],
)
def test_malformed_bodies_get_json_errors_not_500(field, as_obs1, data, content_type, status):
    from tests.conftest import csrf_token

    response = as_obs1.post(
        "/api/v1/submissions",
        data=data,
        content_type=content_type,
        headers={"X-CSRFToken": csrf_token(as_obs1)},
    )
    assert response.status_code == status
    assert response.is_json and {"error", "detail", "field"} <= set(response.json)


def test_cookie_requests_need_the_csrf_header(field, as_obs1, db):
    response = post(as_obs1, payload("S001"), csrf=False)
    assert response.status_code == 400 and response.json["error"] == "csrf_failed"
    response = post(as_obs1, payload("S001"), csrf="forged")
    assert response.status_code == 400 and "CSRF" in response.json["detail"]
    assert db.session.query(Observation).count() == 0


def test_anonymous_gets_json_401(field, client):
    response = client.post("/api/v1/submissions", json=payload())
    assert response.status_code == 401 and response.is_json


def test_failed_checks_flag_the_observation(field, as_obs1, db):
    answers = {**GOOD_ANSWERS, "ballots_cast": 600, "voters_voted": 450}
    body = payload("S001", answers=answers, departed_at="2027-02-25T07:00:00+01:00")
    response = post(as_obs1, body)
    assert response.status_code == 201
    ids = [flag["id"] for flag in response.json["flags"]]
    assert ids == [
        "cast_le_registered",
        "votes_add_up",
        "voted_le_station",
        "departure_before_arrival",
    ]
    stored = db.session.get(Observation, response.json["id"])
    assert stored.review_status == ReviewStatus.FLAGGED
    history = db.session.query(ObservationReview).filter_by(observation_id=stored.id).all()
    assert len(history) == 1 and history[0].username is None
    assert "More ballots cast" in history[0].comment
    assert post(as_obs1, body).json["flags"] == response.json["flags"]  # replay says the same


def test_station_register_check_skipped_when_unknown(field, as_obs1, db):
    field.stations["S001"].registered_voters = None
    db.session.commit()
    answers = {**GOOD_ANSWERS, "voters_voted": 450}
    response = post(as_obs1, payload("S001", answers=answers))
    assert response.status_code == 201 and response.json["flags"] == []


def test_standard_counting_form_flags_inconsistent_figures(field, as_obs1, db):
    from observer_suite.checklists.services import load_standard_forms

    forms = {f.form_id: f for f in load_standard_forms(field.mission)}
    db.session.commit()
    counting = forms["std_closing_counting"]
    yes = {
        q["name"]: "yes"
        for q in counting.definition["questions"]
        if q["type"] == "yes_no" and q.get("required")
    }
    answers = {
        **yes,
        "queue_at_closing": "no",
        "unauthorised_present": "no",
        "arrival_time": "17:40",
        "departure_time": "21:10",
        "registered_voters": 350,
        "voters_voted": 300,
        "ballots_cast": 420,
        "invalid_ballots": 5,
        "votes_1": 100,
        "votes_2": 100,
        "overall": "good",
    }
    body = payload(
        "S001",
        form_id=counting.form_id,
        form_version=counting.version,
        answers=answers,
    )
    response = post(as_obs1, body)
    assert response.status_code == 201, response.json
    ids = {flag["id"] for flag in response.json["flags"]}
    assert {"cast_le_registered", "cast_le_voted", "votes_add_up"} <= ids
    assert db.session.get(Observation, response.json["id"]).form_pk == counting.id
