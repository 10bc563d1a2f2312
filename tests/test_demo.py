"""The demo mission: an invented country, built idempotently through the real imports."""

import itertools
import re
from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from observer_suite.auth.services import authenticate, create_user
from observer_suite.demo import build_demo
from observer_suite.demo.geography import build_country
from observer_suite.models import (
    Area,
    AuditEntry,
    Membership,
    Mission,
    Observer,
    ObserverRole,
    PollingStation,
    Role,
    User,
)


def inside(geometry: dict, lon: float, lat: float) -> bool:
    """Even-odd ray casting over every ring of a GeoJSON Polygon (holes excluded)."""
    assert geometry["type"] == "Polygon"
    result = False
    for ring in geometry["coordinates"]:
        for (x0, y0), (x1, y1) in itertools.pairwise(ring):
            if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                result = not result
    return result


def signed_area(ring: list) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


@pytest.fixture
def demo(demo_mission, demo_template):
    """The demo built once per worker (conftest.demo_template), this test's own copy of it."""
    return demo_template.result, demo_mission, demo_template.lines


def test_mission(demo):
    result, mission, lines = demo
    assert result.mission_slug == "demo"
    assert "Veridia" in mission.name
    assert mission.country == "XX"
    assert str(mission.election_date) == "2027-03-14"
    assert str(mission.second_round_date) == "2027-03-28"
    assert mission.timezone == "Africa/Lagos"
    assert mission.languages == ["en", "fr"]
    assert mission.area_levels == ["region", "district"]
    assert any("3" in line and "stations" in line and "created" in line for line in lines)


def test_regions_and_districts_have_boundaries(demo, db):
    _, mission, _ = demo
    regions = db.session.scalars(
        select(Area).where(Area.mission_id == mission.id, Area.level == 0)
    ).all()
    assert 4 <= len(regions) <= 8
    districts = Counter(
        db.session.scalars(
            select(Area.parent_id).where(Area.mission_id == mission.id, Area.level == 1)
        )
    )
    assert set(districts) == {region.id for region in regions}
    assert all(4 <= count <= 7 for count in districts.values())
    areas = db.session.scalars(select(Area).where(Area.mission_id == mission.id)).all()
    for area in areas:
        assert area.boundary["type"] == "Polygon", area.code
        exterior = area.boundary["coordinates"][0]
        assert exterior[0] == exterior[-1] and len(exterior) >= 4
        assert signed_area(exterior) > 0, "exterior ring must be counter-clockwise"
        assert all(3 <= lon <= 9 and 6 <= lat <= 12 for lon, lat in exterior)
    # Neighbouring regions share border points exactly (the regions tile the country).
    points = [{tuple(p) for p in r.boundary["coordinates"][0]} for r in regions]
    for index, own in enumerate(points):
        shared = [len(own & other) for i, other in enumerate(points) if i != index]
        assert max(shared) >= 3, regions[index].code


