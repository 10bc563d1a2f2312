"""Purposive deployment plan: which team visits which stations, in what order, at what time.

Solver steps over plain data (no database):
0. coverage targets per region (largest remainder over voters/stations, capped at what the
   teams can reach: a max flow per region), then a team-by-region min-cost flow that says how
   many stations each team should take in which region;
1. teams in order, OR-Tools routing chooses each team's best day (k stations among the free
   ones at its nearest sites, within its regional quota) as an open path from its base;
2. an OR-Tools min-cost flow over all teams (capacity, radius, site limit, no station twice,
   region targets) keeps those choices where it can while it tops up teams left short;
3. teams whose stations the flow changed are routed again.
Why not one big model: a routing model with 150 vehicles and thousands of optional stations
does not fit a minute; per-team models do, and the flows keep the plan globally feasible.
Timing, locked routes and problem reporting are shared with the other planners.
"""

import time
from collections import Counter

import numpy as np

from . import plan_flow
from .plan_common import PlanInput, finish, prepare
from .plan_routing import select_and_order, starts_for
from .travel import TravelModel
from .types import PlanOptions, PlanResult, StationPoint, TeamBase

# The routing step lets each team choose among its nearest this many sites.
POOL_SITES = 40
SOLVER = "ortools min-cost flow + routing (multi-start local search)"


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
    region_of = {r: g for g, r in enumerate(sorted({s.region for s in inp.stations}))}
    groups = [region_of[s.region] for s in inp.available]
    caps = None
    if targets is not None:
        locked = _locked_counts(inp)
        caps = {region_of[r]: max(0, t - locked.get(r, 0)) for r, t in targets.items()}
    budget = options.time_limit_s / max(1, len(cands))
    # Pass 1: teams in order, each choosing its best day among the stations still free, with
    # as many stations per region as the region targets ask of it.
    if caps is None:
        quotas = [dict.fromkeys(region_of.values(), c.capacity) for c in cands]
    else:
        quotas = plan_flow.region_quotas(cands, groups, caps, per_site)
    used = np.zeros(len(inp.available), dtype=bool)
    first: list[list[int]] = [[] for _ in cands]
    for t, (team, cand) in enumerate(zip(inp.free_teams, cands, strict=True)):
        order = _first_choice(inp, team, cand, used, groups, quotas[t], per_site, budget / 2)
        used[order] = True
        first[t] = order
    # Pass 2: the flow keeps those choices where it can (priced by what adding or dropping a
    # site does to the chosen path) while it tops up short teams and meets region targets.
    preferred = [
        _prefer(inp, team, cand, order)
        for team, cand, order in zip(inp.free_teams, cands, first, strict=True)
    ]
    assigned = plan_flow.assign(preferred, len(inp.available), per_site, groups, caps)
    owner = np.full(len(inp.available), -1, dtype=int)
    for t, cand in enumerate(cands):
        owner[assigned[cand.team_id]] = t
    # Pass 3: teams whose stations the flow changed are routed again around their new set.
    planned: dict[int, list[int]] = {}
    for t, cand in enumerate(cands):
        mine = assigned[cand.team_id]
        if _sites(inp, mine) == _sites(inp, first[t]):
            order = _in_order(inp, mine, first[t])
        else:
            order = _route(inp, t, cand, owner, groups, per_site, budget / 2)
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


def _route(inp: PlanInput, t: int, cand, owner, groups, per_site: int, budget_s: float):
    """Team t's day: the solver picks and orders its stations among its nearest sites.

    Any station of the team's nearest POOL_SITES sites that no other team holds may replace
    one of its assigned stations, region for region; the assigned set is one of the starting
    paths, so the answer is never longer than routing the flow's choice.
    """
    mine = [i for _, _, members in cand.sites for i in members if owner[i] == t]
    if not mine:
        return []
    regions = Counter(groups[i] for i in mine)
    extra = set(_pool(cand, owner == -1, groups, regions, per_site, owner == t)) - set(mine)
    pool = mine + sorted(extra)
    team = inp.free_teams[t]
    dist = _metres(inp, (team.lat, team.lon), pool)
    chosen = select_and_order(
        dist,
        [groups[i] for i in pool],
        dict(regions),
        [list(range(1, len(mine) + 1))],
        budget_s,
        n_starts=starts_for(budget_s),
    )
    new = [pool[j - 1] for j in chosen]
    owner[mine] = -1
    owner[new] = t
    return new


