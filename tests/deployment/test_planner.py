"""Planner rules on the real Nigeria polling units (Ebonyi for speed), without an app.

Every hard rule is checked from the outside: distances are recomputed here with their own
haversine, times from the options, so the tests do not trust the planner's bookkeeping.
"""

import csv
import itertools
import random
from collections import Counter
from dataclasses import replace
from datetime import datetime, time, timedelta
from pathlib import Path

import numpy as np
import pytest

from observer_suite.deployment import plan_flow
from observer_suite.deployment.baseline import plan_greedy
from observer_suite.deployment.planner import plan_purposive
from observer_suite.deployment.travel import MatrixTravel, StraightLineTravel, haversine_km
from observer_suite.deployment.types import PlanOptions, PlanResult, StationPoint, TeamBase

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ng-polling-units.csv"
EBONYI = "11"
OPTIONS = PlanOptions(max_radius_km=40, time_limit_s=3, seed=5)


def load_nigeria(state: str | None = None, region_field: str = "state_code") -> list[StationPoint]:
    """The shared CSV as StationPoints: region = state code, site = rounded coordinates."""
    if not DATA.exists():
        pytest.skip(f"{DATA} is missing")
    points = []
    with DATA.open(newline="", encoding="utf-8") as f:
        for n, row in enumerate(csv.DictReader(f), start=1):
            if state and row["state_code"] != state:
                continue
            lat = float(row["latitude"]) if row["latitude"] else None
            lon = float(row["longitude"]) if row["longitude"] else None
            points.append(
                StationPoint(
                    id=n,
                    code=row["polling_unit_code"],
                    name=row["polling_unit"],
                    lat=lat,
                    lon=lon,
                    region=row[region_field],
                    area_name=row["ward"].strip(),
                    site=f"{lat:.5f},{lon:.5f}" if lat is not None and lon is not None else "",
                )
            )
    return points


def make_teams(stations: list[StationPoint], count: int, seed: int) -> list[TeamBase]:
    """Bases at the coordinates of seeded random stations (inside Ebonyi's bounding box)."""
    located = [s for s in stations if s.lat is not None and 5.5 < s.lat < 7 and 7.5 < s.lon < 8.6]
    picks = random.Random(seed).sample(located, count)
    return [
        TeamBase(id=100 + i, code=f"T{i:02d}", lat=s.lat, lon=s.lon) for i, s in enumerate(picks)
    ]


@pytest.fixture(scope="module")
def ebonyi() -> list[StationPoint]:
    return load_nigeria(EBONYI)


@pytest.fixture(scope="module")
def teams(ebonyi) -> list[TeamBase]:
    return make_teams(ebonyi, 30, seed=5)


@pytest.fixture(scope="module")
def plan(ebonyi, teams) -> PlanResult:
    return plan_purposive(ebonyi, teams, OPTIONS)


def routes_of(result: PlanResult) -> dict[int, list[int]]:
    return {t: [s.station_id for s in r.stops] for t, r in result.routes.items()}


def minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def assert_hard_rules(result: PlanResult, stations, teams, options: PlanOptions) -> None:
    by_id = {s.id: s for s in stations}
    base = {t.id: (t.lat, t.lon) for t in teams}
    planned = [sid for route in routes_of(result).values() for sid in route]
    assert len(planned) == len(set(planned)), "a station is planned for two teams"
    for team_id, route in result.routes.items():
        stops = route.stops
        assert len(stops) <= options.stations_per_team
        assert [s.position for s in stops] == list(range(1, len(stops) + 1))
        if stops:
            assert stops[0].kind == "opening"
            assert minutes(stops[0].arrival) == (
                minutes(options.opening_time) - options.arrive_before_opening_min
            )
        if len(stops) >= 2:
            assert stops[-1].kind == "closing"
            assert all(s.kind == "visit" for s in stops[1:-1])
            arrivals = [minutes(s.arrival) for s in stops]
            assert all(b > a for a, b in itertools.pairwise(arrivals))
            assert stops[-1].arrival <= options.closing_time
        sites = Counter(by_id[s.station_id].site for s in stops)
        assert max(sites.values(), default=0) <= options.max_stations_per_site
        for stop in stops:
            station = by_id[stop.station_id]
            distance = haversine_km(base[team_id], (station.lat, station.lon))
            assert distance <= options.max_radius_km + 1e-9
        assert route.travel_km == pytest.approx(sum(s.travel_km for s in stops), abs=1e-6)


def test_every_hard_rule_holds(ebonyi, teams, plan):
    assert_hard_rules(plan, ebonyi, teams, OPTIONS)
    planned = sum(len(r.stops) for r in plan.routes.values())
    assert planned == OPTIONS.stations_per_team * len(teams)  # Ebonyi is dense enough


