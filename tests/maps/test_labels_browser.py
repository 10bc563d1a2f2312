"""Map text bound in Chromium: names full of template markers show literally, under the CSP."""

import json

from tests.conftest import PASSWORD
from tests.maps.test_template_injection import EVALUATED, SHORT, marked


def _open(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (problems.append(d.message), d.dismiss()))
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    return context, page, problems


def test_plan_and_findings_maps_bind_names_as_text(browser, live_server, hostile_mission):
    world = hostile_mission
    context, page, problems = _open(browser, live_server, "lead")
    page.goto(f"{live_server}/missions/field/plans/{world.plan.id}/map")
    page.wait_for_selector("html.os-labels-ready", timeout=15_000)
    overlays = page.locator(".leaflet-control-layers-overlays").inner_text()
    assert f"Team {SHORT}" in overlays and "Team T02" in overlays
    assert "Region boundaries" in overlays
    # Every tooltip the server listed is bound to its layer, with the text as given.
    bound = page.evaluate(
        """() => JSON.parse(document.getElementById('map-labels').textContent).tooltips
             .map(([name]) => window[name] && window[name].getTooltip()
                  ? window[name].getTooltip().getContent().textContent : null)"""
    )
    assert bound and all(bound), bound
    assert any(marked("station") in text for text in bound)
    page.locator(".os-base").first.hover()
    tooltip = page.locator(".leaflet-tooltip").first
    tooltip.wait_for(timeout=10_000)
    assert marked("base") in tooltip.inner_text()
    html = page.content()
    for out in EVALUATED:
        assert out not in html

    page.goto(f"{live_server}/missions/field/maps/findings/map?level=0")
    page.wait_for_selector("html.os-labels-ready", timeout=15_000)
    title = page.locator(".os-legend-findings strong").inner_text()
    assert "{{" in title and "{%" in title, title
    names = json.loads(page.locator("#map-labels").text_content())
    assert any(marked("region") in str(lines) for _layer, lines in names["tooltips"])
    assert not problems, problems  # a CSP refusal or a script error shows up here
    context.close()
