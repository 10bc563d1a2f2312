"""The incident list and page: filters, search, critical marking, escaping, access, photos."""

import pytest

from observer_suite.incidents.listing import IncidentFilters
from observer_suite.models import Area, IncidentPhoto
from tests.incidents.helpers import BASE, row_ids
from tests.incidents.intake_fixtures import PNG

XSS_TITLE = "<img src=x onerror=alert(1)>"
XSS_TEXT = "<script>alert(1)</script>"


def _ids(client, query: str = "") -> list[int]:
    response = client.get(f"{BASE}/?{query}")
    assert response.status_code == 200
    return row_ids(response.get_data(as_text=True))


def test_list_is_newest_first_with_critical_marked(field, stored, login):
    client = login(field.users.analyst)
    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert row_ids(page) == [stored.cash.id, stored.shots.id, stored.ink.id]
    assert f'<tr data-id="{stored.shots.id}" class="critical">' in page
    assert f'<tr data-id="{stored.cash.id}">' in page
    assert 'id="pending-critical"' in page and "1 critical incident awaiting" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=reported", {"shots", "ink"}),
        ("status=verified", {"cash"}),
        ("category=violence", {"shots"}),
        ("category=missing_materials", {"ink"}),
        ("category=secrecy_breach", set()),
        ("severity=critical", {"shots"}),
        ("severity=low", {"ink"}),
        ("from=2027-02-25T09:00", {"shots", "cash"}),
        ("to=2027-02-25T09:30", {"ink"}),
        ("from=2027-02-25T09:30&to=2027-02-25T09:31", {"shots"}),
        ("q=handed", {"cash"}),  # title
        ("q=VOTERS+RAN", {"shots"}),  # description, any case
        ("q=s004", {"cash"}),  # station code
        ("q=School+S001", {"shots"}),  # station name
        ("q=50%25", {"cash"}),  # a literal %, not a wildcard
        ("q=%25", {"cash"}),
        ("q=_", set()),  # a literal _, not "any character"
        ("status=reported&severity=low", {"ink"}),
    ],
)
def test_each_filter_narrows_the_list(field, stored, login, query, expected):
    client = login(field.users.analyst)
    assert set(_ids(client, query)) == {getattr(stored, name).id for name in expected}


def test_region_and_team_filters(field, stored, login, db):
    client = login(field.users.lead)
    region1 = db.session.query(Area).filter_by(mission_id=field.mission.id, path="R1").one()
    region2 = db.session.query(Area).filter_by(mission_id=field.mission.id, path="R2").one()
    assert _ids(client, f"region={region1.id}") == [stored.shots.id]
    assert _ids(client, f"region={region2.id}") == [stored.cash.id]
    assert _ids(client, f"team={field.t2.id}") == [stored.cash.id]
    assert _ids(client, f"team={field.t1.id}&region={region2.id}") == []


def test_time_filters_are_mission_local_time(field, stored, login, db):
    field.mission.timezone = "Africa/Lagos"  # UTC+1
    db.session.commit()
    client = login(field.users.analyst)
    assert _ids(client, "from=2027-02-25T10:30&to=2027-02-25T10:31") == [stored.shots.id]
    assert "25 Feb 10:30" in client.get(f"{BASE}/").get_data(as_text=True)


