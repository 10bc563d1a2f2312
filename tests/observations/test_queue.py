"""The review queue: the form beside the answers, next flagged / next unreviewed, a reason
to reject, the station linked, and the station's page listing what it received."""

import re

import pytest

from observer_suite.models import Observation, ReviewStatus
from tests.observations.helpers import observe
from tests.observations.test_review import _review_form

BASE = "/missions/field/observations"


@pytest.fixture
def queue(field, db):
    u = field.users
    bad = {"ballots_cast": 900, "votes_a": 740, "votes_b": 150}  # fails two checks
    return {
        "ok1": observe(db, u.obs1, "S001"),
        "flag1": observe(db, u.obs1, "S002", **bad),
        "ok2": observe(db, u.obs2, "S004"),
        "flag2": observe(db, u.obs2, "S003", **bad),
    }


def _next(page: str, which: str) -> int | None:
    found = re.search(rf'id="next-{which}" href="[^"]*/observations/(\d+)"', page)
    return int(found.group(1)) if found else None


def test_next_flagged_and_next_unreviewed_wrap_round(field, queue, login):
    client = login(field.users.analyst)
    page = client.get(f"{BASE}/{queue['ok1']}").get_data(as_text=True)
    assert _next(page, "flagged") == queue["flag1"]
    assert _next(page, "unreviewed") == queue["ok2"]
    page = client.get(f"{BASE}/{queue['flag2']}").get_data(as_text=True)
    assert _next(page, "flagged") == queue["flag1"]  # wraps to the oldest
    assert _next(page, "unreviewed") == queue["ok1"]


def test_the_queue_keeps_to_the_team_scope(field, queue, login, db):
    client = login(field.users.obs1)  # sees T01's observations only... but not this page
    assert client.get(f"{BASE}/{queue['ok1']}").status_code == 403
    from observer_suite.observations.queue import next_in_queue

    assert next_in_queue(field.mission, field.users.obs1, queue["flag1"], "flagged") is None


def test_review_form_sits_beside_the_answers(field, queue, login):
    page = login(field.users.analyst).get(f"{BASE}/{queue['flag1']}").get_data(as_text=True)
    panel = page[page.index('id="review-panel"') :]
    assert page.index('id="answers"') < page.index('id="review-panel"')
    assert 'id="review-form"' in panel and 'id="flags"' in panel
    assert "css/observations.css" in page


def test_save_and_go_to_the_next_flagged(field, queue, login, db):
    client = login(field.users.analyst)
    token, seen = _review_form(client, queue["flag1"])
    response = client.post(
        f"{BASE}/{queue['flag1']}/review",
        data={"csrf_token": token, "seen": seen, "status": "verified", "then": "flagged"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/observations/{queue['flag2']}")
    assert db.session.get(Observation, queue["flag1"]).review_status == ReviewStatus.VERIFIED


def test_rejecting_needs_a_reason_shown_beside_the_comment(field, queue, login, db):
    client = login(field.users.analyst)
    token, seen = _review_form(client, queue["ok1"])
    url = f"{BASE}/{queue['ok1']}/review"
    response = client.post(url, data={"csrf_token": token, "seen": seen, "status": "rejected"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    form = page[page.index('id="review-form"') :]
    assert re.search(r'<small class="error">Say why it is rejected', form)
    assert db.session.get(Observation, queue["ok1"]).review_status == ReviewStatus.RECEIVED
    data = {"csrf_token": token, "seen": seen, "status": "rejected", "comment": "Wrong station"}
    assert client.post(url, data=data).status_code == 302
    assert db.session.get(Observation, queue["ok1"]).review_status == ReviewStatus.REJECTED


def test_station_links_to_its_page_which_lists_observations_and_incidents(
    field, queue, login, incident_factory
):
    station = field.stations["S002"]
    shots = incident_factory(field.mission, "violence", station_id=station.id, title="Shots")
    incident_factory(field.mission, "violence", station_id=field.stations["S001"].id)
    client = login(field.users.coordinator)
    page = client.get(f"{BASE}/{queue['flag1']}").get_data(as_text=True)
    link = f'href="/missions/field/stations/{station.id}"'
    assert link in page[page.index('id="station"') :][:300]
    page = client.get(f"/missions/field/stations/{station.id}").get_data(as_text=True)
    listed = page[page.index('id="station-observations"') :]
    assert re.findall(r'<tr data-id="(\d+)"', listed.split('id="station-incidents"')[0]) == [
        str(queue["flag1"])
    ]
    incidents = listed[listed.index('id="station-incidents"') :]
    assert re.findall(r'<tr data-id="(\d+)"', incidents) == [str(shots.id)]
    assert f'href="/missions/field/incidents/{shots.id}"' in incidents
    assert "2027-02-25 09:30 UTC" in incidents  # in the mission's zone, named
