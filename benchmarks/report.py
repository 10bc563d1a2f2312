"""The election-day PDF and the dashboard's stats endpoint at 5,000 and 50,000 observations.

Why: on election day a lead downloads the report again and again while data comes in, and the
dashboard refreshes the same numbers every few seconds; both must stay fast as observations
pile up (aim: the PDF under 5 s at 50,000 observations and 5,000 incidents, and growing
clearly slower than the data). Each case runs in its own process on a fresh throwaway
database (SQLite, and PostgreSQL when reachable): the demo mission is built, a day is
simulated with `simulate_election_day`, then timed: the report (median of --repeat runs,
split into the statistics and the rendering), its peak memory (tracemalloc, and the growth
of the process's peak RSS), and GET /api/v1/stats/indicators through the Flask test client,
logged in as the demo lead.

The demo election day lies in the future, so the cut-off is the morning after it (with
"now" nothing would count yet). The demo's 3,001 stations are enough: the statistics scan
observations and incidents, so 50,000 observations at 2,900 stations cost what they would at
more. "First run" is the first report of the process (fonts, modules, SQL caches); the peak
RSS growth is often ~0 because the report reuses memory the process already holds.

    .venv/bin/python benchmarks/report.py [--repeat 3] [--postgres-url URL] [--no-postgres]
                                          [--sizes 5000:500,50000:5000]
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from observer_suite.config import normalise_database_url  # noqa: E402
from tests.dbutil import DEFAULT_POSTGRES_URL, fresh_database  # noqa: E402

SIZES = [(5_000, 500), (50_000, 5_000)]
LEAD = ("lead", "demo-lead-2027")


def config(url: str) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "bench",
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAP_TILE_URL": "",
    }


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024  # kB
    raise OSError(key)


def reset_peak_rss() -> float | None:
    """Reset the kernel's peak-RSS mark (Linux ≥ 4.0) and return the current RSS in MB."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return _status_mb("VmRSS")
    except OSError:
        return None


def rss_growth(before: float | None) -> float | None:
    try:
        return None if before is None else _status_mb("VmHWM") - before
    except OSError:
        return None


def traced(mission, until) -> float:
    """Peak MB Python allocated while one report was built."""
    tracemalloc.start()
    try:
        timed_report(mission, until)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def timed_report(mission, until) -> tuple[float, float, int]:
    """(total s, statistics s, PDF bytes) of one report, split at the "statistics" stage."""
    from observer_suite.extensions import db
    from observer_suite.reporting.pdf.election_day import election_day_report

    marks = {}
    db.session.expire_all()
    started = time.perf_counter()
    pdf = election_day_report(
        mission, until=until, region=None, lang="en",
        progress=lambda stage: marks.setdefault(stage, time.perf_counter()),
    )  # fmt: skip
    total = time.perf_counter() - started
    return total, marks.get("statistics", started) - started, len(pdf)


def endpoint(app, until) -> tuple[float | None, int]:
    """Median seconds of GET /api/v1/stats/indicators as the lead (None when it is missing)."""
    client = app.test_client()
    response = client.post("/login", data={"username": LEAD[0], "password": LEAD[1]})
    assert response.status_code == 302, response.status_code
    url = f"/api/v1/stats/indicators?mission=demo&until={until.isoformat()}"
    seconds = []
    for _ in range(3):
        started = time.perf_counter()
        response = client.get(url.replace("+", "%2B"))
        seconds.append(time.perf_counter() - started)
        if response.status_code != 200:
            return None, response.status_code
    return statistics.median(seconds), 200


