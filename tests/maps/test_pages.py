"""Map pages: who may see and change what, and a CSP that admits exactly the tile host."""

import re

import pytest

from observer_suite.models import Area, PollingStation
from observer_suite.util.map_tiles import (
    TileError,
    map_csp,
    tile_attribution,
    tile_origin,
    tile_url,
    validate_tiles,
)
from tests.conftest import csrf_token

PAGES = [
    "/maps/",
    "/maps/incidents",
    "/maps/incidents/map",
    "/maps/findings",
]
FRAMES = ["/maps/incidents/map"]
TILES = "https://tiles.example.org/{z}/{x}/{y}.png"


@pytest.fixture
def mission(mission_factory, db):
    mission = mission_factory(slug="mp", levels="region,district")
    region = Area(mission_id=mission.id, level=0, name="North", code="N", path="N",
                  boundary={"type": "Polygon",
                            "coordinates": [[[7, 6], [8, 6], [8, 7], [7, 7], [7, 6]]]})  # fmt: skip
    db.session.add(region)
    db.session.flush()
    db.session.add(PollingStation(mission_id=mission.id, area_id=region.id, code="S1",
                                  name="School", latitude=6.5, longitude=7.5))  # fmt: skip
    db.session.commit()
    return mission


def _origins(csp: str) -> set[str]:
    return set(re.findall(r"https?://[^\s;']+", csp))


@pytest.mark.parametrize("role", ["observer", "lto"])
def test_field_roles_get_403(mission, user_factory, login, role):
    client = login(user_factory(role=role, missions=[mission]))
    for page in [*PAGES, "/maps/boundaries"]:
        assert client.get(f"/missions/mp{page}").status_code == 403, page


def test_other_missions_are_404(mission, mission_factory, user_factory, login):
    other = mission_factory(slug="other")
    client = login(user_factory(role="coordinator", missions=[other]))
    for page in [*PAGES, "/maps/boundaries"]:
        assert client.get(f"/missions/mp{page}").status_code == 404, page


@pytest.mark.parametrize("role", ["analyst", "lead", "coordinator", "admin"])
def test_staff_see_every_map(mission, user_factory, login, role):
    client = login(user_factory(role=role, missions=[mission]))
    for page in PAGES:
        assert client.get(f"/missions/mp{page}").status_code == 200, page


def _save_tiles(client, mode: str, url: str = ""):
    return client.post(
        "/missions/mp/maps/tiles",
        data={"csrf_token": csrf_token(client, "/missions/mp/maps/"), "mode": mode, "url": url},
    )


@pytest.mark.parametrize("viewer", ["analyst", "lead"])
def test_only_managers_set_tiles(mission, user_factory, login, client, db, viewer):
    login(user_factory(role=viewer, missions=[mission]))
    assert "Map background" in client.get("/missions/mp/maps/").get_data(as_text=True)
    assert 'name="url"' not in client.get("/missions/mp/maps/").get_data(as_text=True)
    assert _save_tiles(client, "none").status_code == 403
    login(user_factory(role="coordinator", missions=[mission]))
    assert _save_tiles(client, "custom", TILES).status_code == 302
    db.session.refresh(mission)
    assert mission.map_tiles == TILES
    insecure = "http://tiles.example.org/{z}/{x}/{y}.png"
    assert _save_tiles(client, "custom", insecure).status_code == 400
    assert _save_tiles(client, "none").status_code == 302
    db.session.refresh(mission)
    assert mission.map_tiles == "none"
    assert _save_tiles(client, "default").status_code == 302
    db.session.refresh(mission)
    assert mission.map_tiles is None
    no_csrf = client.post("/missions/mp/maps/tiles", data={"mode": "none"})
    assert no_csrf.status_code == 400


@pytest.mark.parametrize(
    "bad",
    [
        "http://a.org/{z}/{x}/{y}.png",
        "https://a.org/{z}/{x}.png",
        "https://a.org/{z}/{x}/{y}.png' onerror='x",
        'https://a.org/{z}/{x}/{y}.png"',
        "https://a.org/{z}/{x}/{y}.png; script-src *",
        "https://user@a.org/{z}/{x}/{y}.png",
        "https://a.{z}.org/{z}/{x}/{y}.png",
        "https://a.org/{z}/{x}/{y}/{evil}.png",
        "https://a_b.org/{z}/{x}/{y}.png",
        "javascript:alert(1)//{z}{x}{y}",
    ],
)
def test_bad_tile_templates_are_refused(bad):
    with pytest.raises(TileError):
        validate_tiles(bad)


