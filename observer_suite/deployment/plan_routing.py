"""Visiting order for one team with the OR-Tools routing solver.

Why OR-Tools: an open path from the team's base through its stations is a small travelling
salesman problem, and "pick the best k of these nearby stations and order them" is its
prize-collecting cousin; both are what the routing library is built for. The search stops on a
solution count, not on the clock, so the same input always gives the same route; the time
limit is only a safety net.
"""

from collections.abc import Sequence

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

# Big enough that dropping an optional station always costs more than any route (metres).
DROP_PENALTY = 10**9
# Deterministic stopping rule for guided local search (counted solutions, not seconds).
SOLUTION_LIMIT_TSP = 60
SOLUTION_LIMIT_SELECT = 250


def _parameters(time_limit_s: float, solution_limit: int):
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.solution_limit = solution_limit
    params.time_limit.FromMilliseconds(max(10, int(time_limit_s * 1000)))
    return params


def _model(dist_m: np.ndarray):
    """Nodes: 0 = base, 1..n = stations, n+1 = a dummy end reached for free (open path)."""
    n = dist_m.shape[0] - 1
    full = np.zeros((n + 2, n + 2), dtype=np.int64)
    full[: n + 1, : n + 1] = dist_m
    full[:, n + 1] = 0  # any station may be the last one
    full[n + 1, :] = 0
    manager = pywrapcp.RoutingIndexManager(n + 2, 1, [0], [n + 1])
    routing = pywrapcp.RoutingModel(manager)
    transit = routing.RegisterTransitMatrix(full.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(transit)
    return manager, routing


def _read_route(manager, routing, solution) -> list[int]:
    order: list[int] = []
    index = routing.Start(0)
    while not routing.IsEnd(index):
        node = manager.IndexToNode(index)
        if node != 0:
            order.append(node)
        index = solution.Value(routing.NextVar(index))
    return order


def path_length(dist_m: np.ndarray, order: Sequence[int]) -> int:
    """Metres of the open path base -> order[0] -> ... -> order[-1]."""
    total, prev = 0, 0
    for node in order:
        total += int(dist_m[prev, node])
        prev = node
    return total


def order_stations(dist_m: np.ndarray, time_limit_s: float) -> list[int]:
    """Shortest open path from node 0 through every other node; returns nodes 1..n in order."""
    n = dist_m.shape[0] - 1
    if n <= 1:
        return list(range(1, n + 1))
    if n == 2:
        return [1, 2] if dist_m[0, 1] + dist_m[1, 2] <= dist_m[0, 2] + dist_m[2, 1] else [2, 1]
    manager, routing = _model(dist_m)
    solution = routing.SolveWithParameters(_parameters(time_limit_s, SOLUTION_LIMIT_TSP))
    if solution is None:  # cannot happen without side constraints; keep the input order
        return list(range(1, n + 1))
    return _read_route(manager, routing, solution)


def select_and_order(
    dist_m: np.ndarray,
    groups: Sequence[int],
    caps: dict[int, int],
    initial: Sequence[int],
    time_limit_s: float,
) -> list[int]:
    """Choose up to caps[g] stations of each group g and order them, minimising the path.

    `groups[i-1]` is the group of node i (for the planner: its region, so a team's regional
    mix, and with it the coverage targets, stays as the assignment step left it). `initial` is
    a feasible route the search starts from, so the answer is never longer than it.
    """
    n = dist_m.shape[0] - 1
    manager, routing = _model(dist_m)
    for node in range(1, n + 1):
        routing.AddDisjunction([manager.NodeToIndex(node)], DROP_PENALTY)
    for group in sorted(caps):
        demand = [0] + [1 if g == group else 0 for g in groups] + [0]
        callback = routing.RegisterUnaryTransitVector(demand)
        routing.AddDimension(callback, 0, caps[group], True, f"group{group}")
    params = _parameters(time_limit_s, SOLUTION_LIMIT_SELECT)
    start = routing.ReadAssignmentFromRoutes([list(initial)], True)
    if start is None:
        solution = routing.SolveWithParameters(params)
    else:
        solution = routing.SolveFromAssignmentWithParameters(start, params)
    if solution is None:
        return list(initial)
    order = _read_route(manager, routing, solution)
    if len(order) < len(initial) or path_length(dist_m, order) > path_length(dist_m, initial):
        return list(initial)
    return order
