"""Sync edge cases in Chromium: the server refuses an item; a station found by search."""

import pytest

from observer_suite.models import Observation, PollingStation
from tests.tablet.test_offline import answer, open_checklist, open_tablet

pytestmark = pytest.mark.browser


def test_refused_item_is_set_aside_with_the_server_message(live_server, browser, field_mission, db):
    from playwright.sync_api import expect

    context, page = open_tablet(browser, live_server, 768, 1024)
    context.set_offline(True)
    code = field_mission.route[0]
    open_checklist(page, code)
    answer(page, "opened_on_time", "Yes")
    page.click("#submit-form")
    page.click("#outbox-link")
    item = page.locator("#outbox-items li")
    uuid = item.get_attribute("data-uuid")

    # Someone else already stored different content under this UUID: the server says 409.
    station = db.session.query(PollingStation).filter_by(code=code).one()
    db.session.add(
        Observation(
            uuid=uuid,
            mission_id=field_mission.mission.id,
            form_pk=field_mission.form.id,
            station_id=station.id,
            answers={"opened_on_time": "no"},
            content_hash="0" * 64,
        )
    )
    db.session.commit()

    context.set_offline(False)
    expect(page.locator("#outbox-badge")).to_have_attribute("data-attention", "1")
    expect(page.locator("#outbox-badge")).to_have_text("1")
    expect(item).to_have_class("tb-card tb-outbox-item tb-attention")
    expect(item.locator(".tb-error-text")).not_to_be_empty()
    page.click("#sync-now")  # set aside: not sent again until the observer acts
    expect(item.locator(".muted")).to_contain_text("1 attempt")

    page.once("dialog", lambda dialog: dialog.accept())
    item.get_by_role("button", name="Delete").click()
    expect(page.locator("#outbox-badge")).to_have_text("0")
    assert db.session.query(Observation).count() == 1  # only the one made above
    context.close()


def test_another_station_by_search_online_only(live_server, browser, field_mission):
    from playwright.sync_api import expect

    context, page = open_tablet(browser, live_server, 768, 1024)
    elsewhere = next(f"N{i:03d}" for i in range(24) if f"N{i:03d}" not in field_mission.route)
    page.fill("#station-search", elsewhere)
    page.click(".tb-search button[type=submit]")
    page.locator("#search-results button", has_text=elsewhere).click()
    expect(page.locator("h1")).to_contain_text(elsewhere)
    expect(page.locator("#forms a")).to_have_count(len(field_mission.standard) + 1)

    page.click("a.tb-back")
    expect(page.locator(f"a[data-code='{elsewhere}']")).to_be_visible()  # kept for offline use
    context.set_offline(True)
    page.fill("#station-search", "N0")
    page.click(".tb-search button[type=submit]")
    expect(page.locator("#search-note")).to_contain_text("Searching needs a network")
    context.close()
