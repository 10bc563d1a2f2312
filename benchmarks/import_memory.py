"""Peak memory and time of a 1,000,000-row polling-station import through the CLI.

Why: a country-sized file (India has over a million polling stations) must import without
the process growing to gigabytes; the import streams the file twice (check, then compare
and write in batches) instead of holding every row as Python objects. Each step runs
`observer-suite import stations` in its own subprocess against a throwaway database, and
its peak RSS is the kernel's ru_maxrss for that child (os.wait4; the largest of all
children, getrusage(RUSAGE_CHILDREN), is printed at the end).

    .venv/bin/python benchmarks/import_memory.py [--rows N] [--postgres-url URL] [--no-reimport]
"""

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from observer_suite import create_app  # noqa: E402
from observer_suite.extensions import db  # noqa: E402
from observer_suite.missions.services import create_mission  # noqa: E402
from tests.dbutil import fresh_database  # noqa: E402  (the same throwaway databases as the tests)

HEADER = ["state", "lga", "ward", "code", "name", "registered_voters", "latitude", "longitude"]


def write_csv(path: Path, rows: int) -> None:
    """37 states × 20 LGAs × 10 wards, the stations spread evenly over the wards."""
    wards = 37 * 20 * 10
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            ward = n % wards
            state, lga, ward_no = ward // 200, (ward // 10) % 20, ward % 10
            writer.writerow(
                [
                    f"State {state:02d}",
                    f"LGA {state:02d}-{lga:02d}",
                    f"Ward {state:02d}-{lga:02d}-{ward_no:02d}",
                    f"{state:02d}/{lga:02d}/{ward_no:02d}/{n // wards:04d}",
                    f"Polling unit {n} primary school",
                    200 + n % 800,
                    f"{4 + (n % 9000) / 1000:.6f}",
                    f"{3 + (n % 11000) / 1000:.6f}",
                ]
            )


def prepare(url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()
        create_mission(
            slug="bench",
            name="Bench",
            country="IN",
            election_date=date(2029, 4, 20),
            levels="state,lga,ward",
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def run_cli(url: str, path: Path, dry_run: bool) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, last output line) of one import in a child process."""
    command = [
        sys.executable,
        "-c",
        "from observer_suite.cli import main; main()",
        "--database-url",
        url,
        "import",
        "stations",
        str(path),
        "--mission",
        "bench",
    ] + (["--dry-run"] if dry_run else [])
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output, errors = out.read(), err.read()
    if child.returncode != 0:
        raise SystemExit(f"import failed ({child.returncode}):\n{errors[-2000:]}")
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return seconds, usage.ru_maxrss / 1024, lines[-1] if lines else ""  # KiB on Linux


def bench(label: str, base_url: str | None, path: Path, reimport: bool) -> list[tuple]:
    results = []
    with fresh_database(base_url) as url:
        prepare(url)
        steps = [("preview (dry run), empty DB", True), ("import into empty DB", False)]
        if reimport:
            steps.append(("re-import, no changes", False))
        for step, dry_run in steps:
            seconds, peak, summary = run_cli(url, path, dry_run)
            results.append((label, step, seconds, peak, summary))
            print(f"{label:10} {step:30} {seconds:7.1f} s  peak {peak:6.0f} MB  {summary}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres-url", help="Also run on this PostgreSQL server.")
    parser.add_argument("--no-reimport", action="store_true", help="Skip the re-import step.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "stations.csv"
        started = time.perf_counter()
        write_csv(path, args.rows)
        size = os.path.getsize(path) / 1024 / 1024
        seconds = time.perf_counter() - started
        print(f"{args.rows:,} rows, {size:.0f} MB, written in {seconds:.0f} s")
        bench("sqlite", None, path, not args.no_reimport)
        if args.postgres_url:
            bench("postgresql", args.postgres_url, path, not args.no_reimport)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"largest child (getrusage RUSAGE_CHILDREN ru_maxrss): {children:.0f} MB")


if __name__ == "__main__":
    main()
