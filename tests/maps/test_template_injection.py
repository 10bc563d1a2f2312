"""Template markers in every user-text field that reaches a map, a page or a PDF come out literally.

folium re-renders its pieces with Jinja2, so before map documents were built from a code-only
skeleton an incident titled `{{ 'zq' * 3 }}` printed "zqzqzq" (and `{{ lipsum.__globals__ … }}`
ran code on the server). Each marker below would show its evaluated form if any template engine
read it; none may appear, and each text must still arrive literally for the browser's script.
"""

import html
import io
import json
import re

import pytest
from pypdf import PdfReader

from observer_suite.deployment.mapview import render_plan_map
from observer_suite.maps.findings import AreaFinding
from observer_suite.maps.findings_map import render_findings_map
from observer_suite.maps.incident_map import IncidentMapData, render_incident_map
from observer_suite.util.folium_map import MapDocument
from tests.maps.test_incident_map import _point
from tests.reporting.sample_plans import make_plan

# Marker -> what it would become if a template engine rendered it.
MARKERS = {
    "{{ 'zq' * 3 }}": "zqzqzq",
    "{% for c in 'wx' %}Y{{ c }}{% endfor %}": "YwYx",
    "{{ lipsum.__globals__.os.getpid() }}": None,  # a number: checked by the two above
    "{# gone #}kept": None,
}
EVALUATED = [out for out in MARKERS.values() if out]
SHORT = "T{{'zq'*3}}{#c#}"  # fits a team code (30 characters)
LABELS = re.compile(r'<script type="application/json" id="([^"]+)">(.*?)</script>', re.S)
SQUARE = {"type": "Polygon", "coordinates": [[[7, 6], [8, 6], [8, 7], [7, 7], [7, 6]]]}


def marked(name: str) -> str:
    """A field value carrying every marker, tagged with the field's name."""
    return f"{name} " + " ".join(MARKERS)


def asset(path: str) -> str:
    return f"/static/{path}"


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _strings(item)


def data_strings(page: str) -> list[str]:
    return [s for _id, body in LABELS.findall(page) for s in _strings(json.loads(body))]


def assert_literal(page: str, *fields: str, texts: tuple[str, ...] = ()) -> None:
    """No marker evaluated anywhere; each field's text whole in a data block, and nowhere else."""
    for out in EVALUATED:
        assert out not in page
    skeleton = LABELS.sub("", page)
    assert "{{" not in skeleton and "{%" not in skeleton and "{#" not in skeleton
    strings = data_strings(page)
    for text in [marked(name) for name in fields] + list(texts):
        assert any(text in s for s in strings), text


def test_incident_map_keeps_every_text_literal():
    shape = type(
        "Shape", (), {"area_id": 1, "name": marked("area"), "code": "A", "geometry": SQUARE}
    )
    data = IncidentMapData(
        points=[_point(1, title=marked("title"), station=marked("station"), category="c")],
        categories=[("c", marked("category"))],
    )
    page = render_incident_map(
        data, asset, incident_link="/i/", boundaries=[shape], boundary_label=marked("level")
    )
    assert_literal(page.html, "title", "station", "category", "area", "level")


def test_findings_map_keeps_every_text_literal():
    shape = type(
        "Shape", (), {"area_id": 1, "name": marked("area"), "code": "A", "geometry": SQUARE}
    )
    rows = [AreaFinding(1, marked("area"), "A", 4, 1, 0.25)]
    page = render_findings_map(rows, [shape], asset, title=marked("indicator"))
    assert_literal(page.html, "area", "indicator")


def test_plan_map_keeps_every_text_literal():
    doc = make_plan()
    team = doc.teams[0]
    team.code, team.base_name = marked("team"), marked("base")
    team.rows[0].station_code = marked("code")
    team.rows[0].station_name = marked("station")
    team.rows[0].area_name = marked("district")
    doc.boundaries.append((marked("region"), SQUARE))
    page = render_plan_map(
        doc, asset, tiles_url="https://t.example.org/{z}/{x}/{y}.png", tiles_attribution="x"
    )
    assert_literal(page.html, "team", "base", "code", "station", "district", "region")


def test_skeleton_refuses_template_syntax_from_code():
    doc = MapDocument(asset)
    with pytest.raises(ValueError, match="template syntax"):
        doc.add_body("<div>{{ oops }}</div>", "x")


def test_csp_hashes_cover_only_the_skeleton():
    """A data block can hold `</script><script>…` text only escaped, and is never hashed."""
    hostile = "</script><script>alert(1)</script>" + " ".join(MARKERS)
    data = IncidentMapData(points=[_point(1, title=hostile)], categories=[("violence", "V")])
    page = render_incident_map(data, asset, incident_link="/i/")
    inline = re.findall(r"<script>(.*?)</script>", page.html, re.S)
    assert len(inline) == len(page.script_hashes)
    assert all("alert(1)" not in body for body in inline)


def _pdf_text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    reader = PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def test_staff_open_maps_pages_and_pdfs_and_see_text_literally(hostile_mission, login):
    world = hostile_mission
    client = login(world.users.lead)
    base = "/missions/field"
    frame = client.get(f"{base}/maps/incidents/map?boundaries=0")
    assert frame.status_code == 200
    assert_literal(frame.get_data(as_text=True), "title", "region", "station", "category")
    plan = client.get(f"{base}/plans/{world.plan.id}/map")
    assert plan.status_code == 200
    assert_literal(plan.get_data(as_text=True), "base", "station", "district", texts=(SHORT,))
    findings = client.get(f"{base}/maps/findings/map?level=0")
    assert findings.status_code == 200
    assert_literal(findings.get_data(as_text=True), "region", "form")
    for page in ("/maps/incidents", "/maps/findings", "/incidents/", "/dashboard",
                 f"/plans/{world.plan.id}"):  # fmt: skip
        response = client.get(base + page)
        assert response.status_code == 200, page
        text = response.get_data(as_text=True)
        for out in EVALUATED:
            assert out not in text, page
    incidents_page = html.unescape(client.get(f"{base}/incidents/").get_data(as_text=True))
    assert marked("title") in incidents_page
    pdfs = [f"{base}/reports/election-day.pdf", f"{base}/reports/incidents.pdf",
            f"{base}/plans/{world.plan.id}/deployment.pdf"]  # fmt: skip
    for url in pdfs:
        text = _pdf_text(client.get(url))
        for out in EVALUATED:
            assert out not in text, url
        assert "{{" in text or "{%" in text, url  # the names are printed, markers and all
