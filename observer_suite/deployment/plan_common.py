"""Steps every planner shares: clean the input, time the day, report what could not be met.

Why shared: the solver plan, the greedy baseline and the sample plan must obey exactly the same
hard rules and word their problems the same way, or comparing them means nothing.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import numpy as np

from observer_suite.deployment.travel import known_point

from .travel import Point, StraightLineTravel, TravelModel, haversine_matrix
from .types import PlanOptions, PlanResult, StationPoint, Stop, TeamBase, TeamRoute

LISTED_CODES = 10  # how many station codes a problem line names before "…"


def has_coords(lat: float | None, lon: float | None) -> bool:
    if lat is None or lon is None:
        return False
    return math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180


def site_key(station: StationPoint) -> str:
    """Stations at one address are one place; without a site, the coordinates are the site."""
    return station.site or f"{station.lat:.5f},{station.lon:.5f}"


def name_codes(stations: list[StationPoint]) -> str:
    codes = [s.code or str(s.id) for s in stations[:LISTED_CODES]]
    return ", ".join(codes) + (" …" if len(stations) > LISTED_CODES else "")


def team_label(team: TeamBase) -> str:
    return f"team {team.code or team.id}"


@dataclass
class PlanInput:
    """The cleaned, sorted input plus what each plannable team can reach."""

    options: PlanOptions
    travel: TravelModel
    stations: list[StationPoint]  # sorted by id, unique ids
    by_id: dict[int, StationPoint]
    teams: list[TeamBase]  # sorted by id
    free_teams: list[TeamBase]  # with base coordinates and no locked route: to be planned
    available: list[StationPoint]  # with coordinates and on no locked route
    sites: list[str]  # site key of each available station
    # team id -> (indices into `available` within the radius, their straight-line km), nearest first
    reach: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    team_problems: dict[int, list[str]] = field(default_factory=dict)

    def note(self, team: TeamBase | None, text: str) -> None:
        self.problems.append(text)
        if team is not None:
            self.team_problems.setdefault(team.id, []).append(text)

    def point(self, index: int) -> Point:
        s = self.available[index]
        return known_point(s.lat, s.lon)


def prepare(
    stations: list[StationPoint],
    teams: list[TeamBase],
    options: PlanOptions,
    travel: TravelModel | None,
) -> PlanInput:
    travel = travel or StraightLineTravel(options.road_factor, options.speed_kmh)
    problems: list[str] = []
    by_id: dict[int, StationPoint] = {}
    for s in sorted(stations, key=lambda s: s.id):
        if s.id in by_id:
            problems.append(f"station id {s.id} appears twice; the second copy is ignored")
            continue
        by_id[s.id] = s
    ordered = list(by_id.values())
    inp = PlanInput(options, travel, ordered, by_id, sorted(teams, key=lambda t: t.id), [], [], [])
    inp.problems.extend(problems)

    no_coords = [s for s in ordered if not has_coords(s.lat, s.lon)]
    if no_coords:
        inp.note(
            None,
            f"{len(no_coords)} stations have no coordinates and cannot be planned: "
            f"{name_codes(no_coords)}",
        )
    locked_owner: dict[int, TeamBase] = {}
    for team in inp.teams:
        for sid in team.locked_route:
            if sid in locked_owner:
                inp.note(
                    team,
                    f"{team_label(team)}: station {sid} is also on the locked route of "
                    f"{team_label(locked_owner[sid])}",
                )
            locked_owner.setdefault(sid, team)
        if team.locked_route:
            continue
        if not has_coords(team.lat, team.lon):
            inp.note(team, f"{team_label(team)}: no base coordinates; no route planned")
            continue
        inp.free_teams.append(team)

    inp.available = [s for s in ordered if has_coords(s.lat, s.lon) and s.id not in locked_owner]
    inp.sites = [site_key(s) for s in inp.available]
    empty = (np.zeros(0, dtype=int), np.zeros(0))
    inp.reach = {team.id: empty for team in inp.free_teams}
    if inp.available and inp.free_teams:
        coords = [known_point(s.lat, s.lon) for s in inp.available]
        bases = [known_point(t.lat, t.lon) for t in inp.free_teams]
        for team, row in zip(inp.free_teams, _rows(bases, coords), strict=True):
            idx = np.flatnonzero(row <= options.max_radius_km)
            idx = idx[np.argsort(row[idx], kind="stable")]
            inp.reach[team.id] = (idx, row[idx])
    return inp


def _rows(bases: list[Point], coords: list[Point], chunk: int = 64):
    """Distance rows base by base, a chunk at a time, so memory stays bounded."""
    for start in range(0, len(bases), chunk):
        yield from haversine_matrix(bases[start : start + chunk], coords)


def report_unreachable(inp: PlanInput) -> list[int]:
    """Stations with coordinates that no planned team can reach; one summary line."""
    reached = np.zeros(len(inp.available), dtype=bool)
    for idx, _ in inp.reach.values():
        reached[idx] = True
    missing = [inp.available[i] for i in np.flatnonzero(~reached)]
    if missing and not inp.free_teams:
        inp.note(
            None,
            f"no team is free to take stations (each is locked or lacks base coordinates); "
            f"{len(missing)} stations stay unplanned",
        )
    elif missing:
        inp.note(
            None,
            f"{len(missing)} stations are more than {inp.options.max_radius_km:g} km from every "
            f"team base and cannot be planned: {name_codes(missing)}",
        )
    return [s.id for s in missing]


def _clock(minutes: float) -> time | None:
    if minutes < 0 or minutes >= 24 * 60:
        return None
    return (datetime(2000, 1, 1) + timedelta(minutes=round(minutes))).time()


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def schedule(
    team: TeamBase,
    route: list[StationPoint],
    options: PlanOptions,
    travel: TravelModel,
    can_drop: bool,
) -> tuple[TeamRoute, list[StationPoint], list[str]]:
    """Stops with arrival times; drops middle visits from the end while the day is too short.

    Returns the route, the dropped stations and the problems found.
    """
    route = list(route)
    dropped: list[StationPoint] = []
    while True:
        stops, late = _timed_stops(team, route, options, travel)
        if not late or not can_drop or len(route) <= 2:
            break
        dropped.insert(0, route.pop(-2))
    problems = []
    label = team_label(team)
    if dropped:
        problems.append(
            f"{label}: the day is too short; dropped {len(dropped)} visits: {name_codes(dropped)}"
        )
    if late:
        problems.append(f"{label}: reaches its closing station after {options.closing_time:%H:%M}")
    missing = [s for s in route if not has_coords(s.lat, s.lon)]
    if missing:
        problems.append(
            f"{label}: route stations without coordinates (travel unknown): {name_codes(missing)}"
        )
    travel_km = round(sum(stop.travel_km for stop in stops), 3)
    return TeamRoute(team.id, stops, travel_km, problems), dropped, problems


def _timed_stops(team, route, options, travel) -> tuple[list[Stop], bool]:
    prev: Point | None = (team.lat, team.lon) if has_coords(team.lat, team.lon) else None
    clock = float(_minutes(options.opening_time) - options.arrive_before_opening_min)
    stops: list[Stop] = []
    for position, station in enumerate(route, start=1):
        here = (station.lat, station.lon) if has_coords(station.lat, station.lon) else None
        km = minutes = 0.0
        if prev is not None and here is not None:
            km, minutes = travel.km(prev, here), travel.minutes(prev, here)
        if position > 1:
            clock += minutes
        if position == len(route) and position > 1:
            kind = "closing"
        else:
            kind = "opening" if position == 1 else "visit"
        stops.append(Stop(station.id, position, kind, _clock(clock), round(km, 3)))
        if position == 1:
            clock = max(clock, float(_minutes(options.opening_time))) + options.visit_minutes
        else:
            clock += options.visit_minutes
        prev = here or prev
    last_arrival = clock - options.visit_minutes if route else 0.0
    late = bool(route) and last_arrival > _minutes(options.closing_time)
    return stops, late


def finish(
    inp: PlanInput,
    planned: dict[int, list[int]],
    solver: str,
    unreachable: list[int] | None = None,
) -> PlanResult:
    """Time every route, then gather per-team and plan-wide problems into one PlanResult."""
    opts = inp.options
    if unreachable is None:
        unreachable = report_unreachable(inp)
    routes: dict[int, TeamRoute] = {}
    for team in inp.teams:
        if team.locked_route:
            stations = [
                inp.by_id.get(sid) or StationPoint(sid, str(sid), "", None, None, "", "")
                for sid in team.locked_route
            ]
            unknown = [sid for sid in team.locked_route if sid not in inp.by_id]
            if unknown:
                inp.note(team, f"{team_label(team)}: locked route has unknown stations {unknown}")
            route, _, problems = schedule(team, stations, opts, inp.travel, can_drop=False)
        elif team.id in planned:
            stations = [inp.by_id[sid] for sid in planned[team.id]]
            route, _, problems = schedule(team, stations, opts, inp.travel, can_drop=True)
            n = len(route.stops)
            if n < opts.min_stations_per_team:
                in_reach = len(inp.reach.get(team.id, ((),))[0])
                problems.append(
                    f"{team_label(team)}: only {n} station{'' if n == 1 else 's'} within "
                    f"{opts.max_radius_km:g} km of its base"
                    + ("; the others there go to other teams" if in_reach > n else "")
                )
        else:
            route, problems = TeamRoute(team.id), []
        for text in problems:
            inp.note(team, text)
        route.problems = list(inp.team_problems.get(team.id, []))
        routes[team.id] = route
    return PlanResult(
        routes=routes,
        unreachable_station_ids=unreachable,
        problems=inp.problems,
        solver=solver,
    )
