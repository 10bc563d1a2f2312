"""Sample mode: a stratified random sample of stations, sized so its statistics carry a
stated margin of error, recorded so the draw can be reproduced, then routed like a plan.

Why it differs from purposive mode: every sampled station must be observed or the estimate is
biased, so the assignment covers all of them (relaxing the radius where it must, and saying so)
instead of choosing the convenient ones.
"""

import math
import random
import time
from dataclasses import replace
from statistics import NormalDist

import numpy as np

from observer_suite.deployment.travel import known_point

from . import plan_flow
from .plan_common import PlanInput, finish, name_codes, prepare
from .plan_routing import order_stations, starts_for
from .travel import TravelModel, haversine_matrix
from .types import PlanOptions, PlanResult, SampleOptions, StationPoint, TeamBase

# A sampled station nobody reaches within the radius goes to a team with room within this
# multiple of the radius; farther than that, its coordinates are likely wrong.
RELAX_FACTOR = 2.0
SOLVER = "stratified sample; ortools min-cost flow + routing"


def z_value(confidence: float) -> float:
    """Two-sided normal quantile, e.g. 1.95996 for 95 %."""
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def sample_size(
    confidence: float,
    margin_of_error: float,
    population: int,
    expected_proportion: float = 0.5,
    nonresponse: float = 0.0,
) -> int:
    """n0 = z²·p(1−p)/e², n = n0 / (1 + (n0 − 1)/N), then ÷ (1 − non-response), rounded up."""
    if population <= 0:
        return 0
    if not 0 < confidence < 1 or not 0 < margin_of_error < 1 or not 0 <= nonresponse < 1:
        raise ValueError("confidence and margin must lie in (0, 1), non-response in [0, 1)")
    if not 0 < expected_proportion < 1:
        raise ValueError("expected proportion must lie in (0, 1)")
    p = expected_proportion
    n0 = z_value(confidence) ** 2 * p * (1 - p) / margin_of_error**2
    n = n0 / (1 + (n0 - 1) / population)
    return min(population, math.ceil(n / (1 - nonresponse) - 1e-9))


def margin_of_error(n: int, population: int, confidence: float, p: float = 0.5) -> float:
    """The margin a sample of n out of `population` gives (same finite-population correction)."""
    if n <= 0:
        return math.inf
    fpc = math.sqrt((population - n) / (population - 1)) if population > 1 else 0.0
    return z_value(confidence) * math.sqrt(p * (1 - p) / n) * fpc


def allocate(n: int, sizes: dict[str, int]) -> dict[str, int]:
    """Proportional allocation by largest remainder; one per non-empty stratum when n allows."""
    sizes = {k: v for k, v in sizes.items() if v > 0}
    n = min(n, sum(sizes.values()))
    alloc = plan_flow.largest_remainder(n, {k: float(v) for k, v in sizes.items()})
    if n >= len(sizes):
        total = sum(sizes.values())
        for key in sorted(k for k in sizes if alloc[k] == 0):
            # take the seat from the stratum most above its exact quota
            donor = max(
                (k for k in sizes if alloc[k] > 1),
                key=lambda k: (alloc[k] - n * sizes[k] / total, k),
            )
            alloc[donor] -= 1
            alloc[key] = 1
    return alloc


def _stratum(station: StationPoint, fields: tuple[str, ...]) -> str:
    return " / ".join(str(getattr(station, f) or "") for f in fields) if fields else "all"


def stratified_sample(
    stations: list[StationPoint], options: SampleOptions, seed: int
) -> tuple[list[StationPoint], dict]:
    """Draw the sample; the record holds everything needed to reproduce and report it."""
    frame = sorted(stations, key=lambda s: (s.code, s.id))
    population = len(frame)
    calculated = sample_size(
        options.confidence,
        options.margin_of_error,
        population,
        options.expected_proportion,
        options.nonresponse,
    )
    n = min(population, options.sample_size if options.sample_size is not None else calculated)
    strata: dict[str, list[StationPoint]] = {}
    for station in frame:
        strata.setdefault(_stratum(station, options.stratify_by), []).append(station)
    quotas = allocate(n, {k: len(v) for k, v in strata.items()})
    rng = random.Random(seed)
    drawn: list[StationPoint] = []
    for key in sorted(strata):
        drawn.extend(rng.sample(strata[key], quotas.get(key, 0)))
    drawn.sort(key=lambda s: (s.code, s.id))
    z = z_value(options.confidence)
    p = options.expected_proportion
    record = {
        "method": "stratified random sample, proportional allocation (largest remainder)",
        "stratify_by": list(options.stratify_by),
        "frame_size": population,
        "sample_size": len(drawn),
        "sample_size_given": options.sample_size,
        "sample_size_calculated": calculated,
        "formula": "n0 = z^2 p(1-p) / e^2; n = n0 / (1 + (n0 - 1) / N); n / (1 - nonresponse)",
        "z": round(z, 6),
        "n0": round(z**2 * p * (1 - p) / options.margin_of_error**2, 3),
        "confidence": options.confidence,
        "margin_of_error": options.margin_of_error,
        "achieved_margin_of_error": round(
            margin_of_error(len(drawn), population, options.confidence, p), 5
        ),
        "expected_proportion": p,
        "nonresponse": options.nonresponse,
        "seed": seed,
        "frame_order": "station code, then id",
        "strata": [
            {"stratum": key, "population": len(strata[key]), "sample": quotas.get(key, 0)}
            for key in sorted(strata)
        ],
        "station_ids": [s.id for s in drawn],
    }
    return drawn, record