def _pool(cand, usable, groups, wanted, per_site: int, own=None) -> list[int]:
    """Usable stations at the team's nearest POOL_SITES sites of each wanted region, at most
    per_site a site; stations in `own` come first at their site and always count."""
    seen: Counter = Counter()
    pool: list[int] = []
    for _, _, members in cand.sites:
        mine = [i for i in members if own is not None and own[i]]
        take = mine + [
            i for i in members if usable[i] and groups[i] in wanted and seen[groups[i]] < POOL_SITES
        ]
        take = take[: max(per_site, len(mine))]
        for g in sorted({groups[i] for i in take}):
            seen[g] += 1
        pool.extend(take)
    return pool


def _first_choice(inp: PlanInput, team, cand, used, groups, quota, per_site, budget_s):
    """Best stations among the free ones at the team's nearest sites, within its regional
    quota (at most k in all), in visiting order."""
    wanted = {g: n for g, n in quota.items() if n > 0}
    if not wanted or cand.capacity <= 0:
        return []
    pool = _pool(cand, ~used, groups, wanted, per_site)
    if not pool:
        return []
    share = Counter(groups[i] for i in pool)
    caps = {g: min(n, share[g]) for g, n in wanted.items() if share[g]}
    total = min(cand.capacity, sum(caps.values()))
    dist = _metres(inp, (team.lat, team.lon), pool)
    group_of = [groups[i] for i in pool]
    n_starts = starts_for(budget_s)
    chosen = select_and_order(dist, group_of, caps, [], budget_s, n_starts, total=total)
    return [pool[j - 1] for j in chosen]


def _prefer(inp: PlanInput, team, cand, chosen: list[int]) -> plan_flow.TeamCandidates:
    """The team's candidates priced by what they do to its chosen path.

    A chosen site costs a constant less what dropping it saves, any other site the constant
    plus its cheapest insertion into the path; so trading one for the other costs the flow
    about what it costs the team on the road.
    """
    ceiling = int(4000 * inp.options.max_radius_km * inp.options.road_factor) + 1
    path = [(team.lat, team.lon)] + [inp.point(i) for i in chosen]
    km = inp.travel.matrix_km(path, path)
    legs = np.array([km[j, j + 1] for j in range(len(path) - 1)])
    saving: dict[str, float] = {}
    for j, i in enumerate(chosen, start=1):
        gain = km[j - 1, j] + (km[j, j + 1] - km[j - 1, j + 1] if j + 1 < len(path) else 0.0)
        site = inp.sites[i]
        saving[site] = min(saving.get(site, gain), gain)
    points = [inp.point(members[0]) for _, _, members in cand.sites]
    to_path = inp.travel.matrix_km(points, path)
    insert = to_path[:, -1]
    if len(path) > 1:
        between = to_path[:, :-1] + to_path[:, 1:] - legs[None, :]
        insert = np.minimum(insert, between.min(axis=1))
    sites = []
    for (site, _, members), extra in zip(cand.sites, insert, strict=True):
        if site in saving:
            cost = ceiling - min(round(saving[site] * 1000), ceiling - 1)
        else:
            cost = ceiling + round(extra * 1000)
        sites.append((site, cost, members))
    return plan_flow.TeamCandidates(cand.team_id, cand.capacity, sites)


def _sites(inp: PlanInput, indices: list[int]) -> Counter:
    return Counter(inp.sites[i] for i in indices)


def _in_order(inp: PlanInput, stations: list[int], path: list[int]) -> list[int]:
    """The assigned stations in the chosen path's order (same sites, maybe other stations)."""
    at_site: dict[str, list[int]] = {}
    for i in sorted(stations):
        at_site.setdefault(inp.sites[i], []).append(i)
    return [at_site[inp.sites[i]].pop(0) for i in path]


def _metres(inp: PlanInput, base, indices: list[int]) -> np.ndarray:
    points = [base] + [inp.point(i) for i in indices]
    return np.rint(inp.travel.matrix_km(points, points) * 1000).astype(np.int64)
