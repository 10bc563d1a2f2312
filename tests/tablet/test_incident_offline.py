"""Incidents from the tablet in Chromium: reported offline, kept through a reload, sent once;
raised in one tap from a critical answer and linked to its checklist; placed by GPS."""

import io
import time

import pytest

from observer_suite.models import Incident, IncidentPhoto, Observation
from tests.tablet.test_offline import answer, open_checklist, open_tablet

pytestmark = pytest.mark.browser


def _camera_photo() -> bytes:
    """A 3200×2400 PNG, as large as a camera's: the tablet must shrink it to 1600 px."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (3200, 2400), (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def _wait_for_rows(page, db, model, count: int, seconds: float = 10) -> None:
    """Poll the database; waiting through Playwright lets it run route handlers meanwhile."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.expire_all()
        if db.session.query(model).count() >= count:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"no {model.__name__} row after {seconds}s")


def test_offline_incident_waits_in_outbox_then_is_stored_once(
    live_server, browser, field_mission, db
):
    from PIL import Image
    from playwright.sync_api import expect

    code = field_mission.route[0]
    context, page = open_tablet(browser, live_server, 768, 1024, timezone_id="Africa/Lagos")
    badge = page.locator("#outbox-badge")
    context.set_offline(True)
    expect(page.locator("#net-status")).to_have_attribute("data-state", "offline")

    page.click(f"#my-stations a[data-code='{code}']")
    page.click("#report-incident")
    form = page.locator("#incident-form")
    expect(form).to_be_visible()
    expect(page.locator("#incident-station")).to_have_value(code)  # preselected
    page.click("#incident-send")  # nothing chosen yet: refused, with the reasons
    expect(page.locator("#incident-errors")).to_contain_text("3 fields need attention")
    expect(badge).to_have_text("0")

    page.click("#lang-switch")  # French labels, the draft kept
    expect(page.locator("label[for=incident-category]")).to_have_text("Catégorie")
    page.click("#lang-switch")
    expect(page.locator("label[for=incident-category]")).to_have_text("Category")
    page.select_option("#incident-category", "voter_intimidation")
    page.click("label[for=incident-severity-high]")
    page.fill("#incident-time", "2027-02-25T09:15")
    page.fill("#incident-title", "Party agents at the door")
    page.fill("#incident-description", "Two agents ask voters\nwhom they support.")
    photo = {"name": "door.png", "mimeType": "image/png", "buffer": _camera_photo()}
    page.set_input_files("#incident-photos", files=[photo])
    expect(page.locator("#incident-photo-list img")).to_have_count(1)
    box = page.locator("#incident-send").bounding_box()
    assert box["height"] >= 44
    page.click("#incident-send")
    expect(page.locator(".tb-flash")).to_contain_text("Incident saved in the outbox")
    expect(badge).to_have_text("1")

    # The outbox survives a reload with no network.
    page.reload()
    page.wait_for_selector("body[data-ready='1']", state="attached")
    expect(badge).to_have_text("1")
    page.click("#outbox-link")
    item = page.locator("#outbox-items li[data-kind='incident']")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Party agents at the door")
    uuid = item.get_attribute("data-uuid")

    # Back online, the first answer is lost on the way: the server stored the incident but
    # the tablet never heard, so it keeps the item and sends it again later.
    def lose_the_answer(route):
        route.fetch()
        route.abort("connectionreset")

    context.route("**/api/v1/incidents*", lose_the_answer)
    context.set_offline(False)
    _wait_for_rows(page, db, Incident, 1)
    expect(item.locator(".muted")).to_contain_text("1 attempt")
    expect(badge).to_have_text("1")
    context.unroute("**/api/v1/incidents*")
    page.click("#sync-now")  # the same uuid and content again: the server answers 200
    expect(badge).to_have_text("0")
    page.click("#sync-now")
    expect(page.locator("#outbox-empty")).to_be_visible()

    db.session.expire_all()
    stored = db.session.query(Incident).one()
    assert stored.uuid == uuid
    assert stored.category.code == "voter_intimidation" and stored.severity.value == "high"
    assert stored.station.code == code and stored.team_id == field_mission.team.id
    assert stored.occurred_at.strftime("%Y-%m-%d %H:%M") == "2027-02-25 08:15"  # Lagos → UTC
    assert stored.title == "Party agents at the door"
    assert stored.description == "Two agents ask voters\nwhom they support."
    assert stored.observation_id is None and stored.latitude is None
    photo_row = db.session.query(IncidentPhoto).one()
    assert photo_row.content_type == "image/jpeg" and photo_row.filename == "door.jpg"
    assert Image.open(io.BytesIO(photo_row.data)).size == (1600, 1200)  # shrunk on the tablet
    assert photo_row.size < 1_000_000

    page.click("a[href='#/']")
    page.click("#my-incidents-link")
    expect(page.locator("#incidents-sent li")).to_have_count(1)
    expect(page.locator("#incidents-sent li")).to_contain_text("Party agents at the door")
    context.close()


