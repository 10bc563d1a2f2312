"""The purposive planner on the real Nigeria polling units: every hard rule holds."""

import csv
import math
import random
from dataclasses import replace
from pathlib import Path

import pytest

from observer_suite.deployment.planner import plan_purposive
from observer_suite.deployment.types import PlanOptions, StationPoint, TeamBase

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ng-polling-units.csv"
OPTIONS = PlanOptions(
    stations_per_team=8, min_stations_per_team=3, max_radius_km=40, time_limit_s=6, seed=3
)


def _km(a, b) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def ebonyi() -> list[StationPoint]:
    if not DATA.exists():
        pytest.skip("shared/data/ng-polling-units.csv is not beside the repository")
    points = []
    with DATA.open(encoding="utf-8") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            if row["state_code"] != "11":
                continue
            lat = float(row["latitude"]) if row["latitude"] else None
            lon = float(row["longitude"]) if row["longitude"] else None
            points.append(
                StationPoint(
                    id=i,
                    code=row["polling_unit_code"],
                    name=row["polling_unit"],
                    lat=lat,
                    lon=lon,
                    region=row["lga_code"],
                    area_name=row["ward"],
                    site=f"{lat:.5f},{lon:.5f}" if lat is not None else row["polling_unit_code"],
                )
            )
    return points


@pytest.fixture(scope="module")
def teams(ebonyi) -> list[TeamBase]:
    rng = random.Random(11)
    located = [s for s in ebonyi if s.lat is not None and 5.5 < s.lat < 7 and 7.5 < s.lon < 8.5]
    return [
        TeamBase(id=100 + t, code=f"T{t:02d}", lat=s.lat, lon=s.lon)
        for t, s in enumerate(rng.sample(located, 15))
    ]


@pytest.fixture(scope="module")
def plan(ebonyi, teams):
    return plan_purposive(ebonyi, teams, OPTIONS)


def test_hard_rules_hold(ebonyi, teams, plan):
    by_id = {s.id: s for s in ebonyi}
    base = {t.id: (t.lat, t.lon) for t in teams}
    planned = [stop.station_id for route in plan.routes.values() for stop in route.stops]
    assert len(planned) == len(set(planned)), "a station planned twice"
    assert len(planned) >= 0.8 * OPTIONS.stations_per_team * len(teams)
    for team_id, route in plan.routes.items():
        stops = route.stops
        assert len(stops) <= OPTIONS.stations_per_team
        if len(stops) < OPTIONS.min_stations_per_team:
            assert any(p.startswith(f"team T{team_id - 100:02d}") for p in plan.problems)
        if len(stops) >= 2:
            assert stops[0].kind == "opening" and stops[-1].kind == "closing"
            assert all(s.kind == "visit" for s in stops[1:-1])
        assert [s.position for s in stops] == list(range(1, len(stops) + 1))
        arrivals = [s.arrival for s in stops]
        assert arrivals == sorted(arrivals) and arrivals[-1] <= OPTIONS.closing_time
        sites = [by_id[s.station_id].site for s in stops]
        assert len(sites) == len(set(sites)), "two stations of one site for one team"
        for stop in stops:
            station = by_id[stop.station_id]
            assert _km(base[team_id], (station.lat, station.lon)) <= OPTIONS.max_radius_km + 1e-6


def test_what_cannot_be_planned_is_reported(ebonyi, teams, plan):
    assert any("coordinates" in p for p in plan.problems)  # 223 Ebonyi units have none
    far = TeamBase(id=999, code="SEA", lat=3.0, lon=5.0)  # in the Gulf of Guinea
    none = TeamBase(id=998, code="NOBASE", lat=None, lon=None)
    result = plan_purposive(ebonyi, [*teams[:3], far, none], replace(OPTIONS, time_limit_s=3))
    assert not result.routes.get(999) or not result.routes[999].stops
    assert any("SEA" in p for p in result.problems)
    assert any("NOBASE" in p for p in result.problems)


def test_same_seed_same_plan(ebonyi, teams, plan):
    again = plan_purposive(ebonyi, teams, OPTIONS)
    first = {t: [s.station_id for s in r.stops] for t, r in plan.routes.items()}
    second = {t: [s.station_id for s in r.stops] for t, r in again.routes.items()}
    assert first == second


def test_locked_route_is_kept(ebonyi, teams, plan):
    team = teams[0]
    kept = tuple(s.station_id for s in plan.routes[team.id].stops)
    locked = [replace(team, locked_route=kept), *teams[1:]]
    result = plan_purposive(ebonyi, locked, replace(OPTIONS, seed=9))
    assert tuple(s.station_id for s in result.routes[team.id].stops) == kept
    others = {s.station_id for t, r in result.routes.items() if t != team.id for s in r.stops}
    assert not others & set(kept)
