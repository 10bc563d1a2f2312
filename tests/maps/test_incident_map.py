"""The incident map: positions, filters, compact data, nothing executable from user text."""

import json
import re
from datetime import UTC, datetime

import pytest

from observer_suite.maps.filters import IncidentFilters, parse_filters
from observer_suite.maps.incident_map import (
    FIELDS,
    IncidentMapData,
    IncidentPoint,
    compact_payload,
    incident_counts,
    load_incident_rows,
    render_incident_map,
)
from observer_suite.models import Area, PollingStation
from observer_suite.util.folium_map import json_script, script_hashes

HOSTILE = "<img src=x onerror=alert(1)></script><script>alert(2)</script>&amp;"
DATA_BLOCK = re.compile(r'<script type="application/json" id="incident-data">(.*?)</script>', re.S)


def asset(path: str) -> str:
    return f"/static/{path}"


def _point(i, **changes):
    values = {
        "id": i, "lat": 6.1 + i / 1000, "lon": 7.2, "severity": "high", "category": "violence",
        "status": "reported", "title": f"Incident {i}",
        "occurred_at": datetime(2027, 2, 25, 8, i % 60, tzinfo=UTC), "station": "04/01 · School",
    }  # fmt: skip
    values.update(changes)
    return IncidentPoint(**values)


def test_payload_uses_lookup_tables_and_minutes():
    data = IncidentMapData(
        points=[_point(1), _point(2, station="", severity="critical", category="new_code")],
        categories=[("violence", "Violence"), ("other", "Other")],
        unplaced=3,
        timezone="Africa/Lagos",
    )
    payload = compact_payload(data, "/missions/m/incidents/")
    assert payload["fields"] == FIELDS
    assert [c["code"] for c in payload["categories"]] == ["violence", "other", "new_code"]
    assert payload["stations"] == ["04/01 · School"]
    first, second = payload["rows"]
    assert first == [6.101, 7.2, 2, 0, 0, "Incident 1", 0, 0, 1]
    assert second[2:5] == [3, 2, 0] and second[6] == 1 and second[7] == -1
    assert payload["unplaced"] == 3 and payload["tz"] == "Africa/Lagos"


def test_json_block_cannot_be_closed_by_text():
    block = json_script("d", {"t": HOSTILE, "u": "\u2028"})
    body = block[len('<script type="application/json" id="d">') : -len("</script>")]
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body)["t"] == HOSTILE


def test_rendered_map_is_local_and_hostile_text_stays_data():
    data = IncidentMapData(points=[_point(1, title=HOSTILE)], categories=[("violence", "V")])
    page = render_incident_map(data, asset, incident_link="/missions/m/incidents/")
    html = page.html
    assert not re.search(r'(src|href)="https?://', html)
    assert "<img src=x" not in html and "alert(2)</script>" not in html
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts == [  # in this order, before folium's inline script
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/leaflet.markercluster/leaflet.markercluster.js",
        "/static/vendor/leaflet.heat/leaflet-heat.js",
    ]
    # Ours runs after folium's inline script has made the map.
    assert re.findall(r'<script defer src="([^"]+)"', html) == [
        "/static/js/maps/map-labels.js",
        "/static/js/maps/incident-map.js",
    ]
    payload = json.loads(DATA_BLOCK.search(html).group(1))
    assert payload["rows"][0][5] == HOSTILE
    assert payload["map"] in html
    # The data blocks are not scripts that run, so they get no CSP hash.
    assert len(page.script_hashes) == len(script_hashes(html)) == len(re.findall(r"<script>", html))


@pytest.fixture
def placed(mission_factory, incident_factory, db):
    mission = mission_factory(slug="inc", levels="state", timezone="Africa/Lagos")
    area = Area(mission_id=mission.id, level=0, name="Enugu", code="14", path="14")
    db.session.add(area)
    db.session.flush()
    located = PollingStation(mission_id=mission.id, area_id=area.id, code="A1", name="School",
                             latitude=6.4, longitude=7.5)  # fmt: skip
    unlocated = PollingStation(mission_id=mission.id, area_id=area.id, code="A2", name="Market")
    db.session.add_all([located, unlocated])
    db.session.commit()
    incident_factory(mission, title="own gps", latitude=6.1, longitude=7.1,
                     station_id=located.id, severity="critical")  # fmt: skip
    incident_factory(mission, title="station gps", station_id=located.id, category="vote_buying",
                     occurred_at=datetime(2027, 2, 24, 22, 30, tzinfo=UTC))  # fmt: skip
    incident_factory(mission, title="nowhere", station_id=unlocated.id, status="verified")
    incident_factory(mission, title="nowhere either", latitude=95.0, longitude=7.0)
    return mission


def test_position_is_own_gps_else_the_station(placed):
    data = load_incident_rows(placed)
    by_title = {p.title: p for p in data.points}
    assert (by_title["own gps"].lat, by_title["own gps"].lon) == (6.1, 7.1)
    assert (by_title["station gps"].lat, by_title["station gps"].lon) == (6.4, 7.5)
    assert by_title["station gps"].station == "A1 \u00b7 School"
    assert data.unplaced == 2 and data.total == 4
    assert incident_counts(placed) == (4, 2)


def test_filters_narrow_rows_and_counts(placed):
    codes = ["violence", "vote_buying", "other"]
    cases = [
        ({"category": "vote_buying"}, ["station gps"], (1, 0)),
        ({"severity": "critical"}, ["own gps"], (1, 0)),
        ({"status": "verified"}, [], (1, 1)),
        # 22:30 UTC on the 24th is 23:30 on the 24th in Lagos.
        ({"from": "2027-02-25"}, ["own gps"], (3, 2)),
        ({"to": "2027-02-24"}, ["station gps"], (1, 0)),
    ]
    for args, titles, counts in cases:
        filters = parse_filters(args, codes, "Africa/Lagos")
        assert [p.title for p in load_incident_rows(placed, filters).points] == titles, args
        assert incident_counts(placed, filters) == counts, args


def test_bad_filter_values_are_dropped_with_a_message():
    filters = parse_filters(
        {"category": "violence,bogus", "severity": "extreme", "from": "yesterday"},
        ["violence"],
        "Nowhere/Zone",
    )
    assert filters.categories == ("violence",) and filters.severities == ()
    assert filters.start is None and len(filters.messages) == 3
    assert IncidentFilters().query_args() == {}
    assert filters.query_args() == {"category": ["violence"]}


def test_page_mentions_incidents_without_a_position(placed, user_factory, login):
    client = login(user_factory(role="lead", missions=[placed]))
    page = client.get("/missions/inc/maps/incidents")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "2 of 4 incidents on the map" in html
    assert "2 incidents without a position" in html
    frame = client.get("/missions/inc/maps/incidents/map?severity=critical")
    payload = json.loads(DATA_BLOCK.search(frame.get_data(as_text=True)).group(1))
    assert [row[5] for row in payload["rows"]] == ["own gps"]
    assert payload["link"] == "/missions/inc/incidents/"