def test_bad_filter_values_give_messages_not_errors(field, stored, login):
    client = login(field.users.analyst)
    query = "status=closed&severity=extreme&region=abc&team=-1&from=yesterday&category=A;B&page=x"
    response = client.get(f"{BASE}/?{query}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert 'id="filter-errors"' in text
    assert "Unknown status &#39;closed&#39;" in text and "not a date and time" in text
    assert len(row_ids(text)) == 3  # the bad filters are left out


@pytest.mark.parametrize(
    "query", ["from=9999-12-31T23:59", "to=0001-01-01T00:00", "q=%00ink", "q=" + "x" * 500]
)
def test_extreme_filter_values_never_fail(field, stored, login, db, query):
    field.mission.timezone = "America/New_York"
    db.session.commit()
    assert login(field.users.analyst).get(f"{BASE}/?{query}").status_code == 200


def test_filters_round_trip_and_keep_messages_out_of_the_args():
    args = {"status": "verified", "region": "3", "from": "2027-02-25T07:00", "q": " ink ",
            "team": "x"}  # fmt: skip
    filters = IncidentFilters.from_args(args)
    assert filters.q == "ink" and filters.team is None and filters.messages
    assert "messages" not in filters.to_args()
    assert IncidentFilters.from_args(filters.to_args()) == filters


def test_export_links_carry_the_filters(field, stored, login):
    text = login(field.users.analyst).get(f"{BASE}/?severity=low&q=ink").get_data(as_text=True)
    for kind in ("csv", "xlsx", "geojson"):
        assert f"export.{kind}?severity=low&amp;q=ink" in text


def test_pagination(field, incident_factory, login):
    for n in range(55):
        incident_factory(field.mission, title=f"Incident {n}")
    client = login(field.users.analyst)
    assert len(_ids(client)) == 50
    assert len(_ids(client, "page=2")) == 5


def test_incident_page_shows_everything(field, stored, login, db):
    stored.shots.latitude, stored.shots.longitude = 6.123456, 7.654321
    db.session.commit()
    client = login(field.users.lead)
    text = client.get(f"{BASE}/{stored.shots.id}").get_data(as_text=True)
    assert "Shots fired near the school" in text and "Voters ran away" in text
    assert "Violence" in text and "critical" in text and "Region 1" in text and "T01" in text
    assert f'/missions/field/stations/{field.stations["S001"].id}"' in text
    assert "6.12346, 7.65432" in text and "GPS of the tablet" in text
    assert "obs1" in text  # the reporter
    text = client.get(f"{BASE}/{stored.ink.id}").get_data(as_text=True)
    assert "6.50000, 7.25000" in text and "none given" in text


def test_incident_raised_from_an_observation_links_to_it(field, incident_factory, login, db):
    from tests.observations.helpers import observe

    observation_id = observe(db, field.users.obs1, "S001")
    incident = incident_factory(field.mission, observation_id=observation_id, question="seals")
    text = login(field.users.analyst).get(f"{BASE}/{incident.id}").get_data(as_text=True)
    assert f'/missions/field/observations/{observation_id}"' in text and "seals" in text


def test_user_text_is_escaped_in_list_and_page(field, incident_factory, login):
    incident = incident_factory(
        field.mission, severity="critical", title=XSS_TITLE, description=XSS_TEXT
    )
    client = login(field.users.coordinator)
    for url in (f"{BASE}/", f"{BASE}/{incident.id}", f"{BASE}/?q=onerror"):
        text = client.get(url).get_data(as_text=True)
        assert "&lt;img src=x onerror=alert(1)&gt;" in text
        assert "<img src=x" not in text
    text = client.get(f"{BASE}/{incident.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>alert" not in text


@pytest.mark.parametrize("role", ["obs1", "loner"])
def test_observers_cannot_open_list_page_or_exports(field, stored, login, role):
    client = login(getattr(field.users, role))
    for suffix in ("/", f"/{stored.shots.id}", "/export.csv", "/export.xlsx",
                   "/export.geojson", "/alerts.json", "/categories"):  # fmt: skip
        assert client.get(BASE + suffix).status_code == 403, suffix


def test_other_missions_incident_is_404(field, stored, login, mission_factory, incident_factory):
    other = mission_factory(slug="elsewhere")
    foreign = incident_factory(other, title="Elsewhere")
    client = login(field.users.coordinator)
    assert client.get(f"{BASE}/{foreign.id}").status_code == 404
    assert client.get(f"{BASE}/99999").status_code == 404
    assert client.get(f"{BASE}/{10**30}").status_code == 404
    assert client.get(f"{BASE}/{stored.shots.id}/photos/{10**30}").status_code == 404
    assert client.get(f"/missions/elsewhere/incidents/{stored.shots.id}").status_code == 404
    assert foreign.id not in _ids(client)


def _photo(db, incident, content_type="image/png", data=PNG):
    photo = IncidentPhoto(
        incident_id=incident.id, filename="door.png", content_type=content_type,
        size=len(data), sha256="0" * 64, data=data,
    )  # fmt: skip
    db.session.add(photo)
    db.session.commit()
    return photo


def test_photos_are_served_inline_with_their_type(field, stored, login, db):
    photo = _photo(db, stored.shots)
    client = login(field.users.analyst)
    page = client.get(f"{BASE}/{stored.shots.id}").get_data(as_text=True)
    url = f"{BASE}/{stored.shots.id}/photos/{photo.id}"
    assert f'src="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200 and response.data == PNG
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"] == "inline"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"{BASE}/{stored.cash.id}/photos/{photo.id}").status_code == 404
    listing = client.get(f"{BASE}/").get_data(as_text=True)
    assert '<td data-label="Photos" class="num">1</td>' in listing


def test_photos_need_the_view_permission_and_the_mission(field, stored, login, db, user_factory):
    photo = _photo(db, stored.shots)
    url = f"{BASE}/{stored.shots.id}/photos/{photo.id}"
    assert login(field.users.obs1).get(url).status_code == 403
    outsider = user_factory("analyst")  # not a member of the field mission
    assert login(outsider).get(url).status_code == 404


def test_an_unexpected_stored_type_is_not_served_inline(field, stored, login, db):
    photo = _photo(db, stored.shots, content_type="image/svg+xml", data=b"<svg onload=x>")
    response = login(field.users.analyst).get(f"{BASE}/{stored.shots.id}/photos/{photo.id}")
    assert response.mimetype == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment")
