"""The critical-incident banner in a real browser: shown under the CSP, text stays text,
new critical incidents appear and verified ones leave."""

import pytest

from observer_suite.incidents import workflow
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

XSS_TITLE = "<img src=x onerror=alert(1)>"


def _poll_now(page):
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


def test_banner_shows_new_critical_incidents(live_server, page, field, incident_factory, db):
    first = incident_factory(field.mission, severity="critical", title=XSS_TITLE)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: problems.append("dialog: " + d.message))
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", field.users.lead.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server}/missions/field")
    banner = page.locator("#incident-alerts")
    banner.locator(f'li[data-id="{first.id}"]').wait_for()
    assert "1 critical incident awaiting verification" in banner.inner_text()
    assert XSS_TITLE in banner.inner_text()  # shown as text
    assert banner.locator("img").count() == 0

    second = incident_factory(field.mission, severity="critical", title="Ballot box seized")
    incident_factory(field.mission, severity="high", title="Not critical")
    _poll_now(page)
    banner.locator(f'li.new[data-id="{second.id}"]').wait_for()
    assert "2 critical incidents" in banner.inner_text()
    assert "Not critical" not in banner.inner_text()

    for incident in (first, second):
        workflow.change_status(incident, "verified", field.users.coordinator, "", "reported")
    db.session.commit()
    _poll_now(page)
    page.wait_for_selector("#incident-alerts", state="hidden")
    assert problems == [] and page.external_requests == []
