"""Sustained POST /api/v1/submissions under gunicorn on PostgreSQL, next to a bare insert.

Why: on election day every team uploads its checklists within the same hour or two, tablets
retry in bursts when the network comes back, and the submission path does real work (auth,
replay check, team rules, validation, checks). It should keep at least 60% of the
throughput of a Flask endpoint that only inserts one row into the same database.

    .venv/bin/python benchmarks/ingest.py [--clients 50] [--requests 4000] [--rounds 2]
                                          [--workers 4] [--threads 4] [--postgres-url URL]

A fresh PostgreSQL database is created and dropped afterwards. Two gunicorn servers (same
settings) run on loopback: the suite (bearer token, the standard counting form, an observer
submitting for stations of their team's published route) and a tiny Flask app in this file.
Rounds alternate between them; each is a fixed number of requests from `--clients` threads
with keep-alive connections, after a warm-up.
"""

import argparse
import contextlib
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
STATIONS = 40  # 10 on the team's route, the rest on nobody's
ANSWERS = {
    "arrival_time": "17:40",
    "closed_on_time": "yes",
    "queue_at_closing": "no",
    "unused_ballots_cancelled": "yes",
    "count_procedures_followed": "yes",
    "validity_consistent": "yes",
    "count_visible": "yes",
    "unauthorised_present": "no",
    "disputes": "no",
    "registered_voters": 480,
    "voters_voted": 312,
    "ballots_cast": 310,
    "invalid_ballots": 9,
    "votes_1": 160,
    "votes_2": 120,
    "votes_3": 21,
    "protocol_signed": "yes",
    "protocol_copies": "yes",
    "protocol_posted": "yes",
    "overall": "good",
    "departure_time": "21:05",
    "comments": "Calm count, party agents present.",
}


# --- the two apps gunicorn serves -------------------------------------------------------


def suite_app():
    """The Observer Suite as deployed, configured from the environment."""
    from observer_suite import create_app

    return create_app()


def bare_app():
    """A Flask endpoint that parses the JSON body and inserts it as one row, nothing else."""
    from flask import Flask, jsonify, request
    from sqlalchemy import create_engine, text

    from observer_suite.config import normalise_database_url

    app = Flask("bare")
    # The suite's engine options (config.py: pool_pre_ping), so both pay the same per checkout.
    engine = create_engine(normalise_database_url(os.environ["DATABASE_URL"]), pool_pre_ping=True)
    insert = text(
        "INSERT INTO bench_bare (uuid, body, received_at) "
        "VALUES (:uuid, CAST(:body AS json), now()) RETURNING id"
    )

    @app.post("/bare")
    def bare():
        body = request.get_json()
        with engine.begin() as conn:
            new_id = conn.execute(
                insert, {"uuid": body["uuid"], "body": json.dumps(body)}
            ).scalar_one()
        return jsonify(id=new_id, uuid=body["uuid"], status="created"), 201

    @app.get("/healthz")
    def healthz():
        return "ok"

    return app


# --- setting up ---------------------------------------------------------------------------


