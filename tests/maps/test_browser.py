"""The incident map in Chromium: local requests only, clusters, a hostile title shown as text."""

import random
from datetime import UTC, datetime, timedelta

from observer_suite.models import Area
from tests.conftest import PASSWORD

HOSTILE = "<img src=x onerror=alert(1)>"
CATEGORIES = ["violence", "vote_buying", "ballot_stuffing", "other"]
SEVERITIES = ["low", "medium", "high", "critical"]


def test_incident_map_in_a_browser(
    live_server, browser, mission_factory, user_factory, incident_factory, db
):
    mission = mission_factory(slug="bm", levels="state,lga", timezone="Africa/Lagos")
    db.session.add(
        Area(mission_id=mission.id, level=0, name="Anambra", code="04", path="04",
             boundary={"type": "Polygon", "coordinates": [[[6.7, 5.9], [7.2, 5.9], [7.2, 6.4],
                                                           [6.7, 6.4], [6.7, 5.9]]]})
    )  # fmt: skip
    db.session.commit()
    rng = random.Random(7)
    start = datetime(2027, 2, 25, 7, 0, tzinfo=UTC)
    for i in range(199):
        incident_factory(
            mission,
            category=CATEGORIES[i % 4],
            severity=SEVERITIES[rng.randrange(4)],
            title=f"Incident {i}",
            latitude=round(6.0 + rng.random() * 0.3, 5),
            longitude=round(6.8 + rng.random() * 0.3, 5),
            occurred_at=start + timedelta(minutes=3 * i),
        )
    # Far from the others, so it stays a single marker at the fitted zoom.
    hostile = incident_factory(mission, title=HOSTILE, severity="critical",
                               latitude=5.2, longitude=8.3)  # fmt: skip
    incident_factory(mission, title="no position")
    user_factory(role="analyst", username="ana", missions=[mission])

    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    requests, errors, dialogs = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("nav >> text=Maps")
    page.goto(f"{live_server}/missions/bm/maps/incidents")
    assert "1 incident without a position" in page.inner_text("#incident-counts")

    frame = page.frame_locator("#incident-map")
    try:
        frame.locator(".marker-cluster").first.wait_for(timeout=15_000)
    except Exception as exc:  # show the page's own errors, not only the timeout
        raise AssertionError(f"no clusters; page errors: {errors}") from exc
    assert frame.locator(".marker-cluster").count() >= 1
    legend = frame.locator(".os-legend").inner_text()
    assert "200 incidents shown" in legend and "1 incident without a position" in legend
    overlays = frame.locator(".leaflet-control-layers-overlays").inner_text()
    assert "Violence (51)" in overlays and "Heat map" in overlays and "state" in overlays

    marker = frame.locator(f'.os-incident[title="{HOSTILE}"]')
    marker.wait_for(timeout=10_000)
    marker.click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert HOSTILE in text
    assert "Critical" in text and "Violence" in text and "Reported" in text
    assert "not at a station" in text
    link = popup.locator("a.os-popup-link")
    assert link.get_attribute("href") == f"/missions/bm/incidents/{hostile.id}"
    assert frame.locator("img[src=x]").count() == 0
    assert page.locator("img[src=x]").count() == 0

    # Turning a category off removes its markers from the clusters.
    before = frame.locator(".leaflet-marker-pane .marker-cluster span").all_inner_texts()
    frame.locator(".leaflet-control-layers").hover()  # collapsed: twelve categories
    frame.locator(".leaflet-control-layers-overlays label", has_text="Violence").click()
    frame.locator(".leaflet-control-layers-overlays label", has_text="Heat map").click()
    frame.locator(".leaflet-heatmap-layer").wait_for(timeout=10_000)
    after = frame.locator(".leaflet-marker-pane .marker-cluster span").all_inner_texts()
    assert sum(map(int, after)) < sum(map(int, before))

    origin = live_server.rstrip("/")
    assert requests and all(url.startswith(origin + "/") for url in requests), [
        u for u in requests if not u.startswith(origin)
    ]
    assert not errors, errors
    assert not dialogs, dialogs
    context.close()