def test_one_tap_from_a_critical_answer(live_server, browser, field_mission, db):
    from playwright.sync_api import expect

    code = field_mission.route[1]
    context, page = open_tablet(browser, live_server, 768, 1024)
    badge = page.locator("#outbox-badge")
    open_checklist(page, code)
    report = page.locator(".tb-q[data-name='opened_on_time'] .tb-report-critical")
    expect(report).to_be_hidden()
    answer(page, "opened_on_time", "Yes")
    expect(report).to_be_hidden()
    answer(page, "opened_on_time", "No")  # the critical answer
    expect(report).to_be_visible()
    report.click()

    expect(page.locator("#incident-form")).to_be_visible()
    expect(page.locator("#incident-link")).to_be_visible()
    expect(page.locator("#incident-title")).to_have_value("Did the station open on time? — No")
    expect(page.locator("#incident-severity-high")).to_be_checked()
    expect(page.locator("#incident-station")).to_have_value(code)
    expect(page.locator("#incident-category")).to_have_value("other")
    page.click("#incident-send")  # the only tap left

    # Back in the checklist; the incident waits for it, so the server can link the two.
    expect(page.locator("#checklist")).to_be_visible()
    expect(page.locator(".tb-flash")).to_contain_text("Incident saved in the outbox")
    expect(badge).to_have_text("1")
    page.fill("#q-minutes_late", "20")
    page.click("#submit-form")
    expect(badge).to_have_text("0")

    _wait_for_rows(page, db, Incident, 1)
    observation = db.session.query(Observation).one()
    incident = db.session.query(Incident).one()
    assert observation.answers["opened_on_time"] == "no"
    assert incident.observation_id == observation.id
    assert incident.question == "opened_on_time" and incident.severity.value == "high"
    assert incident.category.code == "other" and incident.station_id == observation.station_id
    assert incident.title == "Did the station open on time? — No"
    context.close()


def test_report_by_location_from_the_home_screen(live_server, browser, field_mission, db):
    from playwright.sync_api import expect

    context, page = open_tablet(
        browser,
        live_server,
        360,
        640,
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": 6.123456, "longitude": 7.654321, "accuracy": 12},
        permissions=["geolocation"],
    )
    page.click("#report-incident")
    expect(page.locator("#incident-form")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    expect(page.locator("#incident-station")).to_have_value("")
    page.select_option("#incident-category", "team_security")
    page.click("label[for=incident-severity-critical]")
    page.fill("#incident-title", "Roadblock on the way to the next station")
    page.click("#incident-send")
    expect(page.locator("#incident-station-error")).to_have_text(
        "Choose a station or use your location."
    )
    page.click("#incident-locate")
    expect(page.locator("#incident-coords")).to_contain_text("6.12346, 7.65432")
    expect(page.locator("#incident-station-error")).to_be_hidden()
    page.click("#incident-send")
    expect(page.locator("#outbox-badge")).to_have_text("0")

    _wait_for_rows(page, db, Incident, 1)
    stored = db.session.query(Incident).one()
    assert stored.station_id is None and stored.severity.value == "critical"
    assert (stored.latitude, stored.longitude) == (6.123456, 7.654321)
    assert stored.mission_id == field_mission.mission.id
    assert stored.team_id == field_mission.team.id
    context.close()
