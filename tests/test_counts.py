"""One truth for every number: on the demo day, the demo's printed counts, the dashboard, the
incident list and its critical banner, the election-day PDF, the stats API and the AoR page
agree on observations, incidents and critical incidents, and say what they leave out."""

import io
import re
from collections import defaultdict

import pypdf
import pytest
from sqlalchemy import select

from observer_suite.models import (
    Area,
    DeploymentPlan,
    Incident,
    IncidentStatus,
    Observation,
    PlanStatus,
    PlanStop,
    PollingStation,
    ReviewStatus,
    Severity,
    Team,
    TeamKind,
)
from tests.conftest import csrf_token


@pytest.fixture
def demo_day(demo_day, client):
    """The demo with its day simulated through the CLI (built once per worker, see
    conftest.demo_day_template; this test's own copy), the client logged in as its coordinator."""
    response = client.post(
        "/login",
        data={
            "username": "coordinator",
            "password": "demo-coordinator-2027",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302
    return demo_day.mission, demo_day.output


def expected_counts(db, mission) -> dict:
    """Counted by hand from the rows: not rejected counts, rejected is left out."""
    incidents = db.session.scalars(select(Incident).where(Incident.mission_id == mission.id))
    observations = db.session.scalars(
        select(Observation).where(Observation.mission_id == mission.id)
    ).all()
    out = defaultdict(int)
    for i in incidents:
        rejected = i.status == IncidentStatus.REJECTED
        critical = i.severity == Severity.CRITICAL
        out["incidents_rejected" if rejected else "incidents"] += 1
        if critical:
            out["critical_rejected" if rejected else "critical_incidents"] += 1
            out["critical_awaiting"] += i.status == IncidentStatus.REPORTED
    for o in observations:
        rejected = o.review_status == ReviewStatus.REJECTED
        out["observations_rejected" if rejected else "observations"] += 1
    return dict(out)


def noted(n: int, singular: str, plural: str, rejected: int) -> str:
    """The figure as every page words it: "70 critical incidents, 5 rejected not counted"."""
    text = f"{n:,} {singular if n == 1 else plural}"
    return f"{text}, {rejected:,} rejected not counted" if rejected else text


def figure(html: str, key: str) -> int:
    found = re.search(rf'data-figure="{key}">([\d,]+)<', html)
    assert found, key
    return int(found.group(1).replace(",", ""))


def test_every_page_counts_the_same_on_the_demo_day(demo_day, db, client):
    mission, printed = demo_day
    want = expected_counts(db, mission)
    # the demo leaves something out, so every caveat is exercised
    assert want["incidents_rejected"] and want["critical_rejected"]
    assert want["observations_rejected"]
    notes = {
        "observations": noted(
            want["observations"], "observation", "observations", want["observations_rejected"]
        ),
        "incidents": noted(want["incidents"], "incident", "incidents", want["incidents_rejected"]),
        "critical_incidents": noted(
            want["critical_incidents"],
            "critical incident",
            "critical incidents",
            want["critical_rejected"],
        ),
    }
    assert notes["critical_incidents"] == (
        f"{want['critical_incidents']} critical incidents, "
        f"{want['critical_rejected']} rejected not counted"
    )

    # the demo's printed summary
    line = next(x for x in printed.splitlines() if x.startswith("The dashboard, incident list"))
    for text in notes.values():
        assert text in line
    assert f"({want['critical_awaiting']} awaiting verification)" in line

    # the stats API
    api = client.get("/api/v1/stats/indicators?mission=demo")
    assert api.status_code == 200
    body = api.get_json()
    counts = body["counts"]
    assert {k: counts[k] for k in want} == want
    assert counts["notes"] == notes
    assert body["incidents"]["total"] == want["incidents"]
    assert body["coverage"]["observations"] == want["observations"]
    assert len(body["incidents"]["critical"]) == want["critical_incidents"]
    column = body["incidents"]["severities"].index("critical")
    assert sum(row[column] for row in body["incidents"]["counts"]) == want["critical_incidents"]

    # the dashboard, with what each figure leaves out
    dashboard = client.get("/missions/demo/dashboard")
    assert dashboard.status_code == 200
    html = dashboard.get_data(as_text=True)
    for key in ("observations", "incidents", "critical_incidents"):
        assert figure(html, key) == want[key]
    for key, rejected in (
        ("observations", "observations_rejected"),
        ("incidents", "incidents_rejected"),
        ("critical_incidents", "critical_rejected"),
    ):
        assert f'data-left-out="{key}">{want[rejected]} rejected not counted<' in html

    # the incident list: its count line, the critical banner, and the rows it lists
    listing = client.get("/missions/demo/incidents/").get_data(as_text=True)
    assert notes["incidents"] in listing and notes["critical_incidents"] in listing
    everything = want["incidents"] + want["incidents_rejected"]
    assert f'data-count="listed">{everything}</span> incidents, rejected ones included' in listing
    assert f"{want['critical_awaiting']} critical incidents awaiting verification" in listing
    assert f"of {notes['critical_incidents']}" in listing
    critical = client.get("/missions/demo/incidents/?severity=critical").get_data(as_text=True)
    listed = want["critical_incidents"] + want["critical_rejected"]
    assert f'data-count="listed">{listed}</span>' in critical
    rejected = client.get("/missions/demo/incidents/?severity=critical&status=rejected").get_data(
        as_text=True
    )
    assert f'data-count="listed">{want["critical_rejected"]}</span>' in rejected

    # the election-day PDF's key figures
    pdf = client.get("/missions/demo/reports/election-day.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert re.search(rf"\b{want['observations']:,}\s+observations\b", text)
    assert re.search(
        rf"\b{want['incidents']:,}\s+incidents \({want['critical_incidents']:,} critical\)", text
    )
    # ... and says what it leaves out
    flat = " ".join(text.split())
    assert (
        f"rejected in review or triage: {want['observations_rejected']:,} observations, "
        f"{want['incidents_rejected']:,} incidents ({want['critical_rejected']:,} critical)"
    ) in flat

    # same demo day (built once): the areas-of-responsibility page
    check_areas_page_counts_sto_teams_deployed_by_the_published_plan(db, client, mission)


def check_areas_page_counts_sto_teams_deployed_by_the_published_plan(db, client, mission):
    """The AoR page (by region): STO teams with a stop in the region in the published plan."""
    plan = db.session.scalar(
        select(DeploymentPlan).where(
            DeploymentPlan.mission_id == mission.id, DeploymentPlan.status == PlanStatus.PUBLISHED
        )
    )
    assert plan is not None
    regions = dict(
        db.session.execute(
            select(Area.path, Area.id).where(Area.mission_id == mission.id, Area.level == 0)
        ).all()
    )
    teams = defaultdict(set)
    for team_id, path in db.session.execute(
        select(PlanStop.team_id, Area.path)
        .join(PollingStation, PollingStation.id == PlanStop.station_id)
        .join(Area, Area.id == PollingStation.area_id)
        .join(Team, Team.id == PlanStop.team_id)
        .where(PlanStop.plan_id == plan.id, Team.kind == TeamKind.STO)
    ):
        region = next(rid for rpath, rid in regions.items() if path.startswith(rpath))
        teams[region].add(team_id)
    assert len(teams) == len(regions) and all(teams.values())

    html = client.get("/missions/demo/teams/areas?level=0").get_data(as_text=True)
    for region_id in regions.values():
        row = re.search(rf'<tr id="area-{region_id}">(.*?)</tr>', html, re.S)
        assert row, region_id
        cell = re.search(r'data-label="STO teams deployed">(\d+)<', row.group(1))
        assert cell and int(cell.group(1)) == len(teams[region_id])
