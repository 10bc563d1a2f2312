"""Sample mode: the size formula by hand, proportional strata, reproducible draws, and a plan
that covers every sampled station."""

import math
from collections import Counter
from dataclasses import replace

import pytest

from observer_suite.deployment.sample_design import (
    allocate,
    margin_of_error,
    plan_sample,
    sample_size,
    stratified_sample,
)
from observer_suite.deployment.travel import haversine_km
from observer_suite.deployment.types import PlanOptions, SampleOptions, StationPoint, TeamBase
from tests.deployment.test_planner import EBONYI, load_nigeria, make_teams


def test_sample_size_by_hand():
    # 95 %, ±5 %, N = 12,795 (the Nigeria file), p = 0.5
    z = 1.959963984540054
    n0 = z**2 * 0.5 * 0.5 / 0.05**2  # 384.1459
    n = n0 / (1 + (n0 - 1) / 12795)  # 372.98
    assert round(n0, 2) == 384.15 and round(n, 2) == 372.98
    assert sample_size(0.95, 0.05, 12795) == 373
    assert sample_size(0.95, 0.05, 12795, nonresponse=0.10) == math.ceil(n / 0.9) == 415
    # 99 %, ±3 %, N = 2,000, p = 0.3, 5 % non-response
    z = 2.5758293035489
    n0 = z**2 * 0.3 * 0.7 / 0.03**2  # 1548.17
    n = n0 / (1 + (n0 - 1) / 2000)  # 872.9
    assert sample_size(0.99, 0.03, 2000, 0.3, 0.05) == math.ceil(n / 0.95) == 919
    # a tiny population is never exceeded
    assert sample_size(0.95, 0.05, 40) == 37 and sample_size(0.95, 0.01, 40) == 40
    assert sample_size(0.95, 0.05, 0) == 0
    with pytest.raises(ValueError, match="must lie in"):
        sample_size(0.95, 0.0, 100)


def test_margin_of_error_inverts_the_size():
    n = sample_size(0.95, 0.03, 5000)
    assert margin_of_error(n, 5000, 0.95) <= 0.03 < margin_of_error(n - 1, 5000, 0.95)
    assert margin_of_error(5000, 5000, 0.95) == 0.0


def test_allocation_is_proportional_with_one_per_stratum():
    sizes = {"a": 5719, "b": 2940, "c": 4136, "tiny": 3}
    alloc = allocate(373, sizes)
    total = sum(sizes.values())
    assert sum(alloc.values()) == 373 and alloc["tiny"] == 1
    assert all(abs(alloc[k] - 373 * v / total) <= 1 for k, v in sizes.items())
    assert allocate(2, sizes) == {"a": 1, "b": 0, "c": 1, "tiny": 0}  # n too small for all


@pytest.fixture(scope="module")
def ebonyi() -> list[StationPoint]:
    return load_nigeria(EBONYI, region_field="lga_code")


def test_stratified_draw_is_proportional_and_reproducible(ebonyi):
    options = SampleOptions(margin_of_error=0.05, nonresponse=0.0)
    drawn, record = stratified_sample(ebonyi, options, seed=7)
    n = sample_size(0.95, 0.05, len(ebonyi))
    assert record["sample_size"] == len(drawn) == n and record["frame_size"] == len(ebonyi)
    population = Counter(s.region for s in ebonyi)
    in_sample = Counter(s.region for s in drawn)
    for stratum in record["strata"]:
        key = stratum["stratum"]
        assert stratum["population"] == population[key]
        assert stratum["sample"] == in_sample[key]
        assert abs(stratum["sample"] - n * population[key] / len(ebonyi)) <= 1
    assert record["station_ids"] == [s.id for s in drawn]
    assert len(set(record["station_ids"])) == n
    assert record["seed"] == 7 and record["confidence"] == 0.95 and record["nonresponse"] == 0.0

    again, record_again = stratified_sample(list(reversed(ebonyi)), options, seed=7)
    assert [s.id for s in again] == record["station_ids"] and record_again == record
    other, _ = stratified_sample(ebonyi, options, seed=8)
    assert [s.id for s in other] != record["station_ids"]


def test_stratify_by_several_fields_and_a_given_size(ebonyi):
    options = SampleOptions(sample_size=60, stratify_by=("region", "area_name"))
    drawn, record = stratified_sample(ebonyi, options, seed=1)
    assert len(drawn) == 60 and record["sample_size_given"] == 60
    assert all(" / " in s["stratum"] for s in record["strata"])


def test_plan_sample_covers_every_sampled_station(ebonyi):
    teams = make_teams(ebonyi, 20, seed=3)
    options = PlanOptions(max_radius_km=40, time_limit_s=2, seed=4)
    sample_options = SampleOptions(margin_of_error=0.1, nonresponse=0.0)  # ~5 per team
    result = plan_sample(ebonyi, teams, options, sample_options)
    record = result.sampling
    sampled = set(record["station_ids"])
    planned = [s.station_id for r in result.routes.values() for s in r.stops]
    assert len(planned) == len(set(planned)) and set(planned) <= sampled
    missed = sampled - set(planned)
    assert missed == set(record["unassigned_station_ids"]) == set(result.unreachable_station_ids)
    by_id = {s.id: s for s in ebonyi}
    assert all(by_id[i].lat is None or by_id[i].lat > 20 for i in missed)  # only bad coordinates
    if missed:
        assert any(f"{len(missed)} sampled stations have no team" in p for p in result.problems)
    cap = math.ceil(len(sampled - missed) / len(teams))
    assert record["stations_per_team"] >= cap
    assert all(len(r.stops) <= record["stations_per_team"] for r in result.routes.values())
    for route in result.routes.values():
        if len(route.stops) >= 2:
            assert route.stops[0].kind == "opening" and route.stops[-1].kind == "closing"

    assert not any("day is too short" in p for p in result.problems)
    again = plan_sample(ebonyi, teams, options, sample_options)
    assert again.sampling == record
    assert [r.stops for r in again.routes.values()] == [r.stops for r in result.routes.values()]


def test_plan_sample_relaxes_the_radius_and_says_so(ebonyi):
    teams = make_teams(ebonyi, 4, seed=2)
    options = PlanOptions(max_radius_km=15, time_limit_s=1)
    result = plan_sample(ebonyi, teams, options, SampleOptions(sample_size=40))
    base = {t.id: (t.lat, t.lon) for t in teams}
    by_id = {s.id: s for s in ebonyi}
    beyond = [
        s.station_id
        for t, r in result.routes.items()
        for s in r.stops
        if haversine_km(base[t], (by_id[s.station_id].lat, by_id[s.station_id].lon)) > 15
    ]
    assert beyond and any("given to a team within 30 km" in p for p in result.problems)
    sea = replace(teams[0], id=99, code="SEA", lat=3.0, lon=5.0)
    alone = plan_sample(ebonyi, [sea], options, SampleOptions(sample_size=10))
    assert not alone.routes[99].stops
    assert any("10 sampled stations have no team" in p for p in alone.problems)
    assert len(alone.unreachable_station_ids) == 10


def test_teams_without_bases_get_nothing_and_are_reported(ebonyi):
    teams = [*make_teams(ebonyi, 3, seed=2), TeamBase(id=7, code="NOBASE", lat=None, lon=None)]
    result = plan_sample(ebonyi, teams, PlanOptions(time_limit_s=1), SampleOptions(sample_size=9))
    assert not result.routes[7].stops
    assert any(p.startswith("team NOBASE: no base coordinates") for p in result.problems)
