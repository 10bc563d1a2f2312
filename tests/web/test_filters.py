"""Times on plan and settings pages are in the mission's zone, with the zone named."""

from datetime import UTC, datetime
from types import SimpleNamespace

from observer_suite.web.filters import mission_time


def test_mission_time_names_the_zone_and_survives_bad_rows():
    lagos = SimpleNamespace(timezone="Africa/Lagos")
    moment = datetime(2027, 2, 25, 6, 30, tzinfo=UTC)
    assert mission_time(moment, lagos) == "2027-02-25 07:30 (Africa/Lagos)"
    assert mission_time(moment.replace(tzinfo=None), lagos) == "2027-02-25 07:30 (Africa/Lagos)"
    assert mission_time(datetime(9999, 12, 31, 23, 0), lagos) == "invalid date"
    assert mission_time(None, lagos) == "–"
    assert mission_time(moment, SimpleNamespace(timezone="Nowhere/Else")).endswith("(UTC)")


def test_plan_pages_show_times_in_the_mission_zone(field, login):
    client = login(field.users.coordinator)
    index = client.get("/missions/field/plans/").get_data(as_text=True)
    zone = field.mission.timezone or "UTC"
    assert f"({zone})" in index
    page = client.get(f"/missions/field/plans/{field.plan.id}").get_data(as_text=True)
    assert "published" in page and f"({zone})" in page
