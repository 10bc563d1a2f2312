"""Submissions from scripts with a bearer token: the path that writes an unflagged observation
on a connection of its own in autocommit (observations.submission._store)."""

import pytest

from observer_suite.models import Observation, ObservationReview, ReviewStatus
from tests.api.fixtures import GOOD_ANSWERS, payload, post
from tests.conftest import PASSWORD


@pytest.fixture
def script(field, client):
    """A cookie-less client and its token, as the tablets' sync scripts use them."""
    response = client.post("/api/v1/auth/token", json={"username": "obs1", "password": PASSWORD})
    return client.application.test_client(), response.json["token"]


def test_observations_are_stored_replayed_and_refused_without_a_transaction(field, script, db):
    fresh, token = script
    bodies = [payload(f"S00{n}") for n in (1, 2, 1)]
    first = [post(fresh, body, token=token) for body in bodies]
    assert [r.status_code for r in first] == [201, 201, 201], [r.json for r in first]
    again = post(fresh, bodies[1], token=token)
    assert again.status_code == 200 and again.json["id"] == first[1].json["id"]
    changed = {**bodies[1], "answers": {**GOOD_ANSWERS, "remarks": "edited"}}
    assert post(fresh, changed, token=token).status_code == 409
    unknown = post(fresh, payload("NOPE"), token=token)
    assert unknown.status_code == 422 and unknown.json["field"] == "station_code"
    bad = post(fresh, payload("S001", answers={**GOOD_ANSWERS, "votes_a": "many"}), token=token)
    assert bad.status_code == 422 and "answers.votes_a" in bad.json["fields"]
    after = post(fresh, payload("S002"), token=token)  # the connection came back clean
    assert after.status_code == 201
    stored = db.session.query(Observation).order_by(Observation.id).all()
    assert [o.id for o in stored] == [r.json["id"] for r in (*first, after)]
    assert {o.review_status for o in stored} == {ReviewStatus.RECEIVED}
    assert all(o.submitted_by == field.users.obs1.id for o in stored)


def test_a_flagged_observation_and_its_review_entry_are_stored_together(field, script, db):
    fresh, token = script
    assert post(fresh, payload("S001"), token=token).status_code == 201
    answers = {**GOOD_ANSWERS, "ballots_cast": 600, "voters_voted": 450}
    response = post(fresh, payload("S002", answers=answers), token=token)
    assert response.status_code == 201 and response.json["flags"]
    stored = db.session.get(Observation, response.json["id"])
    assert stored.review_status == ReviewStatus.FLAGGED
    history = db.session.query(ObservationReview).filter_by(observation_id=stored.id).all()
    assert len(history) == 1 and history[0].new_status == "flagged"
    assert db.session.query(ObservationReview).count() == 1
