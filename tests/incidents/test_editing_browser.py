"""A coordinator, in a real browser, enters a phoned-in incident for a team, changes its
severity and assignee, and comments on it; every step is in the history on the page."""

import pytest

from observer_suite.models import Incident
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_enter_edit_and_comment_in_the_browser(live_server, page, field, db):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", field.users.coordinator.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server}/missions/field/incidents/")
    page.click("#enter-link")
    page.select_option("#team-select", label="T01")
    page.fill("#station-input", "S002")
    page.select_option("#category-select", "vote_buying")
    page.select_option("#severity-select", "medium")
    page.fill("#occurred-input", "2027-02-25T10:15")
    page.fill("#title-input", "Money offered at the door")
    page.click("#incident-entry-form button[type=submit]")
    page.wait_for_selector("#edit-form")
    incident = db.session.query(Incident).one()
    assert incident.team_id == field.t1.id and incident.station.code == "S002"

    page.select_option("#edit-severity", "high")
    page.select_option("#edit-assignee", label="lead")
    page.fill("#edit-comment", "Several voters confirm it")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("#incident-assignee:has-text('lead')")
    page.fill("#comment-text", "Team called again")
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector("#history td:has-text('Team called again')")
    history = page.locator("#history").inner_text()
    assert "severity: medium → high" in history and "assigned to: – → lead" in history
    assert "Several voters confirm it" in history and "Entered from the web" in history
    assert page.locator("#incident-status").inner_text().lower() == "reported"
    assert problems == [] and page.external_requests == []
