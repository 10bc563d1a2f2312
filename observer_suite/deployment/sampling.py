"""Sample mode: a stratified random sample of stations, sized so its statistics carry a
stated margin of error, recorded so the draw can be reproduced."""

import dataclasses
import math
import random
from statistics import NormalDist

from observer_suite.deployment.types import (
    PlanOptions,
    PlanResult,
    SampleOptions,
    StationPoint,
    TeamBase,
)


def _z(confidence: float) -> float:
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def sample_size(
    confidence: float,
    margin_of_error: float,
    population: int,
    expected_proportion: float = 0.5,
    nonresponse: float = 0.0,
) -> int:
    """n0 = z²·p(1−p)/e², finite-population corrected, then grossed up for non-response."""
    if population <= 0:
        return 0
    if not 0 < margin_of_error < 1 or not 0 < confidence < 1 or not 0 <= nonresponse < 1:
        raise ValueError("confidence and margin must lie in (0, 1), non-response in [0, 1)")
    p = expected_proportion
    n0 = _z(confidence) ** 2 * p * (1 - p) / margin_of_error**2
    n = n0 / (1 + (n0 - 1) / population)
    return min(population, math.ceil(n / (1 - nonresponse)))


def margin_of_error(n: int, population: int, confidence: float, p: float = 0.5) -> float:
    """The margin a sample of n stations out of `population` gives, with the same correction."""
    if n <= 0:
        return float("inf")
    fpc = math.sqrt((population - n) / (population - 1)) if population > 1 else 0.0
    return _z(confidence) * math.sqrt(p * (1 - p) / n) * fpc


def _allocate(n: int, sizes: dict[str, int]) -> dict[str, int]:
    """Proportional allocation by largest remainder; one per stratum when n allows."""
    total = sum(sizes.values())
    strata = sorted(sizes)
    floor = 1 if n >= len(strata) else 0
    quotas = {s: max(floor, math.floor(n * sizes[s] / total)) for s in strata}
    quotas = {s: min(q, sizes[s]) for s, q in quotas.items()}
    remainders = sorted(strata, key=lambda s: (-(n * sizes[s] / total - quotas[s]), s))
    i = 0
    while sum(quotas.values()) < n and i < 10 * len(strata) + n:
        s = remainders[i % len(strata)]
        if quotas[s] < sizes[s]:
            quotas[s] += 1
        i += 1
    while sum(quotas.values()) > n:
        s = max(strata, key=lambda k: (quotas[k] - n * sizes[k] / total, k))
        quotas[s] -= 1
    return quotas


def stratified_sample(
    stations: list[StationPoint], options: SampleOptions, seed: int
) -> tuple[list[StationPoint], dict]:
    frame = sorted(stations, key=lambda s: s.code)
    n = options.sample_size or sample_size(
        options.confidence,
        options.margin_of_error,
        len(frame),
        options.expected_proportion,
        options.nonresponse,
    )
    n = min(n, len(frame))
    strata: dict[str, list[StationPoint]] = {}
    for station in frame:
        strata.setdefault(station.region, []).append(station)
    quotas = _allocate(n, {k: len(v) for k, v in strata.items()}) if frame else {}
    rng = random.Random(seed)
    drawn: list[StationPoint] = []
    for key in sorted(strata):
        drawn.extend(rng.sample(strata[key], quotas[key]))
    drawn.sort(key=lambda s: s.code)
    record = {
        "method": "stratified random sample, proportional allocation",
        "stratify_by": list(options.stratify_by),
        "frame_size": len(frame),
        "sample_size": len(drawn),
        "confidence": options.confidence,
        "margin_of_error": options.margin_of_error,
        "achieved_margin_of_error": round(
            margin_of_error(len(drawn), len(frame), options.confidence), 5
        ),
        "expected_proportion": options.expected_proportion,
        "nonresponse": options.nonresponse,
        "seed": seed,
        "strata": [
            {"stratum": key, "population": len(strata[key]), "sample": quotas[key]}
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
) -> PlanResult:
    """Draw the sample, then give every sampled station to a team with the purposive solver."""
    from observer_suite.deployment.planner import plan_purposive

    sampled, record = stratified_sample(stations, sample_options, options.seed)
    usable = [t for t in teams if t.lat is not None and t.lon is not None] or teams
    per_team = max(1, math.ceil(len(sampled) / max(1, len(usable))))
    routed = dataclasses.replace(
        options,
        stations_per_team=per_team,
        min_stations_per_team=min(options.min_stations_per_team, per_team),
        region_weighting="none",
        max_stations_per_site=max(options.max_stations_per_site, per_team),
    )
    result = plan_purposive(sampled, teams, routed)
    planned = {stop.station_id for route in result.routes.values() for stop in route.stops}
    missed = [s for s in sampled if s.id not in planned]
    if missed:
        codes = ", ".join(s.code for s in missed[:10]) + (" …" if len(missed) > 10 else "")
        result.problems.append(
            f"{len(missed)} sampled stations have no team (out of reach or over capacity): "
            f"{codes}; their results will be missing unless a team is sent"
        )
    record["unassigned_station_ids"] = [s.id for s in missed]
    result.sampling = record
    return result
