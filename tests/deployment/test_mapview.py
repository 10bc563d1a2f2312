"""The plan web map: local assets only, escaped names, valid scripts, CSP hashes."""

import base64
import hashlib
import re
import shutil
import subprocess
import time
from dataclasses import replace

import pytest

from observer_suite.deployment.mapview import (
    escape_html,
    inline_script_hashes,
    inline_style_hashes,
    render_plan_map,
)
from tests.reporting.sample_plans import HOSTILE, HOSTILE_JS, make_big_plan, make_plan

SCRIPT_SRC = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?([^\"' >]+)", re.I)
LINK_HREF = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?([^\"' >]+)", re.I)
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


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
    html = render_plan_map(make_plan(), asset_url)
    assert SCRIPT_SRC.findall(html) == ["/static/vendor/leaflet/leaflet.js"]
    assert LINK_HREF.findall(html) == ["/static/favicon.svg", "/static/vendor/leaflet/leaflet.css"]
    assert "http://" not in html and "https://" not in html  # no tiles, no CDN, nothing
    lowered = html.lower()
    assert "jquery" not in lowered and "bootstrap" not in lowered and "$(`" not in html


def test_tiles_only_when_asked_and_assets_stay_local():
    html = render_plan_map(
        make_plan(),
        asset_url,
        tiles_url="https://tiles.example.org/{z}/{x}/{y}.png",
        tiles_attribution="© <Example> contributors",
    )
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in html
    # Leaflet shows attribution as HTML: escaped, then JSON-encoded by folium.
    assert "\\u0026lt;Example\\u0026gt;" in html and "<Example>" not in html
    for url in SCRIPT_SRC.findall(html) + LINK_HREF.findall(html):
        assert not url.startswith(("http://", "https://", "//"))
    assert "L.tileLayer" not in render_plan_map(make_plan(), asset_url)


def test_hostile_names_appear_escaped_only():
    html = render_plan_map(hostile_plan(), asset_url)
    for raw in (HOSTILE, HOSTILE_JS, "${alert(4)}"):
        assert raw not in html
    assert escape_html(HOSTILE) in html
    assert escape_html(HOSTILE_JS) in html
    assert "&lt;b&gt;X&lt;/b&gt; &amp; &lt;font size=40&gt;" in html
    assert "alert(5)" not in html and "evil" not in html  # only coordinates survive
    assert len(INLINE_SCRIPT.findall(html)) == len(re.findall(r"<script>", html)) == 2


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to parse JavaScript")
def test_inline_scripts_are_valid_javascript(tmp_path):
    html = render_plan_map(hostile_plan(), asset_url)
    for index, body in enumerate(INLINE_SCRIPT.findall(html)):
        script = tmp_path / f"inline{index}.js"
        script.write_text(body, encoding="utf-8")
        result = subprocess.run(["node", "--check", str(script)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_layers_per_team_with_markers_routes_and_fitted_bounds():
    doc = make_plan()
    html = render_plan_map(doc, asset_url)
    assert html.count("L.featureGroup(") == len(doc.teams) + 1  # + region boundaries
    assert "L.control.layers(" in html
    for team in doc.teams:
        assert f"Team {team.code}" in html
    mapped = sum(1 for t in doc.teams for r in t.rows if r.lat is not None)
    assert mapped == 11  # one station has no coordinates
    assert html.count("L.circleMarker(") == mapped
    assert html.count("L.polyline(") == len(doc.teams)
    assert html.count("L.marker(") == len(doc.teams)  # bases
    assert html.count("L.geoJson(") == len(doc.boundaries)
    assert "fitBounds(" in html
    assert "planned arrival 07:00" in html and "stop 1 (opening)" in html
    assert "PS-0100" in html and "Primary School 100" in html


def test_empty_plan_renders_without_bounds():
    doc = replace(make_plan(), teams=[], boundaries=[])
    html = render_plan_map(doc, asset_url)
    assert "L.map(" in html and "fitBounds(" not in html


def test_csp_hashes_match_every_inline_script_and_style():
    html = render_plan_map(hostile_plan(), asset_url)

    def expected(body: str) -> str:
        digest = hashlib.sha256(body.encode()).digest()
        return "sha256-" + base64.b64encode(digest).decode()

    bodies = INLINE_SCRIPT.findall(html)
    assert inline_script_hashes(html) == [expected(b) for b in bodies]
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert styles and inline_style_hashes(html) == [expected(b) for b in styles]
    page = '<script src="/a.js"></script><script>x()</script><script type="module">y()</script>'
    assert inline_script_hashes(page) == [expected("x()"), expected("y()")]
    assert "style=" not in html  # inline style attributes would need 'unsafe-inline'


def test_big_plan_map_renders_in_a_few_seconds():
    doc = make_big_plan(200, 2000)
    started = time.perf_counter()
    html = render_plan_map(doc, asset_url)
    seconds = time.perf_counter() - started
    assert html.count("L.circleMarker(") == 2000
    assert html.count("L.featureGroup(") == 201
    assert seconds < 10, f"{seconds:.1f} s"
