"""Browsing areas, stations and observers: filters, pagination, escaping, scoping."""

import pytest

from observer_suite.models import Area, Observer, ObserverRole, PollingStation, User
from tests.conftest import csrf_token

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def registry(mission_factory, db):
    """Two states, two LGAs each, 60 stations; one station with a hostile name."""
    mission = mission_factory(slug="ng", levels="state,lga")
    for s in (1, 2):
        state = Area(mission_id=mission.id, level=0, name=f"State {s}", code=f"0{s}", path=f"0{s}")
        db.session.add(state)
        db.session.flush()
        for g in (1, 2):
            lga = Area(
                mission_id=mission.id,
                level=1,
                name=f"LGA {s}{g}",
                code=f"0{g}",
                path=f"0{s}/0{g}",
                parent_id=state.id,
            )
            db.session.add(lga)
            db.session.flush()
            for n in range(15):
                db.session.add(
                    PollingStation(
                        mission_id=mission.id,
                        area_id=lga.id,
                        code=f"0{s}/0{g}/{n:03d}",
                        name=HOSTILE if (s, g, n) == (1, 1, 0) else f"School {s}{g}{n}",
                        registered_voters=100 + n,
                        latitude=6.0 + n / 100,
                        longitude=7.0,
                    )
                )
    db.session.add(
        Observer(
            mission_id=mission.id,
            ref="o1",
            name="Ana Silva",
            role=ObserverRole.STO,
            nationality="PT",
            languages=["pt", "en"],
            previous_missions=2,
            email="ana@example.org",
        )
    )
    db.session.add(
        Observer(
            mission_id=mission.id,
            ref="o2",
            name="Lars Berg",
            role=ObserverRole.LTO,
            nationality="SE",
            languages=["en"],
        )
    )
    db.session.commit()
    return mission


def test_areas_list_counts_stations_of_the_whole_subtree(registry, user_factory, login, client):
    login(user_factory(role="analyst", missions=[registry]))
    page = client.get("/missions/ng/areas").get_data(as_text=True)
    assert "State 1" in page and "LGA 11" not in page  # top level by default
    assert 'data-label="Stations">30</td>' in page
    state = Area.query.filter_by(path="01").one()
    lgas = client.get(f"/missions/ng/areas?parent={state.id}").get_data(as_text=True)
    assert "LGA 11" in lgas and "LGA 21" not in lgas
    assert 'data-label="Stations">15</td>' in lgas


def test_stations_are_paginated_searched_and_filtered(registry, user_factory, login, client):
    login(user_factory(role="lead", missions=[registry]))
    first = client.get("/missions/ng/stations").get_data(as_text=True)
    assert "page 1 of 2 · 60 in all" in first
    second = client.get("/missions/ng/stations?page=2").get_data(as_text=True)
    assert "page 2 of 2" in second and "02/02/014" in second
    found = client.get("/missions/ng/stations?q=School 2").get_data(as_text=True)
    assert "02/01/000" in found and "01/01/001" not in found
    lga = Area.query.filter_by(path="02/01").one()
    in_lga = client.get(f"/missions/ng/stations?area={lga.id}").get_data(as_text=True)
    assert in_lga.count("02/01/") >= 15 and "02/02/" not in in_lga
    percent = client.get("/missions/ng/stations?q=%25").get_data(as_text=True)
    assert "No polling stations match" in percent  # % is a literal, not a wildcard


def test_user_text_is_escaped(registry, user_factory, login, client):
    login(user_factory(role="coordinator", missions=[registry]))
    listing = client.get("/missions/ng/stations?q=img").get_data(as_text=True)
    assert HOSTILE not in listing
    assert "&lt;img src=x onerror=alert(1)&gt;" in listing
    station = PollingStation.query.filter_by(code="01/01/000").one()
    page = client.get(f"/missions/ng/stations/{station.id}").get_data(as_text=True)
    assert HOSTILE not in page and 'id="station-map"' in page


def test_station_of_another_mission_is_not_found(
    registry, mission_factory, user_factory, login, client
):
    other = mission_factory(slug="other")
    login(user_factory(role="coordinator", missions=[other]))
    station = PollingStation.query.first()
    assert client.get(f"/missions/other/stations/{station.id}").status_code == 404
    assert client.get(f"/missions/ng/stations/{station.id}").status_code == 404


def test_observers_filter_by_role_and_search(registry, user_factory, login, client):
    login(user_factory(role="analyst", missions=[registry]))
    page = client.get("/missions/ng/observers?role=lto").get_data(as_text=True)
    assert "Lars Berg" in page and "Ana Silva" not in page
    page = client.get("/missions/ng/observers?q=ana@").get_data(as_text=True)
    assert "Ana Silva" in page and "Lars Berg" not in page


def test_coordinator_gives_an_observer_a_login(registry, user_factory, login, client, db):
    login(user_factory(role="coordinator", missions=[registry]))
    lto = Observer.query.filter_by(ref="o2").one()
    url = f"/missions/ng/observers/{lto.id}"
    response = client.post(
        url,
        data={
            "username": "lars",
            "password": "a-long-secret",
            "confirm": "a-long-secret",
            "csrf_token": csrf_token(client, url),
        },
    )
    assert response.status_code == 302
    account = User.query.filter_by(username="lars").one()
    assert account.role.value == "lto" and account.observer_id == lto.id
    assert [m.mission_id for m in account.memberships] == [registry.id]
    again = client.post(
        url,
        data={
            "username": "lars2",
            "password": "a-long-secret",
            "confirm": "a-long-secret",
            "csrf_token": csrf_token(client, url),
        },
    )
    assert again.status_code == 400
    assert "already has a login" in again.get_data(as_text=True)
    assert User.query.filter_by(username="lars2").first() is None


def test_analyst_cannot_give_logins(registry, user_factory, login, client):
    login(user_factory(role="analyst", missions=[registry]))
    sto = Observer.query.filter_by(ref="o1").one()
    url = f"/missions/ng/observers/{sto.id}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        data={
            "username": "ana",
            "password": "a-long-secret",
            "confirm": "a-long-secret",
            "csrf_token": csrf_token(client, url),
        },
    )
    assert response.status_code == 403
    assert User.query.filter_by(username="ana").first() is None


def test_mission_page_summarises_counts(registry, user_factory, login, client):
    login(user_factory(role="lead", missions=[registry]))
    page = client.get("/missions/ng").get_data(as_text=True)
    assert '<p class="big">60</p>' in page
    assert "60 with coordinates" in page
