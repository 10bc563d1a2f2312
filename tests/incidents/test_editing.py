"""Incidents from the web: entered for a team, category and severity changed, commented
without a status change, assigned to a person; every change in the incident's history."""

import re

import pytest

from observer_suite.models import Incident, IncidentStatusChange
from tests.incidents.helpers import BASE, row_ids, token


@pytest.fixture
def clerk(field, user_factory):
    return user_factory(role="clerk", missions=[field.mission], username="clerk1")


def _entry(client, **changes):
    data = {
        "csrf_token": token(client, f"{BASE}/new"),
        "team": "",
        "station_code": "S003",
        "category": "vote_buying",
        "severity": "high",
        "occurred_at": "2027-02-25T10:15",
        "title": "Money offered at the door",
        "description": "Phoned in by the team leader.",
    }
    data.update(changes)
    return client.post(f"{BASE}/new", data=data)


def _history(db, incident_id: int) -> list[IncidentStatusChange]:
    db.session.expire_all()
    return (
        db.session.query(IncidentStatusChange)
        .filter_by(incident_id=incident_id)
        .order_by(IncidentStatusChange.id)
        .all()
    )


def test_a_clerk_enters_an_incident_for_a_team(field, clerk, login, db):
    client = login(clerk)
    assert 'id="enter-link"' in client.get(f"{BASE}/").get_data(as_text=True)
    response = _entry(client, team=str(field.t1.id))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    incident = db.session.query(Incident).one()
    assert incident.team_id == field.t1.id and incident.reported_by == clerk.id
    assert incident.station.code == "S003" and incident.severity.value == "high"
    assert incident.category.code == "vote_buying" and incident.status.value == "reported"
    assert re.fullmatch(r"[0-9a-f-]{36}", incident.uuid)
    history = _history(db, incident.id)
    assert [(h.username, h.new_status, h.comment) for h in history] == [
        ("clerk1", "reported", "Entered from the web")
    ]


def test_entry_errors_are_shown_beside_their_fields(field, clerk, login, db):
    client = login(clerk)
    response = _entry(client, team=str(field.t1.id), title="", severity="x")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for name in ("title", "severity"):
        assert f'data-error-for="{name}"' in page, name
    assert 'value="S003"' in page  # what was typed stays
    response = _entry(client, team=str(field.t1.id), category="nope")
    assert 'data-error-for="category"' in response.get_data(as_text=True)
    assert 'data-error-for="team"' in _entry(client).get_data(as_text=True)
    response = _entry(client, team=str(field.t1.id), station_code="NOPE")
    assert 'data-error-for="station_code"' in response.get_data(as_text=True)
    assert db.session.query(Incident).count() == 0


@pytest.mark.parametrize("who", ["analyst", "lead", "obs1"])
def test_only_coordinators_and_clerks_enter(field, login, who):
    assert login(getattr(field.users, who)).get(f"{BASE}/new").status_code == 403


def test_change_category_severity_and_assignee_in_the_history(field, stored, login, db):
    client = login(field.users.coordinator)
    url = f"{BASE}/{stored.shots.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'id="edit-form"' in page and f'<option value="{field.users.lead.id}">lead<' in page
    assert '<option value="' + str(field.users.obs1.id) + '">' not in page  # tablet logins
    response = client.post(
        f"{url}/edit",
        data={
            "csrf_token": token(client, url),
            "category": "voter_intimidation",
            "severity": "high",
            "assigned_to": str(field.users.lead.id),
            "comment": "Not shots: firecrackers, but threatening.",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    incident = db.session.get(Incident, stored.shots.id)
    assert incident.category.code == "voter_intimidation" and incident.severity.value == "high"
    assert incident.assigned_to == field.users.lead.id and incident.status.value == "reported"
    last = _history(db, incident.id)[-1]
    assert last.kind == "edit" and last.username == "coord"
    assert last.details == {
        "category": ["violence", "voter_intimidation"],
        "severity": ["critical", "high"],
        "assigned_to": [None, "lead"],
    }
    page = client.get(url).get_data(as_text=True)
    assert 'id="incident-assignee">lead<' in page
    assert "category: violence → <strong>voter_intimidation</strong>" in page
    # Unassign; nothing changed is refused and adds no history.
    data = {"csrf_token": token(client, url), "category": "voter_intimidation", "severity": "high"}
    assert client.post(f"{url}/edit", data=data).status_code == 302
    assert db.session.get(Incident, stored.shots.id).assigned_to is None
    count = len(_history(db, incident.id))
    response = client.post(f"{url}/edit", data=data)
    assert response.status_code == 400 and "Nothing changed" in response.get_data(as_text=True)
    assert len(_history(db, incident.id)) == count


def test_edit_refuses_unknown_values_and_other_roles(field, stored, login, db, user_factory):
    client = login(field.users.coordinator)
    url = f"{BASE}/{stored.cash.id}"
    for data in ({"category": "nope"}, {"severity": "extreme"}, {"assigned_to": "999999"}):
        response = client.post(f"{url}/edit", data={"csrf_token": token(client, url), **data})
        assert response.status_code == 400, data
    incident = db.session.get(Incident, stored.cash.id)
    assert incident.category.code == "vote_buying" and incident.assigned_to is None
    clerk = user_factory(role="clerk", missions=[field.mission])
    client = login(clerk)
    response = client.post(
        f"{url}/edit", data={"csrf_token": token(client, url), "severity": "low"}
    )
    assert response.status_code == 403


def test_a_comment_leaves_the_status_as_it_is(field, stored, login, db, clerk):
    client = login(clerk)
    url = f"{BASE}/{stored.cash.id}"
    response = client.post(
        f"{url}/comment",
        data={"csrf_token": token(client, url), "comment": "Team called again: still going on."},
    )
    assert response.status_code == 302
    incident = db.session.get(Incident, stored.cash.id)
    assert incident.status.value == "verified"
    last = _history(db, incident.id)[-1]
    assert (last.kind, last.old_status, last.new_status) == ("comment", "verified", "verified")
    assert last.comment == "Team called again: still going on." and last.username == "clerk1"
    page = client.get(url).get_data(as_text=True)
    assert 'data-kind="comment"' in page and "still going on" in page
    empty = client.post(f"{url}/comment", data={"csrf_token": token(client, url), "comment": " "})
    assert empty.status_code == 400
    assert login(field.users.analyst).post(
        f"{url}/comment", data={"csrf_token": token(client, url), "comment": "x"}
    ).status_code in {400, 403}


def test_the_list_filters_by_assignee(field, stored, login, db):
    stored.cash.assigned_to = field.users.lead.id
    db.session.commit()
    client = login(field.users.lead)
    page = client.get(f"{BASE}/?assignee={field.users.lead.id}").get_data(as_text=True)
    assert row_ids(page) == [stored.cash.id]
    assert f'<option value="{field.users.lead.id}" selected>lead (me)</option>' in page
    assert len(row_ids(client.get(f"{BASE}/").get_data(as_text=True))) == 3