def test_every_station_lies_inside_its_district_and_region(demo, db):
    _, mission, _ = demo
    district, region = aliased(Area), aliased(Area)
    rows = db.session.execute(
        select(PollingStation, district.boundary, region.boundary, region.code)
        .join(district, PollingStation.area_id == district.id)
        .join(region, district.parent_id == region.id)
        .where(PollingStation.mission_id == mission.id)
    ).all()
    assert len(rows) > 2000
    for station, district_boundary, region_boundary, region_code in rows:
        assert station.latitude is not None and station.longitude is not None
        assert inside(region_boundary, station.longitude, station.latitude), station.code
        assert inside(district_boundary, station.longitude, station.latitude), station.code
        assert re.fullmatch(r"R\d\d-D\d\d-\d{4}", station.code)
        assert station.code.startswith(region_code + "-")
        assert 150 <= station.registered_voters <= 750
        assert station.name.startswith(station.polling_centre)
    stations = [row[0] for row in rows]
    per_centre = Counter((s.area_id, s.polling_centre) for s in stations)
    assert max(per_centre.values()) >= 4, "towns have centres with several stations"
    assert len(per_centre) < len(stations) * 0.7
    voters = sorted(s.registered_voters for s in stations)
    assert 350 < voters[len(voters) // 2] < 550  # a plausible median, not a flat spread
    assert len({s.name for s in stations}) == len(stations)


def test_roster(demo, db):
    _, mission, _ = demo
    observers = db.session.scalars(select(Observer).where(Observer.mission_id == mission.id)).all()
    roles = Counter(o.role for o in observers)
    assert roles[ObserverRole.STO] >= 120
    assert roles[ObserverRole.LTO] >= 20
    assert roles[ObserverRole.CORE] >= 6
    assert roles[ObserverRole.DRIVER] >= 20 and roles[ObserverRole.INTERPRETER] >= 10
    stos = [o for o in observers if o.role == ObserverRole.STO]
    assert len({o.nationality for o in stos}) >= 2
    assert {o.gender.value for o in stos} == {"female", "male"}
    women = sum(o.gender.value == "female" for o in stos)
    assert 0.4 <= women / len(stos) <= 0.6
    first_timers = sum(o.previous_missions == 0 for o in observers) / len(observers)
    assert 0.15 <= first_timers <= 0.45
    assert max(o.previous_missions for o in observers) <= 12
    assert all("en" in o.languages for o in observers if o.role != ObserverRole.DRIVER)
    assert all(o.email and o.phone for o in observers)


def test_one_login_per_role(demo, db):
    result, mission, _ = demo
    assert {role for _, _, role in result.logins} == {role.value for role in Role}
    for username, password, role in result.logins:
        assert len(password) >= 10
        user = authenticate(username, password)
        assert user is not None and user.role.value == role
        assert [m.mission_id for m in user.memberships] == [mission.id]
    observer = db.session.scalar(select(User).where(User.username == "observer"))
    lto = db.session.scalar(select(User).where(User.username == "lto"))
    assert observer.observer.role == ObserverRole.STO
    assert lto.observer.role == ObserverRole.LTO
    assert observer.observer.mission_id == lto.observer.mission_id == mission.id


def _snapshot(db) -> dict:
    counts = {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Mission, Area, PollingStation, Observer, User, Membership, AuditEntry)
    }
    stations = db.session.execute(
        select(
            PollingStation.code,
            PollingStation.name,
            PollingStation.registered_voters,
            PollingStation.latitude,
            PollingStation.longitude,
        ).order_by(PollingStation.code)
    ).all()
    boundaries = db.session.execute(select(Area.path, Area.boundary).order_by(Area.path)).all()
    return {"counts": counts, "stations": stations, "boundaries": boundaries}


def test_second_run_changes_nothing(demo, db):
    before = _snapshot(db)
    lines: list[str] = []
    result = build_demo(echo=lines.append)
    db.session.commit()
    assert result == demo[0]
    assert _snapshot(db) == before  # not even an audit entry
    assert sum("all unchanged" in line for line in lines) == 2, lines  # stations, observers
    assert any(line.startswith("Boundaries: 0 set") for line in lines), lines
    assert any(line.startswith("Users: 0 created") for line in lines), lines


def test_existing_user_keeps_its_password_and_joins_the_mission(app, db):
    create_user("admin", "my-own-secret-99", Role.ADMIN)
    db.session.commit()
    build_demo(echo=lambda line: None)
    db.session.commit()
    admin = authenticate("admin", "my-own-secret-99")
    assert admin is not None
    assert authenticate("admin", "demo-admin-2027") is None
    assert [m.mission.slug for m in admin.memberships] == ["demo"]


def test_country_is_deterministic():
    first, second = build_country(), build_country()
    assert first.stations == second.stations
    assert [r.geometry() for r in first.regions] == [r.geometry() for r in second.regions]


def test_demo_pairs_teams_and_publishes_a_route_for_the_demo_observer(demo_mission, db):
    from observer_suite.deployment.plan_sheets import my_route
    from observer_suite.models import DeploymentPlan, Team, User

    mission = demo_mission
    teams = db.session.query(Team).filter_by(mission_id=mission.id, kind="sto").all()
    assert len(teams) == 60
    assert all(t.base_latitude is not None and len(t.members) == 2 for t in teams)
    plan = db.session.query(DeploymentPlan).filter_by(status="published").one()
    assert len(plan.stops) >= 500
    observer = db.session.query(User).filter_by(username="observer").one()
    route = my_route(observer, mission)
    assert route is not None and route[0].id == plan.id and len(route[1].rows) >= 5
    build_demo(echo=lambda *_: None)  # idempotent: no second plan, no new teams
    db.session.commit()
    assert db.session.query(DeploymentPlan).count() == 1
    assert db.session.query(Team).count() == 60


def test_demo_incidents_lie_on_published_routes_and_are_added_once(demo_mission, db):
    from observer_suite.models import Incident, PlanStop

    incidents = db.session.scalars(select(Incident)).all()
    assert len(incidents) == 60
    routed = set(db.session.execute(select(PlanStop.team_id, PlanStop.station_id)).all())
    assert all((i.team_id, i.station_id) in routed for i in incidents)
    assert {i.severity.value for i in incidents} == {"low", "medium", "high", "critical"}
    assert all(i.history and i.history[0].new_status == "reported" for i in incidents)
    lines: list[str] = []
    build_demo(echo=lines.append)
    db.session.commit()
    assert db.session.query(Incident).count() == 60
    assert "Incidents: 60 exist" in lines