def one_case(url: str, observations: int, incidents: int, repeat: int) -> dict:
    """Build, simulate and measure in this process; returns the figures."""
    from observer_suite import create_app
    from observer_suite.demo import build_demo
    from observer_suite.demo.election_day import simulate_election_day
    from observer_suite.extensions import db
    from observer_suite.models import Mission

    app = create_app(config(url))
    result: dict = {"observations": observations, "incidents": incidents}
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        build_demo(echo=lambda _line: None)
        db.session.commit()
        result["build_s"] = time.perf_counter() - started
        mission = db.session.scalar(db.select(Mission).where(Mission.slug == "demo"))
        started = time.perf_counter()
        summary = simulate_election_day(mission, observations=observations, incidents=incidents)
        db.session.commit()
        result["simulate_s"] = time.perf_counter() - started
        result["stored"] = [summary.observations, summary.incidents]
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.execute(text("ANALYZE"))
                conn.commit()
        zone = ZoneInfo(mission.timezone)
        after = mission.election_date + timedelta(days=1)
        until = datetime.combine(after, clock_time(9, 0), tzinfo=zone)
        try:
            import observer_suite.reporting.statistics.compute  # noqa: F401
        except ImportError as exc:
            result["missing"] = str(exc)
            return result
        result["cold_s"], *_ = timed_report(mission, until)  # first: fonts, modules, caches
        runs = [timed_report(mission, until) for _ in range(repeat)]
        result["report_s"] = statistics.median(r[0] for r in runs)
        result["stats_s"] = statistics.median(r[1] for r in runs)
        result["render_s"] = statistics.median(r[0] - r[1] for r in runs)
        result["pdf_bytes"] = runs[-1][2]
        before = reset_peak_rss()
        timed_report(mission, until)
        result["rss_growth_mb"] = rss_growth(before)
        result["rss_peak_mb"] = None if before is None else before + result["rss_growth_mb"]
        result["peak_mb"] = traced(mission, until)
        db.session.remove()
        result["endpoint_s"], result["endpoint_status"] = endpoint(app, until)
        db.session.remove()
        db.engine.dispose()
    return result


def child(args) -> None:
    with fresh_database(args.base_url) as url:
        figures = one_case(url, args.observations, args.incidents, args.repeat)
    print(json.dumps(figures))


def run_case(base_url: str, observations: int, incidents: int, repeat: int) -> dict:
    command = [sys.executable, __file__, "--child", "--base-url", base_url,
               "--observations", str(observations), "--incidents", str(incidents),
               "--repeat", str(repeat)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"case {observations:,} on {base_url or 'SQLite'} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def reachable(url: str) -> bool:
    try:
        engine = create_engine(normalise_database_url(url))
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:  # any failure means "not here"
        return False


def cell(key: str, value) -> str:
    if value is None:
        return "—"
    return f"{value:.1f} MB" if key.endswith("_mb") else f"{value:.3f} s"


def table(name: str, cases: list[dict]) -> None:
    small, large = cases[0], cases[-1]
    factor = large["observations"] / small["observations"]
    print(f"\n{name}: demo mission (3,001 stations, 60 teams), median of the report runs")
    header = "".join(f"{c['observations']:,} obs, {c['incidents']:,} inc".rjust(22) for c in cases)
    print(f"{'':34}{header}{'growth':>12}  (data {factor:.0f}×)")
    rows = [
        ("simulate the day, commit included", "simulate_s"),
        ("election-day PDF, first run", "cold_s"),
        ("election-day PDF, wall time", "report_s"),
        ("  of which statistics", "stats_s"),
        ("  of which rendering", "render_s"),
        ("  peak Python memory (tracemalloc)", "peak_mb"),
        ("  peak RSS of the process", "rss_peak_mb"),
        ("  peak RSS above the RSS before", "rss_growth_mb"),
        ("stats endpoint (dashboard refresh)", "endpoint_s"),
    ]
    for label, key in rows:
        values = [c.get(key) for c in cases]
        cells = "".join(f"{cell(key, v):>22}" for v in values)
        growth = (
            f"{values[-1] / values[0]:>11.1f}×"
            if all(isinstance(v, float) and v > 0.05 for v in values)
            else f"{'—':>12}"
        )
        print(f"{label:34}{cells}{growth}")
    if "missing" in large:
        print(f"  report not measured: {large['missing']}")
    if large.get("endpoint_status") not in (None, 200):
        print(f"  stats endpoint answered {large['endpoint_status']}")
    print(f"  PDF size {small.get('pdf_bytes', 0):,} B → {large.get('pdf_bytes', 0):,} B")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--sizes", help="observations:incidents,… (default 5000:500,50000:5000)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--observations", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--incidents", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    sizes = SIZES
    if args.sizes:
        sizes = [tuple(int(n) for n in pair.split(":")) for pair in args.sizes.split(",")]
    backends = [("SQLite", "")]
    if not args.no_postgres:
        if reachable(args.postgres_url):
            backends.append(("PostgreSQL", args.postgres_url))
        else:
            print(f"PostgreSQL not reachable at {args.postgres_url}: SQLite only")
    for name, base in backends:
        cases = [run_case(base, obs, inc, args.repeat) for obs, inc in sizes]
        table(name, cases)


if __name__ == "__main__":
    main()
