"""The plan web map: local assets only, names as data, valid scripts, CSP hashes."""

import base64
import hashlib
import json
import re
import shutil
import subprocess
from dataclasses import replace

import pytest

from observer_suite.deployment.mapview import render_plan_map
from observer_suite.util.folium_map import script_hashes
from tests.reporting.sample_plans import HOSTILE, HOSTILE_JS, make_big_plan, make_plan

SCRIPT_SRC = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?([^\"' >]+)", re.I)
LINK_HREF = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?([^\"' >]+)", re.I)
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
LABELS = re.compile(r'<script type="application/json" id="map-labels">(.*?)</script>', re.S)


def render(*args, **kwargs) -> str:
    return render_plan_map(*args, **kwargs).html


def labels(html: str) -> dict:
    return json.loads(LABELS.search(html).group(1))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list | tuple):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _strings(item)


def label_text(html: str) -> str:
    """Every string of the labels block, as the browser's script will see it."""
    return "\n".join(_strings(labels(html)))


def asset_url(path: str) -> str:
    return f"/static/{path}"


def hostile_plan():
    doc = make_plan()
    doc.teams[0].code = HOSTILE_JS
    doc.teams[0].base_name = HOSTILE
    doc.teams[1].rows[0].station_name = HOSTILE_JS
    doc.teams[1].rows[1].station_code = HOSTILE
    doc.teams[1].rows[1].arrival = "${alert(4)}"
    doc.boundaries.append(
        (
            HOSTILE_JS,
            {
                "type": "Polygon",
                "coordinates": [[[8, 8], [8.5, 8], [8.5, 8.5], [8, 8]]],
                "evil": "</script><script>alert(5)</script>",
            },
        )
    )
    return doc


def test_only_local_assets_are_loaded():
    html = render(make_plan(), asset_url)
    assert sorted(SCRIPT_SRC.findall(html)) == [
        "/static/js/maps/map-labels.js",
        "/static/vendor/leaflet/leaflet.js",
    ]
    assert LINK_HREF.findall(html) == [
        "/static/favicon.svg",
        "/static/vendor/leaflet/leaflet.css",
        "/static/js/maps/maps.css",
    ]
    assert "http://" not in html and "https://" not in html  # no tiles, no CDN, nothing
    lowered = html.lower()
    assert "jquery" not in lowered and "bootstrap" not in lowered and "$(`" not in html


def test_tiles_only_when_asked_and_assets_stay_local():
    html = render(
        make_plan(),
        asset_url,
        tiles_url="https://tiles.example.org/{z}/{x}/{y}.png",
        tiles_attribution="© <Example> contributors",
    )
    # The tile layer is data for map-labels.js, which sets the attribution as DOM text.
    tiles = labels(html)["tiles"]
    assert tiles == {
        "url": "https://tiles.example.org/{z}/{x}/{y}.png",
        "attribution": "© <Example> contributors",
    }
    assert "<Example>" not in html and "L.tileLayer" not in html
    for url in SCRIPT_SRC.findall(html) + LINK_HREF.findall(html):
        assert not url.startswith(("http://", "https://", "//"))
    assert labels(render(make_plan(), asset_url))["tiles"] is None


def test_hostile_names_are_data_only():
    html = render(hostile_plan(), asset_url)
    skeleton = LABELS.sub("", html)
    for raw in (HOSTILE, HOSTILE_JS, "${alert(4)}", "Team "):
        assert raw not in skeleton
    text = label_text(html)
    for raw in (HOSTILE, HOSTILE_JS, "${alert(4)}"):
        assert raw in text  # literally, for textContent
    assert "alert(5)" not in html and "evil" not in html  # only coordinates survive
    assert len(INLINE_SCRIPT.findall(html)) == len(re.findall(r"<script>", html)) == 2


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to parse JavaScript")
def test_inline_scripts_are_valid_javascript(tmp_path):
    html = render(hostile_plan(), asset_url)
    for index, body in enumerate(INLINE_SCRIPT.findall(html)):
        script = tmp_path / f"inline{index}.js"
        script.write_text(body, encoding="utf-8")
        result = subprocess.run(["node", "--check", str(script)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_layers_per_team_with_markers_routes_and_fitted_bounds():
    doc = make_plan()
    html = render(doc, asset_url)
    assert html.count("L.featureGroup(") == len(doc.teams) + 1  # + region boundaries
    names = labels(html)
    assert names["control"] == {"collapsed": False}
    overlays = [label for _layer, label, _swatch in names["overlays"]]
    assert overlays == ["Region boundaries"] + [f"Team {team.code}" for team in doc.teams]
    for layer, _label, _swatch in names["overlays"]:
        assert f"var {layer} = L.featureGroup(" in html
    mapped = sum(1 for t in doc.teams for r in t.rows if r.lat is not None)
    assert mapped == 11  # one station has no coordinates
    assert html.count("L.circleMarker(") == mapped
    assert html.count("L.polyline(") == len(doc.teams)
    assert html.count("L.marker(") == len(doc.teams)  # bases
    assert html.count("L.geoJson(") == len(doc.boundaries)
    assert "fitBounds(" in html
    text = label_text(html)
    assert "planned arrival 07:00" in text and "stop 1 (opening)" in text
    assert ["PS-0100", "Primary School 100"] in [
        line for _, lines in names["tooltips"] for line in lines
    ]
    tooltips = {layer for layer, _lines in names["tooltips"]}
    assert len(tooltips) == mapped + 2 * len(doc.teams) + len(doc.boundaries)
    for layer in tooltips:
        assert f"var {layer} = L." in html


def test_empty_plan_renders_without_bounds():
    doc = replace(make_plan(), teams=[], boundaries=[])
    html = render(doc, asset_url)
    assert "L.map(" in html and "fitBounds(" not in html


def test_csp_hashes_match_every_inline_script_and_style():
    page = render_plan_map(hostile_plan(), asset_url)
    html = page.html

    def expected(body: str) -> str:
        digest = hashlib.sha256(body.encode()).digest()
        return "sha256-" + base64.b64encode(digest).decode()

    bodies = INLINE_SCRIPT.findall(html)
    assert list(page.script_hashes) == [expected(b) for b in bodies]
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert styles and list(page.style_hashes) == [expected(b) for b in styles]
    sample = '<script src="/a.js"></script><script>x()</script><script type="module">y()</script>'
    assert script_hashes(sample) == [expected("x()"), expected("y()")]
    assert "style=" not in html  # inline style attributes would need 'unsafe-inline'


def test_a_big_plan_map_draws_every_station_and_team():
    """The country-sized map's time is measured by benchmarks/plan_outputs.py."""
    html = render(make_big_plan(40, 400), asset_url)
    assert html.count("L.circleMarker(") == 400
    assert html.count("L.featureGroup(") == 41
