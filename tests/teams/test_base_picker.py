"""The team form places a base at an area's centre (server side) or where the map is clicked."""

import pytest
from sqlalchemy import select

from observer_suite.models import Team
from tests.conftest import PASSWORD, csrf_token

BASE = "/missions/ng/teams"


@pytest.fixture
def coordinator(teams, user_factory, login):
    return login(user_factory(role="coordinator", missions=[teams.mission]))


def _form(teams, coordinator, **extra):
    url = f"{BASE}/new"
    return url, {
        "kind": "sto",
        "code": "",
        "first": str(teams.people["s1"].id),
        "second": str(teams.people["s2"].id),
        "driver": "0",
        "interpreter": "0",
        "base_name": "",
        "base_lat": "",
        "base_lon": "",
        "base_area": "0",
        "csrf_token": csrf_token(coordinator, url),
        **extra,
    }


def test_form_offers_regions_and_districts_with_centres(teams, coordinator):
    page = coordinator.get(f"{BASE}/new").get_data(as_text=True)
    assert 'id="base-map"' in page and "js/team-base.js" in page
    assert "District 11 (district)" in page and "Region 1 (region)" in page
    assert "District 22" not in page  # no stations: nowhere to put a base
    assert 'id="base-area-centres">{' in page and "<script>" not in page


def test_choosing_an_area_places_the_base_at_its_centre(teams, coordinator, db):
    d11 = teams.areas["D11"]
    url, form = _form(teams, coordinator, base_area=str(d11.id))
    response = coordinator.post(url, data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    team = db.session.scalar(select(Team).where(Team.code == "T04"))
    assert team.base_name == "District 11 (centre)"
    assert team.base_latitude == pytest.approx((500 * 6.0 + 700 * 6.2) / 1200, abs=1e-6)


def test_typed_coordinates_win_over_the_area(teams, coordinator, db):
    url, form = _form(
        teams, coordinator, base_area=str(teams.areas["D11"].id), base_lat="1.5", base_lon="2.5"
    )
    assert coordinator.post(url, data=form).status_code == 302
    team = db.session.scalar(select(Team).where(Team.code == "T04"))
    assert (team.base_latitude, team.base_longitude, team.base_name) == (1.5, 2.5, None)


def test_unknown_area_is_refused(teams, coordinator, db):
    url, form = _form(teams, coordinator, base_area="999999")
    assert coordinator.post(url, data=form).status_code == 400
    assert db.session.scalar(select(Team).where(Team.code == "T04")) is None


def test_click_on_the_map_fills_the_base(teams, user_factory, live_server, page, db):
    user_factory(role="coordinator", username="carla", missions=[teams.mission])
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "carla")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server}{BASE}/new")
    page.wait_for_selector("#base-map.ready")
    page.select_option("#base_area", str(teams.areas["D11"].id))
    assert float(page.input_value("#base_lat")) == pytest.approx(6.116667, abs=1e-5)
    assert page.input_value("#base_name") == "District 11 (centre)"
    box = page.locator("#base-map").bounding_box()
    page.locator("#base-map").click(position={"x": box["width"] * 0.2, "y": box["height"] * 0.8})
    clicked = float(page.input_value("#base_lat")), float(page.input_value("#base_lon"))
    assert clicked != pytest.approx((6.116667, 7.233333), abs=1e-4)
    assert -90 <= clicked[0] <= 90 and page.input_value("#base_area") == "0"
    page.select_option("#first", str(teams.people["s1"].id))
    page.select_option("#second", str(teams.people["s2"].id))
    page.click("button:has-text('Save team')")
    page.wait_for_url(f"{live_server}{BASE}")
    db.session.expire_all()
    team = db.session.scalar(select(Team).where(Team.code == "T04"))
    assert (team.base_latitude, team.base_longitude) == pytest.approx(clicked, abs=1e-6)
    assert errors == [] and page.external_requests == []
