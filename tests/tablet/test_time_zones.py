"""Times on the tablet are the mission's clock, whatever zone the device is set to."""

import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from observer_suite.models import Incident, Observation
from tests.conftest import REPO
from tests.tablet.test_incident_offline import _wait_for_rows
from tests.tablet.test_offline import answer, open_checklist, open_tablet

LAGOS = ZoneInfo("Africa/Lagos")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite: naive UTC


@pytest.mark.browser
@pytest.mark.parametrize("device_zone", ["America/New_York", "Asia/Tokyo"])
def test_times_typed_on_a_tablet_in_another_zone_are_the_missions(
    live_server, browser, field_mission, db, device_zone
):
    from playwright.sync_api import expect

    assert field_mission.mission.timezone == "Africa/Lagos"
    code = field_mission.route[0]
    days = {datetime.now(LAGOS).date()}
    context, page = open_tablet(browser, live_server, 768, 1024, timezone_id=device_zone)
    expect(page.locator("#mission-zone")).to_contain_text("Africa/Lagos")

    # A checklist: arrival 07:30, departure 08:10 on the mission's clock.
    open_checklist(page, code)
    expect(page.locator("label[for=time-arrived]")).to_have_text("Arrival time (Africa/Lagos)")
    expect(page.locator("label[for=time-departed]")).to_have_text("Departure time (Africa/Lagos)")
    answer(page, "opened_on_time", "Yes")
    page.fill("#time-arrived", "07:30")
    page.fill("#time-departed", "08:10")
    page.click("#submit-form")
    _wait_for_rows(page, db, Observation, 1)

    # An incident at 09:15 on election day.
    page.click("a[href='#/']")
    page.click("#report-incident")
    expect(page.locator("label[for=incident-time]")).to_contain_text("(Africa/Lagos)")
    page.select_option("#incident-category", "voter_intimidation")
    page.click("label[for=incident-severity-high]")
    page.fill("#incident-time", "2027-02-25T09:15")
    page.select_option("#incident-station", code)
    page.fill("#incident-title", "Agents at the door")
    page.click("#incident-send")
    _wait_for_rows(page, db, Incident, 1)
    days.add(datetime.now(LAGOS).date())

    db.session.expire_all()
    row = db.session.query(Observation).one()
    arrived = _aware(row.arrived_at).astimezone(LAGOS)
    departed = _aware(row.departed_at).astimezone(LAGOS)
    assert arrived.strftime("%H:%M") == "07:30" and arrived.date() in days
    assert departed - arrived == timedelta(minutes=40)
    incident = db.session.query(Incident).one()
    occurred = _aware(incident.occurred_at)
    assert occurred == datetime(2027, 2, 25, 8, 15, tzinfo=UTC)  # 09:15 in Lagos (UTC+1)

    # Shown back in the mission's zone, the zone named (not 3:15 AM New York, 5:15 PM Tokyo).
    page.click("a[href='#/']")
    page.click("#my-incidents-link")
    sent = page.locator("#incidents-sent li")
    expect(sent).to_have_count(1)
    expect(sent).to_contain_text("9:15")
    expect(sent).to_contain_text("(Africa/Lagos)")
    context.close()


def test_wall_clock_to_instant_across_daylight_saving():
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs Node")
    script = Path(__file__).with_name("tz_cases.mjs")
    result = subprocess.run(
        [node, str(script), str(REPO)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
