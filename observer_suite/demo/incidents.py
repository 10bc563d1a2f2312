"""A few dozen incidents on the demo's published routes, so the incident list, the banner and
the incident map show something on first run. Deterministic; added once."""

import random
import uuid
from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from observer_suite.extensions import db
from observer_suite.incidents.taxonomy import categories
from observer_suite.models import (
    DeploymentPlan,
    Incident,
    IncidentStatus,
    IncidentStatusChange,
    Mission,
    PlanStatus,
    PlanStop,
    Severity,
)

COUNT = 60
TITLES = {
    "ballot_stuffing": "Several ballots folded together in the box",
    "vote_buying": "Cash handed out near the queue",
    "voter_intimidation": "Group shouting at voters in the queue",
    "violence": "Scuffle at the entrance",
    "observer_obstruction": "Presiding officer refused the team entry",
    "missing_materials": "Indelible ink missing",
    "campaign_material": "Party posters on the station wall",
    "secrecy_breach": "Booth faces the window",
    "unauthorised_persons": "Security agents inside the station",
    "result_manipulation": "Protocol figures changed after the count",
    "team_security": "Road blocked, team turned back",
    "other": "Power cut during the count",
}
SEVERITY_WEIGHTS = [(Severity.LOW, 4), (Severity.MEDIUM, 4), (Severity.HIGH, 2)]
SEVERITY_WEIGHTS.append((Severity.CRITICAL, 1))


def add_incidents(mission: Mission, echo: Callable[[str], object]) -> None:
    """Incidents at stations of the published plan, spread over election day."""
    have = db.session.scalar(
        select(func.count(Incident.id)).where(Incident.mission_id == mission.id)
    )
    if have:
        echo(f"Incidents: {have} exist")
        return
    plan = db.session.scalar(
        select(DeploymentPlan).where(
            DeploymentPlan.mission_id == mission.id, DeploymentPlan.status == PlanStatus.PUBLISHED
        )
    )
    if plan is None:
        return
    stops = db.session.execute(
        select(PlanStop.team_id, PlanStop.station_id)
        .where(PlanStop.plan_id == plan.id)
        .order_by(PlanStop.id)
    ).all()
    rng = random.Random(2027)
    by_code = {c.code: c for c in categories(mission)}
    zone = ZoneInfo(mission.timezone or "UTC")
    day = datetime.combine(mission.election_date, time(7, 0), tzinfo=zone)
    severities = [s for s, w in SEVERITY_WEIGHTS for _ in range(w)]
    for index in range(COUNT):
        team_id, station_id = rng.choice(stops)
        code = rng.choice(list(TITLES))
        severity = rng.choice(severities)
        status = IncidentStatus.REPORTED if index % 3 else IncidentStatus.VERIFIED
        incident = Incident(
            uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            mission_id=mission.id,
            category_id=by_code[code].id,
            severity=severity,
            status=status,
            occurred_at=day + timedelta(minutes=rng.randrange(0, 13 * 60)),
            station_id=station_id,
            title=TITLES[code],
            description="Demo incident.",
            team_id=team_id,
            content_hash="demo",
        )
        incident.history = [IncidentStatusChange(new_status="reported", comment="Demo")]
        if status == IncidentStatus.VERIFIED:
            incident.history.append(
                IncidentStatusChange(
                    username="coordinator",
                    old_status="reported",
                    new_status="verified",
                    comment="Confirmed by phone with the team",
                )
            )
        db.session.add(incident)
    db.session.flush()
    echo(f"Incidents: {COUNT} added")
