"""A revision of the published plan, republished from the web, changes the tablet's route."""

import pytest

from observer_suite.deployment.services import routes_by_team
from observer_suite.models import DeploymentPlan, Team
from tests.conftest import PASSWORD
from tests.tablet.test_offline import open_tablet

pytestmark = pytest.mark.browser


def test_republished_revision_shows_your_route_changed(
    live_server, browser, field_mission, db, user_factory
):
    from playwright.sync_api import expect

    user_factory(role="coordinator", username="cora", missions=[field_mission.mission])
    plan = db.session.query(DeploymentPlan).one()
    other = next(t for t in db.session.query(Team).all() if t.id != field_mission.team.id)
    moved = routes_by_team(plan)[other.id][1].station.code

    tablet_context, tablet = open_tablet(browser, live_server, 800, 1280)
    expect(tablet.locator("#my-stations a[data-code]")).to_have_count(len(field_mission.route))
    assert tablet.locator("#route-changed").count() == 0

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "cora")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server}/missions/north/plans/{plan.id}")
    page.click("#new-revision")
    expect(page.locator(".flash")).to_contain_text("Draft revision 2 created")
    page.fill("#station_code", moved)
    page.select_option("#to_team", label=field_mission.team.code)
    page.click("form[action$='/move'] button[type=submit]")
    page.click("nav.crumbs a")  # back to the plan from the team page
    page.click("#publish-link")
    expect(page.locator("#route-changes")).to_contain_text(moved)
    expect(page.locator("#route-changes")).to_contain_text(field_mission.team.code)
    page.click("form[action$='/publish'] button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("Published")
    desk.close()

    tablet.reload()  # the next sync
    banner = tablet.locator("#route-changed")
    expect(banner).to_contain_text("Your route changed")
    expect(banner).to_contain_text(f"Added: {moved}")
    expect(banner).to_contain_text(", ".join(field_mission.route))
    expect(tablet.locator(f"#my-stations a[data-code='{moved}']")).to_have_count(1)
    expect(tablet.locator("#my-stations a[data-code]")).to_have_count(len(field_mission.route) + 1)
    tablet_context.close()
