"""Corrections: a new version of the same observation, the old one kept and shown;
statistics count the latest; the tablet's original upload is still a replay."""

import re
from datetime import UTC, datetime

import pytest

from observer_suite.models import Observation, ObservationReview, ObservationVersion
from observer_suite.observations.correction import CorrectionError, correct
from observer_suite.reporting.statistics.compute import election_day_stats
from tests.api.fixtures import GOOD_ANSWERS, payload, post
from tests.conftest import CSRF_RE

LATER = datetime(2030, 1, 1, tzinfo=UTC)


def _form(client, url: str) -> str:
    return CSRF_RE.search(client.get(url).get_data(as_text=True)).group(1)


def _critical(mission, question: str) -> int:
    stats = election_day_stats(mission, until=LATER)
    rows = [row for row in stats.critical_answers if row.question == question]
    return sum(row.mission for row in rows)


@pytest.fixture
def uploaded(field, db, login):
    """The tablet's upload (as obs1, through the API): seals not intact, a critical answer."""
    body = payload("S001", answers={**GOOD_ANSWERS, "seals_intact": "no", "seal_problem": "torn"})
    client = login(field.users.obs1)
    response = post(client, body)
    assert response.status_code == 201, response.json
    client.get("/logout")
    return body, response.json["id"]


def _post_correction(client, observation_id: int, **answers):
    url = f"/missions/field/observations/{observation_id}/correct"
    page = client.get(url)
    assert page.status_code == 200
    seen = re.search(r'name="seen" value="(\d+)"', page.get_data(as_text=True)).group(1)
    data = {"csrf_token": _form(client, url), "seen": seen, "note": "phoned in by T01"}
    data.update({f"a-{k}": v for k, v in {**GOOD_ANSWERS, **answers}.items()})
    return client.post(url, data=data)


def test_a_correction_is_a_new_version_and_the_old_one_is_kept(field, db, uploaded, login):
    body, observation_id = uploaded
    assert _critical(field.mission, "seals_intact") == 1
    client = login(field.users.coordinator)
    response = _post_correction(client, observation_id, seals_intact="yes", votes_a=151,
                                ballots_cast=301)  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    observation = db.session.get(Observation, observation_id)
    assert observation.uuid == body["uuid"]
    assert observation.version == 2
    assert observation.answers["seals_intact"] == "yes"
    assert "seal_problem" not in observation.answers
    assert observation.corrected_by == "coord" and observation.critical == []
    old = db.session.query(ObservationVersion).filter_by(observation_id=observation_id).one()
    assert old.version == 1 and old.made_by == "obs1"
    assert old.answers["seals_intact"] == "no" and old.critical == ["seals_intact"]
    assert db.session.query(Observation).count() == 1  # the same observation, not a copy
    # Statistics read the latest version only.
    assert _critical(field.mission, "seals_intact") == 0
    page = client.get(f"/missions/field/observations/{observation_id}").get_data(as_text=True)
    versions = page[page.index('id="versions"') :]
    assert 'data-version="2"' in versions and 'data-version="1"' in versions
    assert 'data-changed="seals_intact"' in versions and 'data-changed="votes_a"' in versions
    assert "coord" in versions and "obs1" in versions and "phoned in by T01" in versions
    history = db.session.query(ObservationReview).filter_by(observation_id=observation_id).all()
    assert any("version 2" in h.comment and h.username == "coord" for h in history)


def test_the_original_upload_is_still_a_replay_after_a_correction(field, db, uploaded, login):
    body, observation_id = uploaded
    correct(
        db.session.get(Observation, observation_id),
        {**GOOD_ANSWERS},
        field.users.coordinator,
        "seals were fine",
        1,
    )
    db.session.commit()
    response = post(login(field.users.obs1), body)
    assert response.status_code == 200, response.json
    assert response.json == {"id": observation_id, "uuid": body["uuid"], "status": "replayed",
                             "flags": []}  # fmt: skip
    assert db.session.get(Observation, observation_id).answers["seals_intact"] == "yes"
    changed = {**body, "answers": {**GOOD_ANSWERS, "remarks": "other"}}
    assert post(login(field.users.obs1), changed).status_code == 409


def test_a_correction_is_validated_like_an_upload_and_writes_nothing_when_wrong(
    field, db, uploaded, login
):
    _body, observation_id = uploaded
    client = login(field.users.coordinator)
    response = _post_correction(client, observation_id, votes_a="-3", registered_voters="x")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(r'data-error-for="votes_a">Cannot be negative<', page)
    assert re.search(r'data-error-for="registered_voters">must be a whole number<', page)
    db.session.expire_all()
    observation = db.session.get(Observation, observation_id)
    assert observation.version == 1 and observation.answers["seals_intact"] == "no"
    assert db.session.query(ObservationVersion).count() == 0


def test_stale_and_empty_corrections_are_refused(field, db, uploaded):
    _body, observation_id = uploaded
    observation = db.session.get(Observation, observation_id)
    same = dict(observation.answers)
    with pytest.raises(CorrectionError, match="Nothing changed"):
        correct(observation, same, field.users.coordinator, "x", 1)
    db.session.rollback()
    with pytest.raises(CorrectionError) as refused:
        correct(observation, {**GOOD_ANSWERS}, field.users.coordinator, "", 1)
    assert "note" in refused.value.fields
    db.session.rollback()
    correct(observation, {**GOOD_ANSWERS}, field.users.coordinator, "first", 1)
    db.session.commit()
    with pytest.raises(CorrectionError) as stale:
        correct(observation, {**GOOD_ANSWERS, "remarks": "r"}, field.users.coordinator, "y", 1)
    assert stale.value.status == 409
    db.session.rollback()
    with pytest.raises(CorrectionError) as forbidden:
        correct(observation, {**GOOD_ANSWERS, "remarks": "r"}, field.users.analyst, "y", 2)
    assert forbidden.value.status == 403


def test_a_correction_that_fails_a_check_flags_the_observation(field, db, uploaded):
    _body, observation_id = uploaded
    observation = db.session.get(Observation, observation_id)
    correct(observation, {**GOOD_ANSWERS, "ballots_cast": 900}, field.users.coordinator, "n", 1)
    db.session.commit()
    assert observation.review_status.value == "flagged"
    assert {f["id"] for f in observation.flags} >= {"cast_le_registered"}


def test_who_may_correct(field, uploaded, login, user_factory):
    _body, observation_id = uploaded
    url = f"/missions/field/observations/{observation_id}/correct"
    assert login(field.users.analyst).get(url).status_code == 403
    clerk = user_factory(role="clerk", missions=[field.mission])
    assert login(clerk).get(url).status_code == 200


def test_the_list_marks_corrected_observations(field, db, uploaded, login):
    _body, observation_id = uploaded
    client = login(field.users.coordinator)
    page = client.get("/missions/field/observations/").get_data(as_text=True)
    assert 'class="muted corrected"' not in page
    _post_correction(client, observation_id, seals_intact="yes")
    page = client.get("/missions/field/observations/").get_data(as_text=True)
    assert 'title="corrected by coord">v2<' in page


def test_control_characters_are_refused_as_the_intake_refuses_them(field, db, uploaded, login):
    _body, observation_id = uploaded
    client = login(field.users.coordinator)
    response = _post_correction(client, observation_id, seals_intact="yes", remarks="a\x00b")
    assert response.status_code == 400
    assert 'data-error-for="remarks"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Observation, observation_id).version == 1
