"""CSV, XLSX and GeoJSON of the filtered incident list: one row or feature per incident.

The rows are `listing.filtered` under the list's own filters, streamed (yield_per), so an
export holds exactly what the list shows. Spreadsheet cells go through
util/spreadsheet.py (formula text defused); GeoJSON is built with json.dumps, so text
stays the text the observer typed, escaped for JSON and nothing else (no HTML).
"""

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from datetime import datetime

from openpyxl import Workbook

from observer_suite.extensions import db
from observer_suite.incidents.listing import (
    IncidentFilters,
    category_label,
    filtered,
    mission_zone,
    position,
)
from observer_suite.models import Mission
from observer_suite.observations.instants import shown_in_zone
from observer_suite.util.spreadsheet import csv_text, xlsx_cell

COLUMNS = [
    "id",
    "uuid",
    "occurred_at",
    "received_at",
    "category_code",
    "category",
    "severity",
    "status",
    "title",
    "description",
    "station_code",
    "station_name",
    "region",
    "team",
    "latitude",
    "longitude",
    "position_source",
    "reporter",
    "photos",
    "observation_id",
]
BATCH = 1000
SPOOL_BYTES = 16 * 1024 * 1024  # larger workbooks go to disk


def records(mission: Mission, filters: IncidentFilters) -> Iterator[dict]:
    """One dict per incident with the COLUMNS as keys; times in the mission's zone."""
    zone = mission_zone(mission)
    query = filtered(mission, filters).execution_options(yield_per=BATCH)
    for row in db.session.execute(query):
        incident = row.Incident
        lat, lon, source = position(row)
        yield {
            "id": incident.id,
            "uuid": incident.uuid,
            "occurred_at": shown_in_zone(incident.occurred_at, zone),  # or "invalid date"
            "received_at": shown_in_zone(incident.received_at, zone),
            "category_code": row.category_code,
            "category": category_label(row.category_labels, row.category_code),
            "severity": incident.severity.value,
            "status": incident.status.value,
            "title": incident.title,
            "description": incident.description or "",
            "station_code": row.station_code,
            "station_name": row.station_name,
            "region": row.region,
            "team": row.team_code,
            "latitude": lat,
            "longitude": lon,
            "position_source": source,
            "reporter": row.reporter,
            "photos": row.photo_count,
            "observation_id": incident.observation_id,
        }


def csv_chunks(mission: Mission, filters: IncidentFilters) -> Iterator[str]:
    """The CSV (with a BOM so spreadsheets read UTF-8) in chunks of about BATCH rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for count, record in enumerate(records(mission, filters), start=1):
        writer.writerow([csv_text(record[name]) for name in COLUMNS])
        if count % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_file(mission: Mission, filters: IncidentFilters) -> tempfile.SpooledTemporaryFile:
    """The workbook in a temporary file (in memory while small), positioned at its start."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("incidents")
    sheet.append(COLUMNS)
    for record in records(mission, filters):
        sheet.append([xlsx_cell(sheet, record[name]) for name in COLUMNS])
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (send_file closes)
    book.save(out)
    out.seek(0)
    return out


def _json_value(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value


def feature(record: dict) -> dict:
    """A GeoJSON Feature: a Point at the incident (or its station), else geometry null."""
    lat, lon = record["latitude"], record["longitude"]
    geometry = None if lat is None or lon is None else {"type": "Point", "coordinates": [lon, lat]}
    properties = {
        name: _json_value(record[name]) for name in COLUMNS if name not in {"latitude", "longitude"}
    }
    return {"type": "Feature", "id": record["id"], "geometry": geometry, "properties": properties}


def geojson_chunks(mission: Mission, filters: IncidentFilters) -> Iterator[str]:
    """A FeatureCollection, streamed feature by feature."""
    chunk = ['{"type": "FeatureCollection", "features": [']
    for count, record in enumerate(records(mission, filters)):
        chunk.append(
            ("," if count else "") + "\n" + json.dumps(feature(record), ensure_ascii=False)
        )
        if len(chunk) >= BATCH:
            yield "".join(chunk)
            chunk = []
    chunk.append("\n]}\n")
    yield "".join(chunk)
