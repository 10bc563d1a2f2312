"""Incident fixtures: the `field` mission of tests/api (two regions, six stations, teams
T01 and T02, one user per role) with three incidents the coordinator pages work on."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest


@pytest.fixture
def stored(field, incident_factory):
    """shots: critical, reported, S001/T01, 09:30 UTC; cash: verified, S004/T02, 11:00;
    ink: low, reported, GPS only, no team, 07:00."""
    s, u = field.stations, field.users
    return SimpleNamespace(
        shots=incident_factory(
            field.mission,
            "violence",
            severity="critical",
            title="Shots fired near the school",
            description="Voters ran away; the queue is gone.",
            station_id=s["S001"].id,
            team_id=field.t1.id,
            reported_by=u.obs1.id,
            occurred_at=datetime(2027, 2, 25, 9, 30, tzinfo=UTC),
        ),
        cash=incident_factory(
            field.mission,
            "vote_buying",
            severity="medium",
            status="verified",
            title="Cash handed out in the queue",
            description="Agents of party X pay 500 naira per vote (50% upfront).",
            station_id=s["S004"].id,
            team_id=field.t2.id,
            reported_by=u.obs2.id,
            occurred_at=datetime(2027, 2, 25, 11, 0, tzinfo=UTC),
        ),
        ink=incident_factory(
            field.mission,
            "missing_materials",
            severity="low",
            title="No indelible ink",
            latitude=6.5,
            longitude=7.25,
            occurred_at=datetime(2027, 2, 25, 7, 0, tzinfo=UTC),
        ),
    )
