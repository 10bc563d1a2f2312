"""Entering an observation for a team from the web: the intake's rules, errors by the field."""

import re
from datetime import UTC, datetime

import pytest

from observer_suite.models import Observation
from tests.api.fixtures import GOOD_ANSWERS
from tests.conftest import CSRF_RE

URL = "/missions/field/observations/new"


@pytest.fixture
def clerk(field, user_factory):
    return user_factory(role="clerk", missions=[field.mission], username="clerk1")


def _data(client, field, **changes):
    page = client.get(f"{URL}?form={field.form.id}").get_data(as_text=True)
    data = {
        "csrf_token": CSRF_RE.search(page).group(1),
        "form": str(field.form.id),
        "team": str(field.t2.id),
        "station_code": "S005",
        "arrived_at": "2027-02-25T07:30",
        "departed_at": "2027-02-25T08:15",
    }
    data.update({f"a-{k}": str(v) for k, v in GOOD_ANSWERS.items()})
    data["a-problems"] = ["late", "intimidation"]
    data.update(changes)
    return data


def test_the_form_is_generated_from_the_checklist(field, clerk, login):
    client = login(clerk)
    assert 'id="enter-link"' in client.get("/missions/field/observations/").get_data(as_text=True)
    page = client.get(URL).get_data(as_text=True)
    assert 'id="entry-form"' not in page and "Counting (t_count v1)" in page
    page = client.get(f"{URL}?form={field.form.id}").get_data(as_text=True)
    assert 'name="a-seals_intact"' in page and 'name="a-votes_a"' in page
    assert 'type="checkbox" name="a-problems" value="intimidation"' in page
    assert ">T01<" in page and ">T02<" in page and 'value="S006"' in page


def test_a_clerk_enters_an_observation_for_a_team(field, clerk, login, db):
    client = login(clerk)
    response = client.post(URL, data=_data(client, field))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    observation = db.session.query(Observation).one()
    assert observation.team_id == field.t2.id and observation.submitted_by == clerk.id
    assert observation.station.code == "S005" and observation.version == 1
    assert re.fullmatch(r"[0-9a-f-]{36}", observation.uuid)
    assert observation.answers["votes_a"] == 150  # typed as the intake types it
    assert observation.answers["problems"] == ["late", "intimidation"]
    assert observation.critical == ["problems"]
    arrived = observation.arrived_at.replace(tzinfo=observation.arrived_at.tzinfo or UTC)
    assert arrived == datetime(2027, 2, 25, 7, 30, tzinfo=UTC)  # the mission's zone is UTC
    assert response.headers["Location"].endswith(f"/observations/{observation.id}")


def test_errors_are_shown_beside_their_fields_and_nothing_is_stored(field, clerk, login, db):
    client = login(clerk)
    data = _data(client, field, **{"a-votes_a": "-1", "a-seals_intact": "no"})
    response = client.post(URL, data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(r'data-error-for="votes_a">Cannot be negative<', page)
    assert re.search(r'data-error-for="seal_problem">an answer is required<', page)
    assert 'value="-1"' in page  # what was typed stays in the field
    response = client.post(URL, data=_data(client, field, station_code="NOPE"))
    assert response.status_code == 400
    assert 'data-error-for="station_code"' in response.get_data(as_text=True)
    response = client.post(URL, data=_data(client, field, arrived_at=""))
    assert 'data-error-for="arrived_at">is required<' in response.get_data(as_text=True)
    response = client.post(URL, data=_data(client, field, team="999999"))
    assert 'data-error-for="team"' in response.get_data(as_text=True)
    assert db.session.query(Observation).count() == 0


def test_failing_checks_flag_an_entered_observation(field, clerk, login, db):
    client = login(clerk)
    response = client.post(URL, data=_data(client, field, **{"a-ballots_cast": "900"}))
    assert response.status_code == 302
    assert db.session.query(Observation).one().review_status.value == "flagged"


@pytest.mark.parametrize("who", ["analyst", "lead", "obs1"])
def test_only_coordinators_and_clerks_enter(field, login, who):
    client = login(getattr(field.users, who))
    assert client.get(URL).status_code == 403


def test_a_coordinator_enters_too(field, login, db):
    client = login(field.users.coordinator)
    response = client.post(URL, data=_data(client, field, team=str(field.t1.id)))
    assert response.status_code == 302
    assert db.session.query(Observation).one().team_id == field.t1.id
