"""Critical incidents stand out: the alerts endpoint the banner polls, and the banner hook."""

from observer_suite.incidents import workflow
from tests.incidents.helpers import BASE

ALERTS = f"{BASE}/alerts.json"


def test_alerts_list_unacknowledged_critical_incidents(field, stored, login):
    data = login(field.users.lead).get(ALERTS).get_json()
    assert data["count"] == 1 and data["latest"] == stored.shots.id
    assert data["ids"] == [stored.shots.id]
    (alert,) = data["incidents"]
    assert alert["id"] == stored.shots.id and alert["title"] == "Shots fired near the school"
    assert alert["category"] == "Violence" and alert["station"] == "S001 School S001"
    assert alert["url"] == f"{BASE}/{stored.shots.id}"
    assert alert["occurred_at"] == "2027-02-25T09:30+00:00"


def test_since_returns_only_the_new_critical_incident(field, stored, login, incident_factory):
    client = login(field.users.analyst)
    since = client.get(ALERTS).get_json()["latest"]
    assert client.get(f"{ALERTS}?since={since}").get_json()["incidents"] == []
    incident_factory(field.mission, severity="high", title="Not critical")
    incident_factory(field.mission, severity="critical", status="verified", title="Seen")
    quiet = client.get(f"{ALERTS}?since={since}").get_json()
    assert quiet["incidents"] == [] and quiet["count"] == 1
    new = incident_factory(field.mission, severity="critical", title="Ballot box seized")
    data = client.get(f"{ALERTS}?since={since}").get_json()
    assert [a["id"] for a in data["incidents"]] == [new.id]
    assert data["count"] == 2 and data["latest"] == new.id
    assert data["ids"] == [new.id, stored.shots.id]


def test_verified_critical_incident_leaves_the_alerts(field, stored, login, db):
    workflow.change_status(stored.shots, "verified", field.users.coordinator, "", "reported")
    db.session.commit()
    data = login(field.users.coordinator).get(ALERTS).get_json()
    assert data == {**data, "count": 0, "latest": 0, "ids": [], "incidents": []}


def test_alerts_are_per_mission_and_need_the_permission(
    field, stored, login, mission_factory, incident_factory
):
    other = mission_factory(slug="elsewhere")
    incident_factory(other, severity="critical", title="Elsewhere")
    assert login(field.users.analyst).get(ALERTS).get_json()["count"] == 1
    assert login(field.users.obs1).get(ALERTS).status_code == 403
    assert (
        login(field.users.analyst).get("/missions/elsewhere/incidents/alerts.json").status_code
        == 404
    )


def test_garbage_since_is_ignored(field, stored, login):
    client = login(field.users.analyst)
    response = client.get(f"{ALERTS}?since=abc")
    assert response.status_code == 200 and response.get_json()["count"] == 1
    huge = client.get(f"{ALERTS}?since={10**30}")
    assert huge.status_code == 200 and huge.get_json()["incidents"] == []
    assert response.headers["Cache-Control"] == "no-store"


def test_banner_hook_is_on_mission_pages_for_staff_only(field, stored, login):
    client = login(field.users.lead)
    for url in ("/missions/field", f"{BASE}/", "/missions/field/stations"):
        text = client.get(url).get_data(as_text=True)
        assert 'id="incident-alerts"' in text and f'data-url="{ALERTS}"' in text, url
        assert "js/incident-alerts.js" in text and "<script>" not in text
    assert 'id="incident-alerts"' not in client.get("/").get_data(as_text=True)
    observer = login(field.users.obs1).get("/missions/field").get_data(as_text=True)
    assert 'id="incident-alerts"' not in observer and "incident-alerts.js" not in observer


def test_banner_script_builds_text_nodes_only(app):
    from pathlib import Path

    script = (Path(app.static_folder) / "js" / "incident-alerts.js").read_text()
    assert "innerHTML" not in script and "textContent" in script
