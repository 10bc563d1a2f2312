"""The tablet client in Chromium: offline checklists go to the outbox and sync once online."""

import re

import pytest

from observer_suite.models import Observation, PollingStation
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def open_tablet(browser, live_server, width: int, height: int, **options):
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    page.goto(f"{live_server}/login?next=/tablet/")
    page.fill("input[name=username]", "anna")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/tablet/")
    # (selectors, not wait_for_function: the CSP forbids the eval it needs)
    # the service worker controls the page and assignments and forms are stored on the device
    page.wait_for_selector("body[data-offline-ready='1']", state="attached")
    return context, page


def open_checklist(page, code: str, form_id: str = "tablet_opening") -> None:
    page.click("a[href='#/']")
    page.click(f"#my-stations a[data-code='{code}']")
    page.click(f"#forms a[data-form-id='{form_id}']")
    page.wait_for_selector(f"#checklist[data-form-id='{form_id}']")


def answer(page, question: str, choice: str) -> None:
    # by its label: each big radio button is tied to its text
    page.locator(f".tb-q[data-name='{question}']").get_by_label(choice, exact=True).check()


def test_offline_checklists_wait_in_outbox_then_sync(live_server, browser, field_mission, db):
    from playwright.sync_api import expect

    first, second = field_mission.route[:2]
    context, page = open_tablet(browser, live_server, 768, 1024)
    badge = page.locator("#outbox-badge")
    expect(badge).to_have_text("0")
    context.set_offline(True)
    expect(page.locator("#net-status")).to_have_attribute("data-state", "offline")

    # First station: 'no' asks how late; the constraint and the required rule block submit.
    open_checklist(page, first)
    late = page.locator(".tb-q[data-name='minutes_late']")
    expect(late).to_be_hidden()
    answer(page, "opened_on_time", "No")
    expect(late).to_be_visible()
    page.fill("#q-minutes_late", "0")
    expect(late.locator(".tb-error")).to_have_text("Between 1 and 600 minutes")
    page.fill("#q-voters_waiting", "-3")
    page.click("#submit-form")
    expect(page.locator("#form-errors")).to_contain_text("2 answers need attention")
    expect(badge).to_have_text("0")
    page.fill("#q-minutes_late", "25")
    expect(late.locator(".tb-error")).to_be_hidden()
    page.fill("#q-voters_waiting", "40")
    page.click("#submit-form")
    expect(page.locator(".tb-flash")).to_contain_text("Saved in the outbox")
    expect(badge).to_have_text("1")

    # Second station: an answer given under 'no' is dropped once 'yes' hides the question.
    open_checklist(page, second)
    answer(page, "opened_on_time", "No")
    page.fill("#q-minutes_late", "30")
    answer(page, "opened_on_time", "Yes")
    expect(page.locator(".tb-q[data-name='minutes_late']")).to_be_hidden()
    page.fill("#q-remarks", "Calm <b>start</b>")
    page.click("#submit-form")
    expect(badge).to_have_text("2")

    # The outbox survives a reload with no network: the service worker serves the shell.
    page.reload()
    page.wait_for_selector("body[data-ready='1']", state="attached")
    expect(badge).to_have_text("2")
    page.click("#outbox-link")
    items = page.locator("#outbox-items li")
    expect(items).to_have_count(2)
    uuids = set(items.evaluate_all("items => items.map(li => li.dataset.uuid)"))

    # Back online: the `online` event sends the outbox.
    context.set_offline(False)
    expect(badge).to_have_text("0")
    expect(page.locator("#outbox-empty")).to_be_visible()

    rows = db.session.query(Observation).join(PollingStation).all()
    assert {row.uuid for row in rows} == uuids
    by_station = {row.station.code: row for row in rows}
    assert set(by_station) == {first, second}
    assert by_station[first].answers == {
        "opened_on_time": "no",
        "minutes_late": 25,
        "voters_waiting": 40,
    }
    assert by_station[second].answers == {"opened_on_time": "yes", "remarks": "Calm <b>start</b>"}
    assert all(row.arrived_at and row.departed_at for row in rows)
    assert all(row.team_id == field_mission.team.id for row in rows)
    context.close()


def test_phone_layout_and_draft_survives_reload(live_server, browser, field_mission):
    from playwright.sync_api import expect

    context, page = open_tablet(browser, live_server, 360, 640, is_mobile=True, has_touch=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    open_checklist(page, field_mission.route[0])
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for selector in ["#submit-form", ".tb-q[data-name='opened_on_time'] label.tb-choice"]:
        box = page.locator(selector).first.bounding_box()
        assert box["height"] >= 44  # touch targets
    answer(page, "opened_on_time", "No")
    page.fill("#q-minutes_late", "12")
    expect(page.locator("#draft-status")).to_have_text("Draft saved on this tablet")

    page.reload()
    page.wait_for_selector("body[data-ready='1']", state="attached")
    expect(page.locator("#q-opened_on_time-1")).to_be_checked()
    expect(page.locator("#q-minutes_late")).to_have_value("12")
    assert page.locator("#q-minutes_late").get_attribute("inputmode") == "numeric"

    page.click("#lang-switch")  # French labels, same answers
    expect(page.locator(".tb-q[data-name='minutes_late'] .tb-label")).to_contain_text(
        "Combien de minutes"
    )
    expect(page.locator("#q-minutes_late")).to_have_value("12")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_every_standard_form_fits_a_phone(live_server, browser, field_mission):
    from playwright.sync_api import expect

    context, page = open_tablet(browser, live_server, 360, 640, is_mobile=True, has_touch=True)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    assert field_mission.standard
    for form_id in field_mission.standard:
        open_checklist(page, field_mission.route[0], form_id)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, form_id
        heights = page.locator(".tb-q:visible label.tb-choice").evaluate_all(
            "labels => labels.map(l => l.getBoundingClientRect().height)"
        )
        assert heights and min(heights) >= 44, form_id
        unlabelled = page.locator(".tb-q input:visible, .tb-q textarea:visible").evaluate_all(
            "inputs => inputs.filter(i => !i.labels.length).map(i => i.id)"
        )
        assert unlabelled == [], form_id
        # the form's own visit times replace the tablet's: arrival is prefilled with now
        assert page.locator("#time-arrived").count() == 0
        expect(page.locator("#q-arrival_time")).to_have_value(re.compile(r"^\d\d:\d\d$"))
        page.click("#submit-form")  # nothing answered: refused, with the reasons shown
        expect(page.locator("#form-errors")).to_be_visible()
        assert page.locator(".tb-error:visible").count() >= 1
        expect(page.locator("#q-departure_time")).to_have_value("")  # stamped only on success
    assert errors == []
    context.close()
