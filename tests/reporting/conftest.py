"""The election-day report's mission, shared by the PDF, download and CLI tests."""

from datetime import UTC, datetime

import pytest

from tests.reporting.pdf.test_election_day import HOSTILE


def square(lon: float, lat: float) -> dict:
    ring = [[lon, lat], [lon + 1, lat], [lon + 1, lat + 1], [lon, lat + 1], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def world(db, mission_factory, incident_factory):
    from observer_suite.models import Area
    from tests.reporting.stats_world import add_incidents, build_world

    mission, _plan, _teams, stations = build_world(db, mission_factory)
    add_incidents(mission, stations, incident_factory)
    received = datetime(2027, 2, 25, 9, tzinfo=UTC)
    p2 = stations["P2"].id
    incident_factory(
        mission, "violence", severity="critical", title=HOSTILE, station_id=p2, received_at=received
    )
    for index, area in enumerate(db.session.query(Area).filter_by(mission_id=mission.id)):
        area.boundary = square(7 + index, 6 + index)
    db.session.commit()
    return mission
