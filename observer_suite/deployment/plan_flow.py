"""Which team takes which stations: coverage targets and a min-cost flow over candidates.

Why a flow: "each team at most k stations, each station at most once, at most m per site per
team, about this many per region" is exactly a network with capacities, and OR-Tools solves it
to optimality in milliseconds. Costs are road metres from the base, so each team gets a compact
set near home; the routing step then orders (and locally improves) it.
"""

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from observer_suite.deployment.travel import known_point

from .plan_common import PlanInput
from .types import StationPoint

SOURCE, SINK = 0, 1
# Each team considers the stations of its nearest (this × k) sites; enough room to trade
# stations with neighbours, small enough to keep the network a few tens of thousands of arcs.
CANDIDATE_SITES_PER_SLOT = 6
MIN_CANDIDATE_SITES = 30


@dataclass
class TeamCandidates:
    team_id: int
    capacity: int
    # (site key, cost in metres, indices into PlanInput.available), nearest site first
    sites: list[tuple[str, int, list[int]]]


# Any: OR-Tools' stubs write ndarray[np.int32] (which is a shape, not a dtype), a type that no
# real array has.
def _nodes(values) -> Any:
    """Arc ends as OR-Tools' flow solvers take them (it would convert other integers)."""
    return np.array(values, dtype=np.int32)


def _amounts(values) -> Any:
    """Capacities and unit costs as OR-Tools' flow solvers take them."""
    return np.array(values, dtype=np.int64)


def candidates(inp: PlanInput, capacity: int, n_sites: int | None = None) -> list[TeamCandidates]:
    """Each free team's nearest sites within the radius, with road metres from its base."""
    k = inp.options.stations_per_team
    n_sites = n_sites or max(MIN_CANDIDATE_SITES, CANDIDATE_SITES_PER_SLOT * k)
    out = []
    for team in inp.free_teams:
        idx, _ = inp.reach[team.id]
        members: dict[str, list[int]] = {}
        for i in idx.tolist():
            site = inp.sites[i]
            if site not in members:
                if len(members) >= n_sites:
                    continue
                members[site] = []
            members[site].append(i)
        keys = list(members)
        points = [inp.point(members[key][0]) for key in keys]
        metres = (
            np.rint(
                inp.travel.matrix_km([known_point(team.lat, team.lon)], points)[0] * 1000
            ).astype(int)
            if points
            else []
        )
        sites = [(key, int(m), sorted(members[key])) for key, m in zip(keys, metres, strict=True)]
        out.append(TeamCandidates(team.id, capacity, sites))
    return out


def largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split `total` in proportion to `weights` (Hamilton's method; ties by key)."""
    keys = sorted(k for k, w in weights.items() if w > 0)
    out = dict.fromkeys(weights, 0)
    mass = sum(weights[k] for k in keys)
    if total <= 0 or mass <= 0:
        return out
    quotas = {k: total * weights[k] / mass for k in keys}
    for k in keys:
        out[k] = int(quotas[k])
    left = total - sum(out.values())
    by_fraction = sorted(keys, key=lambda k: (-(quotas[k] - out[k]), k))
    for k in by_fraction[:left]:
        out[k] += 1
    return out


def apportion(total: int, weights: dict[str, float], caps: dict[str, int]) -> dict[str, int]:
    """Largest remainder, where a region capped at what teams can reach passes on the rest."""
    targets = dict.fromkeys(weights, 0)
    active = {k: w for k, w in weights.items() if w > 0 and caps.get(k, 0) > 0}
    remaining = total
    while active and remaining > 0:
        alloc = largest_remainder(remaining, active)
        over = sorted(k for k in active if alloc[k] > caps[k])
        if not over:
            targets.update({k: alloc[k] for k in active})
            break
        for k in over:
            targets[k] = caps[k]
            remaining -= caps[k]
            del active[k]
    return targets


def region_weights(stations: list[StationPoint], mode: str) -> tuple[dict[str, float], str]:
    """Weight per region and a note when the voters mode had to fall back to station counts."""
    counts = Counter(s.region for s in stations)
    if mode == "none":
        return {}, ""
    if mode == "stations":
        return {k: float(v) for k, v in counts.items()}, ""
    if mode != "voters":
        raise ValueError(f"unknown region_weighting {mode!r}")
    known = [s.registered_voters for s in stations if s.registered_voters is not None]
    if not known:
        note = "registered voters unknown; coverage targets follow station counts"
        return {k: float(v) for k, v in counts.items()}, note
    mean = sum(known) / len(known)  # stands in for a station whose voters are unknown
    weights: dict[str, float] = dict.fromkeys(counts, 0.0)
    for s in stations:
        weights[s.region] += s.registered_voters if s.registered_voters is not None else mean
    return weights, ""


class _Network:
    """source -> team (capacity) -> team-site (max per site, cost) -> station; heads left open."""

    def __init__(self, cands: list[TeamCandidates], n_stations: int, per_site: int, keep=None):
        self.tails: list[int] = []
        self.heads: list[int] = []
        self.caps: list[int] = []
        self.costs: list[int] = []
        self.pairs: list[tuple[int, int, int]] = []  # (arc, team position, station index)
        self.station0 = 2 + len(cands)
        node = self.station0 + n_stations
        for t, cand in enumerate(cands):
            self.add(SOURCE, 2 + t, cand.capacity, 0)
            for _site, cost, members in cand.sites:
                kept = [i for i in members if keep is None or keep[i]]
                if not kept:
                    continue
                self.add(2 + t, node, per_site, cost)
                for i in kept:
                    self.pairs.append((len(self.tails), t, i))
                    self.add(node, self.station0 + i, 1, 0)
                node += 1
        self.next_node = node

    def add(self, tail: int, head: int, cap: int, cost: int) -> None:
        self.tails.append(tail)
        self.heads.append(head)
        self.caps.append(cap)
        self.costs.append(cost)

    def used_stations(self) -> list[int]:
        return sorted({i for _, _, i in self.pairs})


def max_assignable(cands, n_stations: int, per_site: int, keep=None) -> int:
    """How many stations the teams can take at most (optionally only stations with keep[i])."""
    net = _Network(cands, n_stations, per_site, keep)
    for i in net.used_stations():
        net.add(net.station0 + i, SINK, 1, 0)
    if not net.pairs:
        return 0
    from ortools.graph.python import max_flow  # here: the web app need not load OR-Tools

    flow = max_flow.SimpleMaxFlow()
    flow.add_arcs_with_capacity(_nodes(net.tails), _nodes(net.heads), _amounts(net.caps))
    if flow.solve(SOURCE, SINK) != flow.OPTIMAL:
        raise RuntimeError("max flow failed")
    return int(flow.optimal_flow())


def assign(
    cands: list[TeamCandidates],
    n_stations: int,
    per_site: int,
    groups: list[int] | None = None,
    group_caps: dict[int, int] | None = None,
) -> dict[int, list[int]]:
    """Max-flow, min-cost assignment: team id -> station indices.

    With `groups`, station i belongs to group groups[i]; flow beyond group_caps[g] is allowed
    but costs more than any saving in metres, so targets are met wherever the network can.
    """
    net = _Network(cands, n_stations, per_site)
    if not net.pairs:
        return {c.team_id: [] for c in cands}
    largest = max(net.costs) + 1
    penalty = largest * (len(cands) + 2)
    group_node: dict[int, int] = {}
    for i in net.used_stations():
        if groups is None:
            net.add(net.station0 + i, SINK, 1, 0)
            continue
        g = groups[i]
        if g not in group_node:
            group_node[g] = net.next_node
            net.next_node += 1
        net.add(net.station0 + i, group_node[g], 1, 0)
    for g in sorted(group_node):
        cap = (group_caps or {}).get(g, 0)
        if cap:
            net.add(group_node[g], SINK, cap, 0)
        net.add(group_node[g], SINK, sum(c.capacity for c in cands), penalty)
    from ortools.graph.python import min_cost_flow

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        _nodes(net.tails), _nodes(net.heads), _amounts(net.caps), _amounts(net.costs)
    )
    supply = sum(c.capacity for c in cands)
    flow.set_node_supply(SOURCE, supply)
    flow.set_node_supply(SINK, -supply)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min cost flow failed with status {status}")
    out: dict[int, list[int]] = {c.team_id: [] for c in cands}
    for arc, t, i in net.pairs:
        if flow.flow(arc) > 0:
            out[cands[t].team_id].append(i)
    return out


def region_quotas(
    cands: list[TeamCandidates],
    groups: list[int],
    group_caps: dict[int, int],
    per_site: int,
) -> list[dict[int, int]]:
    """How many stations each team should take in each region, to meet the region targets.

    A team-by-region min-cost flow: a unit in region g costs the road metres from the base to
    the team's nearest candidate in g (nothing at home), so the teams nearest a region that
    needs more stations go there, and go there for the whole day, rather than every team
    nearby sending one station across the line.
    """
    tails, heads, caps, costs = [], [], [], []
    team0 = 2
    pair0 = team0 + len(cands)
    gs = sorted(set(groups) | set(group_caps))
    group0 = pair0 + len(cands) * len(gs)
    pairs: list[tuple[int, int, int]] = []  # (arc, team position, group)
    for t, cand in enumerate(cands):
        tails.append(SOURCE)
        heads.append(team0 + t)
        caps.append(cand.capacity)
        costs.append(0)
        room: dict[int, int] = {}
        entry: dict[int, int] = {}
        for _site, cost, members in cand.sites:
            per_group = Counter(groups[i] for i in members)
            for g, n in per_group.items():
                room[g] = room.get(g, 0) + min(per_site, n)
                entry.setdefault(g, cost)
        for gi, g in enumerate(gs):
            if not room.get(g):
                continue
            pairs.append((len(tails), t, g))
            tails.append(team0 + t)
            heads.append(group0 + gi)
            caps.append(min(cand.capacity, room[g]))
            costs.append(entry[g])
    largest = max(costs, default=0) + 1
    penalty = largest * (len(cands) + 2)
    total = sum(c.capacity for c in cands)
    for gi, g in enumerate(gs):
        if group_caps.get(g):
            tails.append(group0 + gi)
            heads.append(SINK)
            caps.append(group_caps[g])
            costs.append(0)
        tails.append(group0 + gi)
        heads.append(SINK)
        caps.append(total)
        costs.append(penalty)
    out: list[dict[int, int]] = [{} for _ in cands]
    if not pairs:
        return out
    from ortools.graph.python import min_cost_flow

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        _nodes(tails), _nodes(heads), _amounts(caps), _amounts(costs)
    )
    flow.set_node_supply(SOURCE, total)
    flow.set_node_supply(SINK, -total)
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
        raise RuntimeError("min cost flow failed")
    for arc, t, g in pairs:
        if flow.flow(arc) > 0:
            out[t][g] = int(flow.flow(arc))
    return out
