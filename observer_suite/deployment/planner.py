"""Purposive deployment plan: which team visits which stations, in what order, at what time.

Three solver steps over plain data (no database):
1. coverage targets per region (largest remainder over voters/stations, capped at reach);
2. OR-Tools min-cost flow: assign stations to teams (capacity, radius, site limit, targets);
3. OR-Tools routing per team: order the stations as an open path from the base, then let the
   solver swap in unassigned stations nearby when that shortens the day (same regional mix).
Timing, locked routes and problem reporting are shared with the other planners.
"""

import time
from collections import Counter

import numpy as np

from . import plan_flow
from .plan_common import PlanInput, finish, prepare
from .plan_routing import order_stations, select_and_order
from .travel import TravelModel
from .types import PlanOptions, PlanResult, StationPoint, TeamBase

# The refining step offers each team this many stations nobody took, nearest sites first.
REFINE_EXTRA_STATIONS = 20
SOLVER = "ortools min-cost flow + routing (guided local search)"


def plan_purposive(
    stations: list[StationPoint],
    teams: list[TeamBase],
    options: PlanOptions,
    travel: TravelModel | None = None,
) -> PlanResult:
    started = time.perf_counter()
    inp = prepare(stations, teams, options, travel)
    per_site = max(1, options.max_stations_per_site)
    cands = plan_flow.candidates(inp, capacity=max(0, options.stations_per_team))
    targets = _targets(inp, cands, per_site)
    regions = sorted({s.region for s in inp.stations})
    region_of = {r: g for g, r in enumerate(regions)}
    groups = [region_of[s.region] for s in inp.available]
    locked = _locked_counts(inp)
    caps = None
    if targets is not None:
        caps = {region_of[r]: max(0, t - locked.get(r, 0)) for r, t in targets.items()}
    assigned = plan_flow.assign(cands, len(inp.available), per_site, groups, caps)

    owner = np.full(len(inp.available), -1, dtype=int)
    for t, cand in enumerate(cands):
        owner[assigned[cand.team_id]] = t
    per_team_s = options.time_limit_s / max(1, len(cands))
    planned: dict[int, list[int]] = {}
    for t, cand in enumerate(cands):
        order = _route(inp, t, cand, owner, groups, per_site, per_team_s)
        planned[cand.team_id] = [inp.available[i].id for i in order]

    result = finish(inp, planned, solver=SOLVER)
    if targets is not None:
        _report_targets(inp, result, targets)
    result.seconds = time.perf_counter() - started
    return result


def _locked_counts(inp: PlanInput) -> Counter:
    return Counter(
        inp.by_id[sid].region for team in inp.teams for sid in team.locked_route if sid in inp.by_id
    )


def _targets(inp: PlanInput, cands, per_site: int) -> dict[str, int] | None:
    """Stations each region should get in the whole plan (locked routes included)."""
    weights, note = plan_flow.region_weights(inp.stations, inp.options.region_weighting)
    if not weights:
        return None
    if note:
        inp.problems.append(note)
    locked = _locked_counts(inp)
    n = len(inp.available)
    total = plan_flow.max_assignable(cands, n, per_site) + sum(locked.values())
    reach = {}
    for region in sorted(weights):
        keep = np.array([s.region == region for s in inp.available], dtype=bool)
        free = plan_flow.max_assignable(cands, n, per_site, keep) if keep.any() else 0
        reach[region] = free + locked.get(region, 0)
    share = plan_flow.largest_remainder(total, weights)
    for region in sorted(weights):
        if share[region] > reach[region]:
            inp.problems.append(
                f"region {region}: its share is {share[region]} stations but the teams can "
                f"reach only {reach[region]} there"
            )
    return plan_flow.apportion(total, weights, reach)


def _report_targets(inp: PlanInput, result: PlanResult, targets: dict[str, int]) -> None:
    planned = Counter(
        inp.by_id[stop.station_id].region
        for route in result.routes.values()
        for stop in route.stops
        if stop.station_id in inp.by_id
    )
    for region in sorted(targets):
        if planned[region] < targets[region]:
            result.problems.append(
                f"region {region}: {planned[region]} stations planned, target {targets[region]}"
            )


def _route(inp: PlanInput, t: int, cand, owner, groups, per_site: int, limit_s: float):
    """Order team t's stations, then let the solver trade them for closer free ones."""
    mine = [i for _, _, members in cand.sites for i in members if owner[i] == t]
    if not mine:
        return []
    base = (inp.free_teams[t].lat, inp.free_teams[t].lon)
    order = [mine[j - 1] for j in order_stations(_metres(inp, base, mine), limit_s / 2)]
    regions = Counter(groups[i] for i in mine)
    extra: list[int] = []
    for _, _, members in cand.sites:
        if len(extra) >= REFINE_EXTRA_STATIONS:
            break
        room = per_site - sum(1 for i in members if owner[i] == t)
        free = [i for i in members if owner[i] == -1 and groups[i] in regions]
        extra.extend(free[: min(room, REFINE_EXTRA_STATIONS - len(extra))])
    if not extra:
        return order
    pool = order + extra
    chosen = select_and_order(
        _metres(inp, base, pool),
        [groups[i] for i in pool],
        dict(regions),
        list(range(1, len(order) + 1)),
        limit_s / 2,
    )
    new = [pool[j - 1] for j in chosen]
    owner[order] = -1
    owner[new] = t
    return new


def _metres(inp: PlanInput, base, indices: list[int]) -> np.ndarray:
    points = [base] + [inp.point(i) for i in indices]
    return np.rint(inp.travel.matrix_km(points, points) * 1000).astype(np.int64)
