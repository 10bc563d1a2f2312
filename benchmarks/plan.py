"""Benchmark the purposive planner against the greedy baseline on the Nigeria polling units.

Why: the solver plan must stay fast for a real mission (150 teams, a whole country's stations)
and must clearly beat the obvious greedy plan on road km, or it is not worth its complexity.
Same stations per team, radius and site rule for both. The solver runs twice: without region
targets (like greedy, which has none) and with them (the default; meeting a proportional
spread costs extra km when the random bases are not spread like the stations).

    .venv/bin/python benchmarks/plan.py [--teams 150] [--per-team 10] [--radius 60] [--seeds 7]
"""

import argparse
import csv
import random
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from observer_suite.deployment.baseline import plan_greedy  # noqa: E402
from observer_suite.deployment.planner import plan_purposive  # noqa: E402
from observer_suite.deployment.types import PlanOptions, StationPoint, TeamBase  # noqa: E402

DEFAULT_FILE = ROOT.parent / "shared" / "data" / "ng-polling-units.csv"


def load_stations(path: Path) -> list[StationPoint]:
    stations = []
    with path.open(newline="", encoding="utf-8") as f:
        for n, row in enumerate(csv.DictReader(f), start=1):
            lat = float(row["latitude"]) if row["latitude"] else None
            lon = float(row["longitude"]) if row["longitude"] else None
            site = f"{lat:.5f},{lon:.5f}" if lat is not None and lon is not None else ""
            stations.append(
                StationPoint(
                    id=n,
                    code=row["polling_unit_code"],
                    name=row["polling_unit"],
                    lat=lat,
                    lon=lon,
                    region=row["state_code"],
                    area_name=row["ward"].strip(),
                    site=site,
                )
            )
    return stations


def make_teams(stations: list[StationPoint], count: int, seed: int) -> list[TeamBase]:
    """Bases at the coordinates of seeded random stations inside Nigeria's bounding box."""
    located = [s for s in stations if s.lat is not None and 4 < s.lat < 14 and 2 < s.lon < 15]
    picks = random.Random(seed).sample(located, count)
    return [TeamBase(id=i, code=f"T{i:03d}", lat=s.lat, lon=s.lon) for i, s in enumerate(picks, 1)]


def summary(name: str, result, greedy_km: float | None = None) -> dict:
    planned = sum(len(r.stops) for r in result.routes.values())
    per_station = result.travel_km / planned if planned else 0.0
    saved = f"{1 - result.travel_km / greedy_km:6.1%} less than greedy" if greedy_km else ""
    print(
        f"  {name:<24} {result.seconds:6.1f} s {result.travel_km:8.0f} km {planned:5d} stations "
        f"{per_station:5.2f} km/station {len(result.problems):3d} problems  {saved}"
    )
    return {"seconds": result.seconds, "road_km": result.travel_km, "stations": planned}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--teams", type=int, default=150)
    parser.add_argument("--per-team", type=int, default=10)
    parser.add_argument("--radius", type=float, default=60.0)
    parser.add_argument("--seeds", default="7", help="comma-separated team-base seeds")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--show-problems", action="store_true")
    args = parser.parse_args()

    stations = load_stations(args.file)
    print(
        f"{len(stations)} stations, {args.teams} teams, {args.per_team} per team, "
        f"radius {args.radius:g} km, time budget {args.time_limit:g} s"
    )
    for seed in [int(s) for s in args.seeds.split(",")]:
        teams = make_teams(stations, args.teams, seed)
        options = PlanOptions(
            stations_per_team=args.per_team,
            max_radius_km=args.radius,
            seed=seed,
            time_limit_s=args.time_limit,
        )
        print(f"seed {seed}:")
        greedy = plan_greedy(stations, teams, options)
        like = plan_purposive(stations, teams, replace(options, region_weighting="none"))
        covered = plan_purposive(stations, teams, options)
        summary("greedy", greedy)
        summary("solver, no region targets", like, greedy.travel_km)
        summary("solver, region targets", covered, greedy.travel_km)
        if args.show_problems:
            for line in covered.problems:
                print("    ", line[:160])


if __name__ == "__main__":
    main()