def plan_sample(
    stations: list[StationPoint],
    teams: list[TeamBase],
    options: PlanOptions,
    sample_options: SampleOptions,
    travel: TravelModel | None = None,
) -> PlanResult:
    """Draw the sample, give every sampled station to a team, and route each team's share."""
    started = time.perf_counter()
    sampled, record = stratified_sample(stations, sample_options, options.seed)
    inp = prepare(sampled, teams, options, travel)
    n_teams = max(1, len(inp.free_teams))
    capacity = math.ceil(len(inp.available) / n_teams) if inp.available else 0
    per_site = max(1, options.max_stations_per_site)
    cands = plan_flow.candidates(inp, capacity, n_sites=len(inp.available) or 1)
    assigned = plan_flow.assign(cands, len(inp.available), per_site)
    taken = np.zeros(len(inp.available), dtype=bool)
    for idx in assigned.values():
        taken[idx] = True
    if not taken.all() and inp.free_teams:
        relaxed = _relaxed(inp, cands, assigned, taken, capacity)
        if relaxed:
            inp.note(
                None,
                f"{len(relaxed)} sampled stations could not go to a team within "
                f"{options.max_radius_km:g} km under the per-site rule; given to a "
                f"team within {RELAX_FACTOR * options.max_radius_km:g} km instead: "
                f"{name_codes([inp.available[i] for i in relaxed])}",
            )
    planned: dict[int, list[int]] = {}
    budget = options.time_limit_s / n_teams
    for team in inp.free_teams:
        mine = assigned.get(team.id, [])
        points = [known_point(team.lat, team.lon), *(inp.point(i) for i in mine)]
        dist = np.rint(inp.travel.matrix_km(points, points) * 1000).astype(np.int64)
        order = order_stations(dist, budget, starts_for(budget)) if mine else []
        planned[team.id] = [inp.available[mine[j - 1]].id for j in order]
    # Up to ceil(n / teams) each; a team with fewer is not short of work it could have had.
    inp.options = replace(options, stations_per_team=capacity, min_stations_per_team=0)
    result = finish(inp, planned, solver=SOLVER, unreachable=[])
    idle = [t for t in inp.free_teams if not result.routes[t.id].stops]
    if idle:
        labels = ", ".join(t.code or str(t.id) for t in idle[:10])
        result.problems.append(
            f"{len(idle)} teams have no sampled station to observe: {labels}"
            + (" …" if len(idle) > 10 else "")
        )
    covered = {stop.station_id for route in result.routes.values() for stop in route.stops}
    missed = [s for s in sampled if s.id not in covered]
    if missed:
        result.problems.append(
            f"{len(missed)} sampled stations have no team and will not be observed: "
            f"{name_codes(missed)}"
        )
    result.unreachable_station_ids = [s.id for s in missed]
    record["unassigned_station_ids"] = [s.id for s in missed]
    record["stations_per_team"] = capacity
    result.sampling = record
    result.seconds = time.perf_counter() - started
    return result


def _relaxed(inp: PlanInput, cands, assigned, taken, capacity: int) -> list[int]:
    """Second round for the leftovers: any team with room within the relaxed radius, without
    the site rule; nearer teams cost less."""
    left = [int(i) for i in np.flatnonzero(~taken)]
    bases = [known_point(t.lat, t.lon) for t in inp.free_teams]
    straight = haversine_matrix([inp.point(i) for i in left], bases)
    km = inp.travel.matrix_km([inp.point(i) for i in left], bases)
    room = {c.team_id: capacity - len(assigned[c.team_id]) for c in cands}
    by_team: dict[int, list[tuple[str, int, list[int]]]] = {}
    limit = RELAX_FACTOR * inp.options.max_radius_km
    for row, line, i in zip(km, straight, left, strict=True):
        for t in np.flatnonzero(line <= limit).tolist():
            metres = round(float(row[t]) * 1000)
            by_team.setdefault(inp.free_teams[t].id, []).append((f"#{i}", metres, [i]))
    extra = [
        plan_flow.TeamCandidates(c.team_id, room[c.team_id], by_team[c.team_id])
        for c in cands
        if room[c.team_id] > 0 and c.team_id in by_team
    ]
    if not extra:
        return []
    more = plan_flow.assign(extra, len(inp.available), 1)
    placed = []
    for team_id, idx in more.items():
        assigned[team_id] = assigned[team_id] + idx
        placed.extend(idx)
    return sorted(placed)