def test_times_follow_the_travel_model(ebonyi, teams, plan):
    by_id = {s.id: s for s in ebonyi}
    travel = StraightLineTravel(OPTIONS.road_factor, OPTIONS.speed_kmh)
    team = teams[0]
    stops = plan.routes[team.id].stops
    where = (team.lat, team.lon)
    clock = datetime(2000, 1, 1, 7, 0) + timedelta(minutes=OPTIONS.visit_minutes)  # leaves 07:30
    for i, stop in enumerate(stops):
        here = (by_id[stop.station_id].lat, by_id[stop.station_id].lon)
        assert stop.travel_km == pytest.approx(travel.km(where, here), abs=1e-3)
        if i > 0:
            clock += timedelta(minutes=travel.minutes(where, here))
            assert abs(minutes(stop.arrival) - (clock.hour * 60 + clock.minute)) <= 1
            clock += timedelta(minutes=OPTIONS.visit_minutes)
        where = here


def test_same_seed_gives_the_identical_plan(ebonyi, teams, plan):
    again = plan_purposive(list(reversed(ebonyi)), list(reversed(teams)), OPTIONS)
    assert routes_of(again) == routes_of(plan)
    assert [r.stops for r in again.routes.values()] == [r.stops for r in plan.routes.values()]
    assert again.problems == plan.problems


def test_what_cannot_be_planned_is_reported(ebonyi, teams, plan):
    no_coords = [s for s in ebonyi if s.lat is None]
    assert no_coords and any(
        f"{len(no_coords)} stations have no coordinates" in p for p in plan.problems
    )
    assert plan.unreachable_station_ids  # Ebonyi has units geocoded to North America
    far = {s.id for s in ebonyi if s.lat is not None and s.lat > 20}
    assert far <= set(plan.unreachable_station_ids)
    assert any(
        f"{len(plan.unreachable_station_ids)} stations are more than" in p for p in plan.problems
    )

    sea = TeamBase(id=1, code="SEA", lat=3.0, lon=5.0)  # Gulf of Guinea
    nobase = TeamBase(id=2, code="NOBASE", lat=None, lon=None)
    result = plan_purposive(ebonyi, [sea, nobase, *teams[:3]], OPTIONS)
    assert result.routes[1].stops == [] and result.routes[2].stops == []
    assert "team SEA: only 0 stations within 40 km of its base" in result.problems
    assert any(p.startswith("team NOBASE: no base coordinates") for p in result.problems)
    assert result.routes[1].problems and result.routes[2].problems


def test_a_team_with_few_stations_in_reach_is_reported(ebonyi, teams):
    lonely = TeamBase(id=3, code="EDGE", lat=5.70, lon=7.60)  # just beyond Ebonyi's south-west
    options = replace(OPTIONS, max_radius_km=12)
    result = plan_purposive(ebonyi, [lonely], options)
    n = len(result.routes[3].stops)
    assert n < options.min_stations_per_team
    assert any(
        p.startswith(f"team EDGE: only {n} station") and "within 12 km" in p
        for p in result.problems
    )


def test_locked_route_is_kept_and_its_stations_taken(ebonyi, teams, plan):
    team = teams[0]
    kept = tuple(reversed(routes_of(plan)[team.id]))  # an order the solver would not choose
    locked = [replace(team, locked_route=kept), *teams[1:]]
    result = plan_purposive(ebonyi, locked, replace(OPTIONS, seed=9))
    stops = result.routes[team.id].stops
    assert tuple(s.station_id for s in stops) == kept
    assert stops[0].kind == "opening" and stops[-1].kind == "closing"
    assert stops[0].travel_km > 0  # travel recomputed from the base
    others = {sid for t, r in routes_of(result).items() if t != team.id for sid in r}
    assert not others & set(kept)


def test_a_short_day_drops_visits_and_says_so(ebonyi, teams):
    options = replace(OPTIONS, closing_time=time(10, 0))
    result = plan_purposive(ebonyi, teams[:4], options)
    assert_hard_rules(result, ebonyi, teams, options)
    assert all(len(r.stops) < options.stations_per_team for r in result.routes.values())
    assert any("the day is too short; dropped" in p for p in result.problems)


