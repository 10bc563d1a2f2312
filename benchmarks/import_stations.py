"""Time the polling-station import of the Nigeria file on SQLite and PostgreSQL.

Why: the import must stay a matter of seconds for a real country (15,000 stations), which
only holds while it writes with executemany rather than one ORM object per row.

    .venv/bin/python benchmarks/import_stations.py [--postgres-url URL] [--no-postgres]

Each backend gets a fresh, throwaway database that is dropped afterwards.
"""

import argparse
import csv
import io
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from observer_suite import create_app  # noqa: E402
from observer_suite.extensions import db  # noqa: E402
from observer_suite.imports import run_import  # noqa: E402
from observer_suite.missions.services import create_mission  # noqa: E402
from tests.dbutil import fresh_database  # noqa: E402  (the same throwaway databases as the tests)

DEFAULT_FILE = ROOT.parent / "shared" / "data" / "ng-polling-units.csv"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def renamed(data: bytes) -> bytes:
    """The same file with every station renamed, so re-importing it updates every row."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    column = rows[0].index("polling_unit")
    for row in rows[1:]:
        row[column] += " (moved)"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def timed(mission, data: bytes, filename: str, dry_run: bool) -> tuple[float, str]:
    started = time.perf_counter()
    result = run_import("stations", mission, data, filename, dry_run=dry_run)
    if result.ok and not dry_run:
        db.session.commit()
    else:
        db.session.rollback()
    elapsed = time.perf_counter() - started
    if not result.ok:
        raise SystemExit("\n".join(result.error_lines()[:20]))
    return elapsed, result.summary_lines()[0]


def bench(url: str, data: bytes, filename: str) -> list[tuple[str, float, str]]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()
        mission = create_mission(
            slug="bench",
            name="Bench",
            country="NG",
            election_date=date(2027, 2, 20),
            levels="state,lga,ward",
        )
        db.session.commit()
        steps = [
            ("preview (dry run), empty DB", data, True),
            ("import into empty DB", data, False),
            ("re-import, no changes", data, False),
            ("import, every station renamed", renamed(data), False),
        ]
        timings = []
        for label, payload, dry_run in steps:
            seconds, summary = timed(mission, payload, filename, dry_run)
            timings.append((label, seconds, summary))
        db.session.remove()
        db.engine.dispose()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    if not args.file.exists():
        raise SystemExit(f"{args.file} not found")
    data = args.file.read_bytes()
    results: dict[str, list] = {}
    with fresh_database("") as url:
        results["sqlite"] = bench(url, data, args.file.name)
    if not args.no_postgres:
        with fresh_database(args.postgres_url) as url:
            results["postgresql"] = bench(url, data, args.file.name)
    backends = list(results)
    first = results[backends[0]]
    print(f"{args.file.name}, {len(data):,} bytes")
    print(f"{'step':34}" + "".join(f"{name:>12}" for name in backends))
    for index, (label, _, _) in enumerate(first):
        seconds = "".join(f"{results[name][index][1]:>11.2f}s" for name in backends)
        print(f"{label:34}{seconds}")
    for label, _, summary in first:
        print(f"  {label}: {summary}")


if __name__ == "__main__":
    main()
