"""A coordinator in a browser: settings, a login deactivated, the mission archived."""

from observer_suite.models import Mission, User
from tests.conftest import PASSWORD


def test_coordinator_uses_settings_and_logins_in_a_browser(
    mission_factory, user_factory, live_server, page, db
):
    mission = mission_factory(slug="ng", levels="state,lga")
    user_factory("coordinator", missions=[mission], username="cora")
    user_factory("analyst", missions=[mission], username="anna")
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "cora")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/missions/ng")
    page.click("nav >> text=Settings")
    page.fill("#timezone", "Africa/Lagoss")
    page.click("#settings-form button[type=submit]")
    assert "is not an IANA time zone" in page.inner_text("#settings-form")
    page.fill("#timezone", "Africa/Lagos")
    page.click("#settings-form button[type=submit]")
    assert "Settings saved (changed: timezone)" in page.inner_text("main")
    page.click("text=Logins")
    page.click("#deactivate-anna")
    assert "anna is deactivated" in page.inner_text("main")
    page.goto(f"{live_server}/missions/ng/settings")
    page.click("button[value=archive]")
    # is_visible does not wait: under load it read the page before the redirect had loaded
    page.wait_for_selector("#archived-note", state="visible")
    page.goto(f"{live_server}/")
    assert "Test mission" not in page.inner_text("main")
    db.session.expire_all()
    assert db.session.query(Mission).one().timezone == "Africa/Lagos"
    assert db.session.query(User).filter_by(username="anna").one().active is False
