"""The election-day dashboard in a real browser: it redraws itself from the stats API without
a reload, draws exactly what the server drew, keeps user text as text and stays on our origin."""

import re
import uuid

import pytest

from observer_suite.checklists.services import load_standard_forms
from observer_suite.models import Observation, PlanMode
from tests.conftest import PASSWORD

expect = pytest.importorskip("playwright.sync_api").expect

HOSTILE = "<img src=x onerror=alert(1)>"
SECTIONS = ("#dash-figures", "#dash-forms", "#dash-areas", "#dash-teams", "#dash-no-opening",
            "#dash-indicators", "#dash-incidents")  # fmt: skip


def observe(db, mission, form, station, team, **answers):
    db.session.add(
        Observation(uuid=str(uuid.uuid4()), mission_id=mission.id, form_pk=form.id,
                    station_id=station.id, team_id=team.id if team else None, answers=answers,
                    content_hash="0" * 64)
    )  # fmt: skip
    db.session.commit()


def words(page, selector: str) -> str:
    return " ".join(page.inner_text(selector).split())


@pytest.fixture
def dashboard(live_server, page, app, field, db, incident_factory):
    """The lead's dashboard on a mission in Lagos time, refreshing every second."""
    field.mission.timezone = "Africa/Lagos"
    opening = {f.form_id: f for f in load_standard_forms(field.mission)}["std_opening"]
    db.session.commit()
    s = field.stations
    observe(db, field.mission, opening, s["S001"], field.t1, opening_band="on_time",
            ballot_box_sealed="yes", overall="good")  # fmt: skip
    observe(db, field.mission, opening, s["S002"], field.t1, opening_band="late_less_30",
            ballot_box_sealed="na", overall="bad")  # fmt: skip
    incident_factory(field.mission, severity="critical", title="Ballot box seized",
                     station_id=s["S001"].id)  # fmt: skip
    app.config["DASHBOARD_REFRESH_SECONDS"] = 1
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", field.users.lead.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector(".topbar .who")
    page.goto(f"{live_server}/missions/field/dashboard")
    page.wait_for_selector("#dashboard")
    field.opening = opening
    yield field
    app.config.pop("DASHBOARD_REFRESH_SECONDS", None)


@pytest.mark.parametrize("mode", ["purposive", "sample"])
def test_refresh_draws_what_the_server_drew(dashboard, page, db, mode):
    if mode == "sample":
        dashboard.plan.mode = PlanMode.SAMPLE
        dashboard.plan.sampling = {"confidence": 0.9}
        db.session.commit()
        page.reload()
    before = {selector: words(page, selector) for selector in SECTIONS}
    share = "50.0% \u00b158.2 (1 of 2)" if mode == "sample" else "50.0% (1 of 2)"
    assert share in before["#dash-indicators"]
    assert "no data" in before["#dash-indicators"]
    note = "margin of error at 90% confidence" if mode == "sample" else "observed stations only"
    assert note in page.inner_text("#dash-mode-note")
    # wait_for_function would evaluate a string, which the page's CSP refuses
    expect(page.locator("#dashboard")).to_have_attribute("data-refreshed", re.compile(r"^[1-9]"))
    after = {selector: words(page, selector) for selector in SECTIONS}
    assert after == before  # dashboard.js and the template format every number alike
    assert note in page.inner_text("#dash-mode-note")
    assert page.locator("#dash-refresh-error").is_hidden()
    assert page.external_requests == []


def test_new_observation_and_hostile_incident_appear_without_reload(
    dashboard, page, db, incident_factory
):
    expect(page.locator('[data-figure="observations"]')).to_have_text("2")
    page.evaluate("window.notReloaded = true")
    observe(db, dashboard.mission, dashboard.opening, dashboard.stations["S003"], dashboard.t2,
            opening_band="on_time", ballot_box_sealed="yes", overall="very_good")  # fmt: skip
    hostile = incident_factory(dashboard.mission, severity="critical", title=HOSTILE,
                               station_id=dashboard.stations["S003"].id)  # fmt: skip

    expect(page.locator('[data-figure="observations"]')).to_have_text("3", timeout=15_000)
    expect(page.locator('[data-figure="critical_incidents"]')).to_have_text("2")
    assert page.evaluate("window.notReloaded") is True
    newest = page.locator("#dash-incidents li").first
    expect(newest.locator("a")).to_have_text(f"#{hostile.id} {HOSTILE}")
    assert newest.locator("a").get_attribute("href") == f"/missions/field/incidents/{hostile.id}"
    assert page.locator("#dashboard img").count() == 0
    assert "T02" not in words(page, "#dash-no-opening")  # T02 has reported opening now
    assert page.external_requests == []


def test_a_failed_refresh_keeps_the_data_and_says_so(dashboard, page):
    page.route("**/api/v1/stats/indicators**", lambda route: route.fulfill(status=500, body="x"))
    note = page.locator("#dash-refresh-error")
    expect(note).to_be_visible(timeout=15_000)
    expect(note).to_contain_text("Refresh failed (HTTP 500)")
    assert page.inner_text('[data-figure="observations"]') == "2"
    page.unroute("**/api/v1/stats/indicators**")
    expect(note).to_be_hidden(timeout=15_000)