def seed(url: str) -> dict:
    """Schema, a mission with stations, a team with a published route, the standard forms,
    and a bearer token for one of the team's observers."""
    from datetime import UTC, date, datetime

    from sqlalchemy import text

    from observer_suite import create_app
    from observer_suite.auth.services import create_user
    from observer_suite.auth.tokens import issue
    from observer_suite.checklists.services import load_standard_forms
    from observer_suite.extensions import db
    from observer_suite.missions.services import create_mission
    from observer_suite.models import (
        Area,
        DeploymentPlan,
        MemberRole,
        Observer,
        ObserverRole,
        PlanMode,
        PlanStatus,
        PlanStop,
        PollingStation,
        StopKind,
        Team,
        TeamKind,
        TeamMember,
    )

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()
        db.session.execute(
            text(
                "CREATE TABLE bench_bare (id serial PRIMARY KEY, uuid varchar(36) UNIQUE, "
                "body json, received_at timestamptz)"
            )
        )
        mission = create_mission(
            slug="bench", name="Bench", country="NG", election_date=date(2027, 2, 25),
            levels="region,district",
        )  # fmt: skip
        region = Area(mission_id=mission.id, level=0, name="North", code="N", path="N")
        db.session.add(region)
        db.session.flush()
        stations = [
            PollingStation(
                mission_id=mission.id,
                area_id=region.id,
                code=f"B{i:03d}",
                name=f"School {i}",
                registered_voters=500,
            )
            for i in range(STATIONS)
        ]
        people = [
            Observer(mission_id=mission.id, ref=f"o{i}", name=f"Obs {i}", role=ObserverRole.STO)
            for i in range(4)
        ]
        db.session.add_all(stations + people)
        db.session.flush()
        teams = [Team(mission_id=mission.id, code=f"T{t}", kind=TeamKind.STO) for t in (1, 2)]
        db.session.add_all(teams)
        db.session.flush()
        for i, person in enumerate(people):
            db.session.add(
                TeamMember(team_id=teams[i // 2].id, observer_id=person.id,
                           role=MemberRole.OBSERVER, position=i % 2)
            )  # fmt: skip
        plan = DeploymentPlan(
            mission_id=mission.id, name="E-day", election_day=date(2027, 2, 25),
            mode=PlanMode.PURPOSIVE, status=PlanStatus.PUBLISHED, published_at=datetime.now(UTC),
        )  # fmt: skip
        db.session.add(plan)
        db.session.flush()
        for t, team in enumerate(teams):  # T1: B000-B009, T2: B010-B019
            for k in range(10):
                db.session.add(
                    PlanStop(plan_id=plan.id, team_id=team.id,
                             station_id=stations[t * 10 + k].id, position=k + 1,
                             kind=StopKind.VISIT)
                )  # fmt: skip
        forms = {f.form_id: f for f in load_standard_forms(mission)}
        user = create_user("bench-observer", "bench-password-1", "observer", [mission], people[0])
        raw, _token = issue(user)
        db.session.commit()
        form = forms["std_closing_counting"]
        setup = {
            "token": raw,
            "form_id": form.form_id,
            "version": form.version,
            "codes": [s.code for s in stations[:10] + stations[20:]],
        }
        db.session.remove()
        db.engine.dispose()
    return setup


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(target: str, url: str, workers: int, threads: int):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "SESSION_COOKIE_SECURE": "0",
        "RATELIMIT_STORAGE_URI": "memory://",
        "PYTHONPATH": str(ROOT),
    }
    command = [
        sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
        "--backlog", "256", "--log-level", "warning", target,
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        for _ in range(300):  # up to 30 s to boot
            time.sleep(0.1)
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn {target} exited with {process.returncode}")
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    break
        else:
            raise RuntimeError(f"gunicorn {target} did not answer")
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- driving load -------------------------------------------------------------------------


def busy_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy (every process: servers, PostgreSQL and
    this load generator); None where /proc/stat is missing."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except OSError:
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def postgres_seconds() -> float:
    """CPU seconds used so far by the processes named postgres (0 where /proc is missing)."""
    total = 0
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                line = stat.read()
        except OSError:
            continue
        name = line[line.index("(") + 1 : line.rindex(")")]
        if name == "postgres":
            fields = line[line.rindex(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def drive(port: int, path: str, make_body, headers: dict, clients: int, total: int) -> dict:
    """`total` POSTs from `clients` keep-alive threads; throughput, latency percentiles and
    the machine's CPU time per request."""
    lock = threading.Lock()
    left = [total]
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, seen = [], {}
        while True:
            with lock:
                if left[0] <= 0:
                    break
                left[0] -= 1
            body = json.dumps(make_body())
            start = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status = 0
            mine.append(time.perf_counter() - start)
            seen[status] = seen.get(status, 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)
            for status, count in seen.items():
                statuses[status] = statuses.get(status, 0) + count

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    busy_before, postgres_before = busy_seconds(), postgres_seconds()
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    busy_after, postgres_after = busy_seconds(), postgres_seconds()
    latencies.sort()
    cpu = None if busy_before is None else (busy_after - busy_before) / len(latencies) * 1000
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "statuses": statuses,
        "cpu_ms": cpu,
        "postgres_ms": (postgres_after - postgres_before) / len(latencies) * 1000,
    }


def report(name: str, result: dict) -> str:
    cpu = ""
    if result["cpu_ms"] is not None:
        cpu = f"  CPU/req: machine {result['cpu_ms']:4.1f} ms"
        cpu += f", PostgreSQL {result['postgres_ms']:4.1f} ms"
    return (
        f"{name:12s} {result['rps']:8.1f} req/s  p50 {result['p50']:6.1f} ms  "
        f"p95 {result['p95']:6.1f} ms{cpu}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=4000, help="per side and round")
    parser.add_argument("--warmup", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    from tests.dbutil import fresh_database

    with fresh_database(args.postgres_url) as url:
        setup = seed(url)
        codes = setup["codes"]
        counter = iter(range(10**9))

        def submission() -> dict:
            return {
                "uuid": str(uuid.uuid4()),
                "form_id": setup["form_id"],
                "form_version": setup["version"],
                "station_code": codes[next(counter) % len(codes)],
                "arrived_at": "2027-02-25T17:40:00+01:00",
                "departed_at": "2027-02-25T21:05:00+01:00",
                "answers": ANSWERS,
            }

        plain = {"Content-Type": "application/json"}
        token = {**plain, "Authorization": f"Bearer {setup['token']}"}
        sides = {  # name: (gunicorn target, path, headers)
            "bare insert": ("benchmarks.ingest:bare_app()", "/bare", plain),
            "submissions": ("benchmarks.ingest:suite_app()", "/api/v1/submissions", token),
        }
        results: dict[str, list[dict]] = {name: [] for name in sides}
        with contextlib.ExitStack() as stack:
            ports = {
                name: stack.enter_context(gunicorn(target, url, args.workers, args.threads))
                for name, (target, _path, _headers) in sides.items()
            }
            for name, (_target, path, headers) in sides.items():
                drive(ports[name], path, submission, headers, args.clients, args.warmup)
            for round_number in range(1, args.rounds + 1):  # alternate, so drift hits both
                for name, (_target, path, headers) in sides.items():
                    result = drive(
                        ports[name], path, submission, headers, args.clients, args.requests
                    )
                    results[name].append(result)
                    print(f"round {round_number} {report(name, result)}  {result['statuses']}")
    print(
        f"\n{args.clients} clients; gunicorn {args.workers} workers x {args.threads} threads "
        f"(gthread) each; PostgreSQL; {args.requests} requests per side and round; "
        f"{os.cpu_count()} CPUs. Median of {args.rounds} rounds:"
    )
    median = {
        name: sorted(runs, key=lambda r: r["rps"])[len(runs) // 2] for name, runs in results.items()
    }
    for name, result in median.items():
        print(report(name, result))
    ratio = median["submissions"]["rps"] / median["bare insert"]["rps"]
    print(f"submissions / bare insert throughput: {ratio:.0%} (aim: at least 60%)")
    # Each round runs the two sides back to back, so its ratio is the least disturbed by a
    # shared machine speeding up or slowing down between rounds.
    rounds = zip(results["submissions"], results["bare insert"], strict=True)
    print("per round:", ", ".join(f"{s['rps'] / b['rps']:.0%}" for s, b in rounds))
    refused = sum(
        count
        for run in results["submissions"]
        for status, count in run["statuses"].items()
        if status not in (200, 201)
    )
    return 0 if refused == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