def test_tile_templates_and_origins():
    assert validate_tiles(" NONE ") == "none"
    assert validate_tiles(TILES) == TILES
    osm = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}{r}.png"
    assert validate_tiles(osm) == osm
    assert tile_origin(osm) == "https://*.tile.openstreetmap.org"
    assert tile_origin("https://t.example.org:8443/{z}/{x}/{y}.png?k=1") == (
        "https://t.example.org:8443"
    )
    assert tile_attribution(osm) == "© OpenStreetMap contributors"
    assert tile_attribution(TILES) == "Tiles: tiles.example.org"
    csp = map_csp(TILES, ["sha256-abc"], [])
    assert "img-src 'self' data: https://tiles.example.org;" in csp
    assert "script-src 'self' 'sha256-abc';" in csp


def test_resolution_mission_then_app_setting(mission, app, monkeypatch):
    assert tile_url(mission) is None  # tests run with MAP_TILE_URL=""
    monkeypatch.setitem(app.config, "MAP_TILE_URL", "https://app.example.org/{z}/{x}/{y}.png")
    assert tile_url(mission) == "https://app.example.org/{z}/{x}/{y}.png"
    mission.map_tiles = "none"
    assert tile_url(mission) is None
    mission.map_tiles = TILES
    assert tile_url(mission) == TILES
    monkeypatch.setitem(app.config, "MAP_TILE_URL", "http://insecure.example.org/{z}/{x}/{y}")
    mission.map_tiles = None
    assert tile_url(mission) is None  # an invalid app setting means no tiles, not a hole


def test_csp_has_no_other_origin_without_tiles(mission, user_factory, login, incident_factory):
    incident_factory(mission, latitude=6.5, longitude=7.5)
    client = login(user_factory(role="analyst", missions=[mission]))
    for page in PAGES:
        response = client.get(f"/missions/mp{page}")
        csp = response.headers["Content-Security-Policy"]
        assert _origins(csp) == set(), (page, csp)
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
        html = response.get_data(as_text=True)
        assert not re.search(r'(src|href)="https?://', html), page
    frame = client.get("/missions/mp/maps/incidents/map")
    assert "frame-ancestors 'self'" in frame.headers["Content-Security-Policy"]
    assert "L.tileLayer" not in frame.get_data(as_text=True)


def test_csp_admits_exactly_the_missions_tile_host(
    mission, user_factory, login, app, monkeypatch, db
):
    monkeypatch.setitem(app.config, "MAP_TILE_URL", "https://app.example.org/{z}/{x}/{y}.png")
    mission.map_tiles = TILES
    db.session.commit()
    client = login(user_factory(role="analyst", missions=[mission]))
    station = db.session.query(PollingStation).filter_by(code="S1").one()
    for page in [*PAGES, f"/stations/{station.id}"]:
        response = client.get(f"/missions/mp{page}")
        assert response.status_code == 200, page
        csp = response.headers["Content-Security-Policy"]
        assert _origins(csp) == {"https://tiles.example.org"}, (page, csp)
    frame = client.get("/missions/mp/maps/incidents/map").get_data(as_text=True)
    assert TILES in frame and "Tiles: tiles.example.org" in frame
    station_page = client.get(f"/missions/mp/stations/{station.id}").get_data(as_text=True)
    assert f'data-tiles="{TILES}"' in station_page
    mission.map_tiles = "none"
    db.session.commit()
    for page in [*PAGES, f"/stations/{station.id}"]:
        csp = client.get(f"/missions/mp{page}").headers["Content-Security-Policy"]
        assert _origins(csp) == set(), (page, csp)
    assert 'data-tiles=""' in client.get(f"/missions/mp/stations/{station.id}").get_data(
        as_text=True
    )


def test_plan_map_uses_the_mission_tiles(mission, db, user_factory, login):
    from datetime import date

    from observer_suite.models import DeploymentPlan, PlanMode

    plan = DeploymentPlan(mission_id=mission.id, name="Day", election_day=date(2027, 2, 25),
                          mode=PlanMode.PURPOSIVE)  # fmt: skip
    db.session.add(plan)
    db.session.commit()
    client = login(user_factory(role="analyst", missions=[mission]))
    response = client.get(f"/missions/mp/plans/{plan.id}/map")
    assert response.status_code == 200
    assert _origins(response.headers["Content-Security-Policy"]) == set()
    assert "L.tileLayer" not in response.get_data(as_text=True)
    mission.map_tiles = TILES
    db.session.commit()
    response = client.get(f"/missions/mp/plans/{plan.id}/map")
    assert _origins(response.headers["Content-Security-Policy"]) == {"https://tiles.example.org"}
    assert TILES in response.get_data(as_text=True)
