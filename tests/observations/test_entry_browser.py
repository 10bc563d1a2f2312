"""A clerk, in a real browser, enters a phoned-in observation for a team, gets an error
beside a field, fixes it, then corrects an answer and sees both versions."""

import pytest

from observer_suite.models import Observation
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_clerk_enters_then_corrects_in_the_browser(live_server, page, field, user_factory, db):
    clerk = user_factory(role="clerk", missions=[field.mission], username="clerk1")
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", clerk.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server}/missions/field/observations/")
    page.click("#enter-link")
    page.select_option("#form-select", str(field.form.id))
    page.click("#choose-form button[type=submit]")
    page.select_option("#team-select", label="T02")
    page.fill("#station-input", "S005")
    page.fill("#arrived-input", "2027-02-25T07:30")
    page.select_option("#i-seals_intact", "yes")
    for name, value in (("registered_voters", "500"), ("voters_voted", "300"),
                        ("ballots_cast", "300"), ("invalid_ballots", "10"),
                        ("votes_a", "-150"), ("votes_b", "140")):  # fmt: skip
        page.fill(f"#i-{name}", value)
    page.check('input[name="a-problems"][value="late"]')
    page.click("#entry-form button[type=submit]")
    error = page.locator('#q-votes_a [data-error-for="votes_a"]')
    assert error.inner_text() == "Cannot be negative"
    assert db.session.query(Observation).count() == 0
    page.fill("#i-votes_a", "150")
    page.click("#entry-form button[type=submit]")
    page.wait_for_selector("#correct-link")
    observation = db.session.query(Observation).one()
    assert observation.team_id == field.t2.id and observation.answers["problems"] == ["late"]

    page.click("#correct-link")
    assert page.input_value("#i-votes_b") == "140"  # filled with the current answers
    page.fill("#i-votes_b", "130")
    page.fill("#i-invalid_ballots", "20")
    page.fill("#note-input", "Team leader called back")
    page.click("#correct-form button[type=submit]")
    page.wait_for_selector("#versions")
    assert page.locator("#version").inner_text().startswith("2")
    changed = page.locator('#versions li[data-version="2"]').inner_text()
    assert "Votes for B: 140 → 130" in changed and "Team leader called back" in changed
    assert page.locator('#versions li[data-version="1"]').count() == 1
    db.session.expire_all()
    assert db.session.get(Observation, observation.id).answers["votes_b"] == 130
    # The refused entry is answered 400 (the page with the errors), which Chromium logs.
    assert [p for p in problems if "status of 400" not in p] == []
    assert page.external_requests == []