def test_region_targets_follow_the_stations(ebonyi, teams):
    """With LGAs as regions, each gets its station share of the plan, or a reported shortfall."""
    by_lga = load_nigeria(EBONYI, region_field="lga_code")
    options = replace(OPTIONS, region_weighting="stations")
    result = plan_purposive(by_lga, teams, options)
    assert_hard_rules(result, by_lga, teams, options)
    region = {s.id: s.region for s in by_lga}
    planned = Counter(region[sid] for route in routes_of(result).values() for sid in route)
    total = sum(planned.values())
    share = plan_flow.largest_remainder(total, Counter(s.region for s in by_lga))
    for lga, target in share.items():
        if planned[lga] < target:
            assert any(p.startswith(f"region {lga}:") for p in result.problems), lga
    assert sum(min(planned[r], share[r]) for r in share) >= 0.95 * total

    # Three teams cannot reach most LGAs: their shares are capped and the caps reported.
    few = plan_purposive(by_lga, teams[:3], replace(options, max_radius_km=15))
    assert any("its share is" in p and "can reach only" in p for p in few.problems)


def test_solver_beats_the_greedy_baseline_under_the_same_rules(ebonyi, teams, plan):
    greedy = plan_greedy(ebonyi, teams, OPTIONS)
    assert_hard_rules(greedy, ebonyi, teams, OPTIONS)
    assert sum(len(r.stops) for r in plan.routes.values()) >= sum(
        len(r.stops) for r in greedy.routes.values()
    )
    assert plan.travel_km < 0.9 * greedy.travel_km
    assert routes_of(plan_greedy(ebonyi, teams, OPTIONS)) == routes_of(greedy)


def test_two_stations_per_site_when_allowed(ebonyi, teams):
    options = replace(OPTIONS, max_stations_per_site=2)
    result = plan_purposive(ebonyi, teams[:6], options)
    assert_hard_rules(result, ebonyi, teams, options)


def test_apportionment_is_largest_remainder_capped_at_reach():
    assert plan_flow.largest_remainder(10, {"a": 5, "b": 3, "c": 2}) == {"a": 5, "b": 3, "c": 2}
    assert plan_flow.largest_remainder(7, {"a": 1, "b": 1, "c": 1}) == {"a": 3, "b": 2, "c": 2}
    assert plan_flow.apportion(10, {"a": 8, "b": 1, "c": 1}, {"a": 4, "b": 9, "c": 9}) == {
        "a": 4,
        "b": 3,
        "c": 3,
    }


def test_travel_models():
    assert haversine_km((0.0, 0.0), (1.0, 0.0)) == pytest.approx(111.195, abs=0.01)
    line = StraightLineTravel(road_factor=1.5, speed_kmh=30)
    a, b, c = (6.3, 8.1), (6.4, 8.0), (6.2, 8.2)
    assert line.km(a, b) == pytest.approx(1.5 * haversine_km(a, b))
    assert line.minutes(a, b) == pytest.approx(line.km(a, b) / 30 * 60)
    assert line.matrix_km([a, b], [b, c])[0, 0] == pytest.approx(line.km(a, b))

    km = np.array([[0, 5, 9], [6, 0, 4], [9, 4, 0]])
    matrix = MatrixTravel(["a", "b", "c"], km, km * 2, {"a": a, "b": b, "c": c}, fallback=line)
    assert matrix.km(a, b) == 5 and matrix.km(b, a) == 6 and matrix.minutes(b, c) == 8
    assert matrix.km_by_id("c", "a") == 9
    elsewhere = (6.0, 8.0)
    assert matrix.km(a, elsewhere) == pytest.approx(line.km(a, elsewhere))
    grid = matrix.matrix_km([a, elsewhere], [b, c])
    assert grid[0].tolist() == [5, 9] and grid[1, 0] == pytest.approx(line.km(elsewhere, b))


def test_planner_uses_a_plugged_in_matrix(ebonyi, teams):
    """A road matrix that puts one site 500 km from everything makes the planner avoid it."""
    team = teams[0]
    options = replace(OPTIONS, stations_per_team=5, max_radius_km=10)
    first = plan_purposive(ebonyi, [team], options)
    avoid = {s.site for s in ebonyi if s.id == routes_of(first)[team.id][1]}
    near = [
        s
        for s in ebonyi
        if s.lat is not None and haversine_km((team.lat, team.lon), (s.lat, s.lon)) <= 10
    ]
    coords = {s.id: (s.lat, s.lon) for s in near}
    line = StraightLineTravel(options.road_factor, options.speed_kmh)
    km = line.matrix_km(list(coords.values()), list(coords.values()))
    blocked = np.array([s.site in avoid for s in near])
    km[np.logical_xor.outer(blocked, blocked)] += 500
    matrix = MatrixTravel(list(coords), km, km / options.speed_kmh * 60, coords, fallback=line)
    second = plan_purposive(ebonyi, [team], options, travel=matrix)
    visited = {s.site for s in ebonyi if s.id in routes_of(second)[team.id]}
    assert len(routes_of(second)[team.id]) == 5 and not visited & avoid
