"""Benchmark the purposive planner against the greedy baseline on the Nigeria polling units.

Why: the solver plan must stay fast for a real mission (150 teams, a whole country's stations)
and must clearly beat the obvious greedy plan on road km, or it is not worth its complexity.

    .venv/bin/python benchmarks/plan.py [--teams 150] [--per-team 10] [--radius 60] [--seed 7]
"""

import argparse
import csv
import random
import sys
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


def summary(name: str, result) -> dict:
    planned = sum(len(r.stops) for r in result.routes.values())
    row = {
        "planner": name,
        "seconds": result.seconds,
        "road_km": result.travel_km,
        "stations": planned,
        "km_per_station": result.travel_km / planned if planned else 0.0,
        "problems": len(result.problems),
    }
    print(
        f"{name:<10} {row['seconds']:8.1f} s {row['road_km']:10.0f} km {planned:6d} stations "
        f"{row['km_per_station']:6.2f} km/station {row['problems']:4d} problems"
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--teams", type=int, default=150)
    parser.add_argument("--per-team", type=int, default=10)
    parser.add_argument("--radius", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--show-problems", action="store_true")
    args = parser.parse_args()

    stations = load_stations(args.file)
    teams = make_teams(stations, args.teams, args.seed)
    options = PlanOptions(
        stations_per_team=args.per_team,
        max_radius_km=args.radius,
        seed=args.seed,
        time_limit_s=args.time_limit,
    )
    print(
        f"{len(stations)} stations, {len(teams)} teams, {args.per_team} per team, "
        f"radius {args.radius:g} km"
    )
    solver = summary("solver", plan_purposive(stations, teams, options))
    greedy = summary("greedy", plan_greedy(stations, teams, options))
    if greedy["road_km"]:
        saved = 1 - solver["road_km"] / greedy["road_km"]
        per_station = 1 - solver["km_per_station"] / greedy["km_per_station"]
        print(f"travel saved: {saved:.1%} total, {per_station:.1%} per planned station")


if __name__ == "__main__":
    main()
