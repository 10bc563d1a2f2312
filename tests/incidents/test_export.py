"""CSV, XLSX and GeoJSON exports: columns, filters, literal text, formula guard, access."""

import csv
import io
import json

import openpyxl
import pytest

from observer_suite.incidents.export import COLUMNS
from tests.incidents.helpers import BASE

XSS_TITLE = "<img src=x onerror=alert(1)>"
XSS_TEXT = "<script>alert(1)</script>"


def _csv(client, query: str = "") -> list[dict]:
    response = client.get(f"{BASE}/export.csv?{query}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def _xlsx(client, query: str = ""):
    response = client.get(f"{BASE}/export.xlsx?{query}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))["incidents"]
    rows = list(sheet.iter_rows(values_only=True))
    return sheet, [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _geojson(client, query: str = "") -> dict:
    response = client.get(f"{BASE}/export.geojson?{query}")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    return json.loads(response.get_data(as_text=True))


def test_csv_has_one_row_per_incident_with_every_column(field, stored, login):
    rows = _csv(login(field.users.analyst))
    assert list(rows[0].keys()) == COLUMNS
    assert [int(r["id"]) for r in rows] == [stored.cash.id, stored.shots.id, stored.ink.id]
    shots = rows[1]
    assert shots["uuid"] == stored.shots.uuid
    assert shots["category_code"] == "violence" and shots["category"] == "Violence"
    assert (shots["severity"], shots["status"]) == ("critical", "reported")
    assert (shots["station_code"], shots["station_name"]) == ("S001", "School S001")
    assert (shots["region"], shots["team"], shots["reporter"]) == ("Region 1", "T01", "obs1")
    assert (shots["latitude"], shots["longitude"], shots["position_source"]) == (
        "6.0", "7.0", "station"
    )  # fmt: skip
    assert shots["occurred_at"] == "2027-02-25T09:30:00+00:00"
    assert shots["photos"] == "0" and shots["observation_id"] == ""
    ink = rows[2]
    assert (ink["latitude"], ink["longitude"], ink["position_source"]) == ("6.5", "7.25", "gps")
    assert ink["station_code"] == "" and ink["team"] == ""


@pytest.mark.parametrize(
    ("query", "expected"),
    [("severity=critical", {"shots"}), ("status=reported", {"shots", "ink"}),
     ("q=naira", {"cash"}), ("category=missing_materials", {"ink"}), ("status=resolved", set())],
)  # fmt: skip
def test_exports_obey_the_list_filters(field, stored, login, query, expected):
    client = login(field.users.analyst)
    want = {getattr(stored, name).id for name in expected}
    assert {int(r["id"]) for r in _csv(client, query)} == want
    assert {r["id"] for r in _xlsx(client, query)[1]} == want
    assert {f["id"] for f in _geojson(client, query)["features"]} == want


def test_user_text_is_exported_literally(field, incident_factory, login):
    incident = incident_factory(field.mission, title=XSS_TITLE, description=XSS_TEXT)
    client = login(field.users.analyst)
    row = next(r for r in _csv(client) if int(r["id"]) == incident.id)
    assert (row["title"], row["description"]) == (XSS_TITLE, XSS_TEXT)
    record = next(r for r in _xlsx(client)[1] if r["id"] == incident.id)
    assert (record["title"], record["description"]) == (XSS_TITLE, XSS_TEXT)
    feature = next(f for f in _geojson(client)["features"] if f["id"] == incident.id)
    assert feature["properties"]["title"] == XSS_TITLE
    assert feature["properties"]["description"] == XSS_TEXT
    raw = client.get(f"{BASE}/export.geojson").get_data(as_text=True)
    assert "&lt;" not in raw  # JSON-escaped only, never HTML-escaped


def test_formula_looking_text_is_neutralised(field, incident_factory, login):
    incident = incident_factory(
        field.mission, title='=HYPERLINK("http://x","click")', description="+1-2"
    )
    client = login(field.users.analyst)
    row = next(r for r in _csv(client) if int(r["id"]) == incident.id)
    assert row["title"] == '\'=HYPERLINK("http://x","click")' and row["description"] == "'+1-2"
    sheet, _records = _xlsx(client)
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    cell = next(c for c in sheet["A"] if c.value == incident.id).offset(
        column=header.index("title")
    )
    assert cell.value == '=HYPERLINK("http://x","click")' and cell.data_type == "s"


def test_geojson_is_a_feature_collection(field, stored, login, db):
    data = _geojson(login(field.users.lead))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 3
    by_id = {f["id"]: f for f in data["features"]}
    assert by_id[stored.ink.id]["geometry"] == {"type": "Point", "coordinates": [7.25, 6.5]}
    assert by_id[stored.shots.id]["geometry"]["coordinates"] == [7.0, 6.0]  # the station's
    props = by_id[stored.cash.id]["properties"]
    assert props["category"] == "Vote buying" and props["station_code"] == "S004"
    assert "latitude" not in props


def test_geojson_geometry_is_null_without_a_position(field, incident_factory, login):
    incident = incident_factory(field.mission, title="Somewhere")
    feature = next(f for f in _geojson(login(field.users.analyst))["features"]
                   if f["id"] == incident.id)  # fmt: skip
    assert feature["geometry"] is None and feature["properties"]["position_source"] == ""


def test_empty_exports_are_well_formed(field, login):
    client = login(field.users.analyst)
    assert _csv(client) == []
    assert _xlsx(client)[1] == []
    assert _geojson(client) == {"type": "FeatureCollection", "features": []}
