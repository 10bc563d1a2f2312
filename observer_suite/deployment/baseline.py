"""Greedy nearest-station baseline, kept to measure what the solver-based planner gains.

Teams in id order; each repeatedly takes the nearest unplanned station (by road km from where
it stands) among those within the radius of its base, respecting the per-site limit. Same hard
rules and problem reporting as `plan_purposive`, no coverage targets.
"""

import time

import numpy as np

from observer_suite.deployment.travel import known_point

from .plan_common import finish, prepare
from .travel import TravelModel
from .types import PlanOptions, PlanResult, StationPoint, TeamBase


def plan_greedy(
    stations: list[StationPoint],
    teams: list[TeamBase],
    options: PlanOptions,
    travel: TravelModel | None = None,
) -> PlanResult:
    started = time.perf_counter()
    inp = prepare(stations, teams, options, travel)
    used = np.zeros(len(inp.available), dtype=bool)
    planned: dict[int, list[int]] = {}
    for team in inp.free_teams:
        idx, _ = inp.reach[team.id]
        points = [inp.point(i) for i in idx]
        per_site: dict[str, int] = {}
        here = known_point(team.lat, team.lon)
        route: list[int] = []
        while len(route) < options.stations_per_team and len(idx):
            open_ = np.array(
                [
                    not used[i] and per_site.get(inp.sites[i], 0) < options.max_stations_per_site
                    for i in idx
                ],
                dtype=bool,
            )
            if not open_.any():
                break
            km = inp.travel.matrix_km([here], points)[0]
            km[~open_] = np.inf
            best = int(np.argmin(km))  # first minimum: ties go to the nearer-to-base station
            i = int(idx[best])
            used[i] = True
            per_site[inp.sites[i]] = per_site.get(inp.sites[i], 0) + 1
            route.append(inp.available[i].id)
            here = points[best]
        planned[team.id] = route
    result = finish(inp, planned, solver="greedy nearest station")
    result.seconds = time.perf_counter() - started
    return result
