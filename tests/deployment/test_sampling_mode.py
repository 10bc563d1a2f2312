"""Sample mode: the size formula, proportional strata, reproducible draws."""

import math
from statistics import NormalDist

from observer_suite.deployment.sample_design import margin_of_error, sample_size, stratified_sample
from observer_suite.deployment.types import SampleOptions, StationPoint


def _frame(sizes: dict[str, int]) -> list[StationPoint]:
    return [
        StationPoint(
            id=len(sizes) * 100000 + i * 1000 + j,
            code=f"{r}-{j:05d}",
            name="s",
            lat=6.0,
            lon=7.0,
            region=r,
            area_name="a",
        )
        for i, (r, n) in enumerate(sizes.items())
        for j in range(n)
    ]


def test_sample_size_matches_the_formula_by_hand():
    z = NormalDist().inv_cdf(0.975)  # 1.95996…
    n0 = z**2 * 0.25 / 0.05**2  # 384.15
    assert sample_size(0.95, 0.05, 12795) == math.ceil(n0 / (1 + (n0 - 1) / 12795))  # 373
    assert sample_size(0.95, 0.05, 12795) == 373
    with_nr = n0 / (1 + (n0 - 1) / 12795) / 0.9
    assert sample_size(0.95, 0.05, 12795, nonresponse=0.1) == math.ceil(with_nr)
    assert sample_size(0.99, 0.02, 1000) == math.ceil(
        (NormalDist().inv_cdf(0.995) ** 2 * 0.25 / 0.0004)
        / (1 + ((NormalDist().inv_cdf(0.995) ** 2 * 0.25 / 0.0004) - 1) / 1000)
    )
    assert sample_size(0.95, 0.05, 50) <= 50


def test_margin_of_error_inverts_the_size():
    n = sample_size(0.95, 0.03, 5000)
    assert margin_of_error(n, 5000, 0.95) <= 0.03
    assert margin_of_error(n - 5, 5000, 0.95) > 0.03


def test_strata_are_proportional_and_draws_reproducible():
    frame = _frame({"AN": 5719, "EB": 2940, "EN": 4136})
    options = SampleOptions(margin_of_error=0.03, nonresponse=0.0)
    drawn, record = stratified_sample(frame, options, seed=7)
    n = record["sample_size"]
    assert n == sample_size(0.95, 0.03, len(frame))
    for stratum in record["strata"]:
        expected = n * stratum["population"] / len(frame)
        assert abs(stratum["sample"] - expected) <= 1
        assert sum(1 for s in drawn if s.region == stratum["stratum"]) == stratum["sample"]
    again, _ = stratified_sample(frame, options, seed=7)
    other, _ = stratified_sample(frame, options, seed=8)
    assert [s.id for s in again] == [s.id for s in drawn]
    assert [s.id for s in other] != [s.id for s in drawn]
    assert record["station_ids"] == [s.id for s in drawn]
