"""Visiting order for one team with the OR-Tools routing solver.

Why OR-Tools: an open path from the team's base through its stations is a small travelling
salesman problem, and "pick the best k of these nearby stations and order them" is its
prize-collecting cousin; both are what the routing library is built for.

Why multi-start descent: on these small models, OR-Tools' local search run to a local optimum
from many different starting paths (nearest-neighbour chains that begin at different stations)
beats one long guided-local-search run of the same duration, and it stops on its own, so the same
input always gives the same route. The clock is only a safety net.
"""

from collections.abc import Sequence

import numpy as np

# How many starting paths each team's search tries; a budget in seconds buys this many at
# about SECONDS_PER_START each (measured on a 2-core laptop with 40 candidate stations).
MAX_STARTS = 40
MIN_STARTS = 8
SECONDS_PER_START = 0.004
# A descent ends by itself in milliseconds; the clock only stops a pathological one.
SAFETY_S = 5.0


def starts_for(budget_s: float) -> int:
    """Deterministic amount of search for a time budget (not the wall clock)."""
    return int(min(MAX_STARTS, max(MIN_STARTS, budget_s / SECONDS_PER_START)))


def path_length(dist_m: np.ndarray, order: Sequence[int]) -> int:
    """Metres of the open path 0 -> order[0] -> ... -> order[-1]."""
    total, prev = 0, 0
    for node in order:
        total += int(dist_m[prev, node])
        prev = node
    return total


def nearest_chain(
    dist_m: np.ndarray,
    first: int,
    groups: Sequence[int],
    caps: dict[int, int],
    total: int | None = None,
) -> list[int]:
    """Path starting at `first`, then always the nearest node its group's quota still allows."""
    total = sum(caps.values()) if total is None else total
    left = dict(caps)
    chosen: list[int] = []
    free = np.ones(dist_m.shape[0], dtype=bool)
    free[0] = False
    allowed = np.array([False] + [left.get(g, 0) > 0 for g in groups])
    here = first
    while True:
        chosen.append(here)
        free[here] = False
        g = groups[here - 1]
        left[g] -= 1
        if left[g] <= 0:
            allowed &= np.array([True] + [x != g for x in groups])
        ok = free & allowed
        if len(chosen) >= total or not ok.any():
            return chosen
        here = int(np.argmin(np.where(ok, dist_m[here], np.iinfo(np.int64).max)))


def _model(dist_m: np.ndarray):
    """Nodes: 0 = base, 1..n = stations, n+1 = a dummy end reached for free (open path).

    OR-Tools is imported here, not at the top: the web app would otherwise load it (about
    0.2 s) on every start although only plan generation uses it."""
    from ortools.constraint_solver import pywrapcp

    n = dist_m.shape[0] - 1
    full = np.zeros((n + 2, n + 2), dtype=np.int64)
    full[: n + 1, : n + 1] = dist_m
    manager = pywrapcp.RoutingIndexManager(n + 2, 1, [0], [n + 1])
    routing = pywrapcp.RoutingModel(manager)
    transit = routing.RegisterTransitMatrix(full.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(transit)
    return manager, routing


def _descend(dist_m, manager, routing, starts, limit_s: float) -> list[int]:
    """Local search to a local optimum from every start; the best path wins (ties: earliest)."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
    params.time_limit.FromMilliseconds(int(max(SAFETY_S, 10 * limit_s) * 1000))
    best: list[int] = []
    best_key: tuple[int, int] | None = None
    for start in starts:
        assignment = routing.ReadAssignmentFromRoutes([list(start)], True)
        solution = assignment and routing.SolveFromAssignmentWithParameters(assignment, params)
        order = list(start)
        if solution:
            order, index = [], routing.Start(0)
            while not routing.IsEnd(index):
                node = manager.IndexToNode(index)
                if node != 0:
                    order.append(node)
                index = solution.Value(routing.NextVar(index))
        key = (-len(order), path_length(dist_m, order))
        if best_key is None or key < best_key:
            best, best_key = order, key
    return best


def order_stations(dist_m: np.ndarray, limit_s: float, n_starts: int = MAX_STARTS) -> list[int]:
    """Shortest open path from node 0 through every other node; returns nodes 1..n in order."""
    n = dist_m.shape[0] - 1
    if n <= 2:
        return sorted(range(1, n + 1), key=lambda j: (dist_m[0, j], j))
    everything = {0: n}
    firsts = sorted(range(1, n + 1), key=lambda j: (dist_m[0, j], j))[:n_starts]
    starts = [nearest_chain(dist_m, f, [0] * n, everything) for f in firsts]
    manager, routing = _model(dist_m)
    return _descend(dist_m, manager, routing, starts, limit_s)


def select_and_order(
    dist_m: np.ndarray,
    groups: Sequence[int],
    caps: dict[int, int],
    initial: Sequence[Sequence[int]],
    limit_s: float,
    n_starts: int = MAX_STARTS,
    total: int | None = None,
) -> list[int]:
    """Choose up to caps[g] stations of each group g (and `total` in all) and order them,
    minimising the path.

    `groups[i-1]` is the group of node i (for the planner: its region, so a team's regional
    mix, and with it the coverage targets, stays as the assignment step left it). `initial`
    holds feasible routes to start from as well, so the answer is never longer than they are.
    """
    n = dist_m.shape[0] - 1
    manager, routing = _model(dist_m)
    penalty = 2 * int(dist_m.max()) + 1  # dropping a station never pays while room is left
    for node in range(1, n + 1):
        routing.AddDisjunction([manager.NodeToIndex(node)], penalty)
    for group in sorted(caps):
        demand = [0] + [1 if g == group else 0 for g in groups] + [0]
        callback = routing.RegisterUnaryTransitVector(demand)
        routing.AddDimension(callback, 0, caps[group], True, f"group{group}")
    if total is not None and total < sum(caps.values()):
        callback = routing.RegisterUnaryTransitVector([0] + [1] * n + [0])
        routing.AddDimension(callback, 0, total, True, "count")
    eligible = [j for j in range(1, n + 1) if caps.get(groups[j - 1], 0) > 0]
    firsts = sorted(eligible, key=lambda j: (dist_m[0, j], j))[:n_starts]
    chains = [nearest_chain(dist_m, f, groups, caps, total) for f in firsts]
    starts = [list(r) for r in initial] + chains
    return _descend(dist_m, manager, routing, starts, limit_s)
