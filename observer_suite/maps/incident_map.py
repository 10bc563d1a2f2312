"""The incident map: rows loaded by one SQL query, a page rendered by a pure function.

Why not folium's MarkerCluster with one Marker and Popup per incident: that writes ~1 kB of
JavaScript per incident into the page (10 MB for 10,000) and needs jQuery for popups. Here
the page carries one compact JSON array (indices into lookup tables, positions rounded to
about a metre) and static/js/maps/incident-map.js builds clusters, category layers, the heat
layer, legend and popups (DOM text only) in the browser. benchmarks/maps.py compares both.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from observer_suite.extensions import db
from observer_suite.maps.boundaries import AreaShape
from observer_suite.maps.filters import SEVERITIES, STATUSES, IncidentFilters
from observer_suite.models import (
    Incident,
    IncidentCategory,
    IncidentStatus,
    Mission,
    PollingStation,
    Severity,
)
from observer_suite.util.folium_map import AssetUrl, MapDocument, MapPage, add_boundaries, fit
from observer_suite.util.formatting import clean, valid_point

MARKERCLUSTER_JS = "vendor/leaflet.markercluster/leaflet.markercluster.js"
MARKERCLUSTER_CSS = "vendor/leaflet.markercluster/MarkerCluster.css"
MARKERCLUSTER_THEME = "vendor/leaflet.markercluster/MarkerCluster.Default.css"
HEAT_JS = "vendor/leaflet.heat/leaflet-heat.js"
INCIDENT_JS = "js/maps/incident-map.js"
DATA_ID = "incident-data"
SEVERITY_COLOURS = {"low": "#3b82c4", "medium": "#e0a800", "high": "#e8590c", "critical": "#b3261e"}
STATUS_LABELS = {
    "reported": "Reported",
    "verified": "Verified",
    "rejected": "Rejected",
    "follow_up": "Follow-up",
    "resolved": "Resolved",
}
FIELDS = ["lat", "lon", "severity", "category", "status", "title", "minute", "station", "id"]
DIGITS = 5  # about a metre


@dataclass(frozen=True)
class IncidentPoint:
    id: int
    lat: float
    lon: float
    severity: str  # a Severity value
    category: str  # category code
    status: str  # an IncidentStatus value
    title: str
    occurred_at: datetime  # aware
    station: str = ""  # "code · name", or "" when not at a station


@dataclass(frozen=True)
class IncidentMapData:
    points: list[IncidentPoint]
    categories: list[tuple[str, str]]  # (code, label) in taxonomy order
    unplaced: int = 0  # incidents that matched the filters but have no position
    timezone: str = "UTC"

    @property
    def total(self) -> int:
        return len(self.points) + self.unplaced


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite drops the zone


def _filtered(query, filters: IncidentFilters, code_of: dict[int, str]):
    if filters.categories:
        wanted = [i for i, code in code_of.items() if code in set(filters.categories)]
        query = query.where(Incident.category_id.in_(wanted))
    if filters.severities:
        query = query.where(Incident.severity.in_([Severity(s) for s in filters.severities]))
    if filters.statuses:
        query = query.where(Incident.status.in_([IncidentStatus(s) for s in filters.statuses]))
    if filters.start:
        query = query.where(Incident.occurred_at >= filters.start)
    if filters.end:
        query = query.where(Incident.occurred_at < filters.end)
    return query


def _codes(mission: Mission) -> dict[int, str]:
    return dict(
        db.session.execute(
            select(IncidentCategory.id, IncidentCategory.code).where(
                IncidentCategory.mission_id == mission.id
            )
        )
        .tuples()
        .all()
    )


def _placed(lat, lon):
    return lat.is_not(None) & lon.is_not(None) & lat.between(-90, 90) & lon.between(-180, 180)


def incident_counts(mission: Mission, filters: IncidentFilters | None = None) -> tuple[int, int]:
    """(incidents matching the filters, those of them without any position), in one query."""
    unplaced = ~_placed(Incident.latitude, Incident.longitude) & ~_placed(
        PollingStation.latitude, PollingStation.longitude
    )
    query = (
        select(func.count(Incident.id), func.count(Incident.id).filter(unplaced))
        .outerjoin(PollingStation, PollingStation.id == Incident.station_id)
        .where(Incident.mission_id == mission.id)
    )
    total, without = db.session.execute(
        _filtered(query, filters or IncidentFilters(), _codes(mission))
    ).one()
    return int(total), int(without or 0)


def load_incident_rows(
    mission: Mission, filters: IncidentFilters | None = None, lang: str = "en"
) -> IncidentMapData:
    """The mission's incidents matching `filters`, with a position: own GPS, else station's."""
    filters = filters or IncidentFilters()
    taxonomy = db.session.scalars(
        select(IncidentCategory)
        .where(IncidentCategory.mission_id == mission.id)
        .order_by(IncidentCategory.position, IncidentCategory.id)
    ).all()
    code_of = {c.id: c.code for c in taxonomy}
    query = (
        select(
            Incident.id,
            Incident.latitude,
            Incident.longitude,
            PollingStation.latitude,
            PollingStation.longitude,
            Incident.severity,
            Incident.category_id,
            Incident.status,
            Incident.title,
            Incident.occurred_at,
            PollingStation.code,
            PollingStation.name,
        )
        .outerjoin(PollingStation, PollingStation.id == Incident.station_id)
        .where(Incident.mission_id == mission.id)
        .order_by(Incident.occurred_at, Incident.id)
    )
    query = _filtered(query, filters, code_of)
    points, unplaced = [], 0
    for row in db.session.execute(query):
        lat, lon = row[1], row[2]
        if not valid_point(lat, lon):
            lat, lon = row[3], row[4]
        if not valid_point(lat, lon):
            unplaced += 1
            continue
        station = f"{row[10]} \u00b7 {row[11]}" if row[10] else ""
        points.append(
            IncidentPoint(
                id=row[0],
                lat=lat,
                lon=lon,
                severity=str(getattr(row[5], "value", row[5])),
                category=code_of.get(row[6], "other"),
                status=str(getattr(row[7], "value", row[7])),
                title=row[8],
                occurred_at=_aware(row[9]),
                station=station,
            )
        )
    return IncidentMapData(
        points=points,
        categories=[(c.code, c.label(lang)) for c in taxonomy],
        unplaced=unplaced,
        timezone=mission.timezone or "UTC",
    )


def _index(values: list[str], extra: str) -> dict[str, int]:
    table = {value: i for i, value in enumerate(values)}
    table.setdefault(extra, len(table))
    return table


def compact_payload(data: IncidentMapData, incident_link: str) -> dict:
    """Everything the page script needs, rows as arrays of indices (see FIELDS)."""
    categories = list(data.categories)
    known = {code for code, _ in categories}
    categories += sorted({(p.category, p.category) for p in data.points if p.category not in known})
    category_index = {code: i for i, (code, _) in enumerate(categories)}
    severity_index = {code: i for i, code in enumerate(SEVERITIES)}
    status_index = {code: i for i, code in enumerate(STATUSES)}
    stations: dict[str, int] = {}
    base = min((int(p.occurred_at.timestamp() // 60) for p in data.points), default=0)
    rows = []
    for p in data.points:
        station = stations.setdefault(p.station, len(stations)) if p.station else -1
        rows.append(
            [
                round(p.lat, DIGITS),
                round(p.lon, DIGITS),
                severity_index.get(p.severity, 0),
                category_index[p.category],
                status_index.get(p.status, 0),
                clean(p.title)[:200],
                int(p.occurred_at.timestamp() // 60) - base,
                station,
                p.id,
            ]
        )
    return {
        "fields": FIELDS,
        "severities": [
            {"code": s, "label": s.capitalize(), "colour": SEVERITY_COLOURS[s]} for s in SEVERITIES
        ],
        "categories": [{"code": code, "label": clean(label)} for code, label in categories],
        "statuses": [{"code": s, "label": STATUS_LABELS.get(s, s)} for s in STATUSES],
        "stations": [clean(name) for name in stations],
        "base": base,
        "tz": data.timezone,
        "link": incident_link,
        "unplaced": data.unplaced,
        "rows": rows,
    }


def render_incident_map(
    data: IncidentMapData,
    asset_url: AssetUrl,
    *,
    incident_link: str,
    tiles_url: str | None = None,
    attribution: str = "",
    boundaries: Sequence[AreaShape] = (),
    boundary_label: str = "Boundaries",
) -> MapPage:
    """The map document. Pure: plain data in, HTML out; `incident_link` + id opens one."""
    doc = MapDocument(
        asset_url,
        tiles_url=tiles_url,
        attribution=attribution,
        scripts=[MARKERCLUSTER_JS, HEAT_JS],
        styles=[MARKERCLUSTER_CSS, MARKERCLUSTER_THEME],
    )
    outline, layer = add_boundaries(doc, list(boundaries))
    payload = compact_payload(data, incident_link)
    payload["map"] = doc.map.get_name()
    payload["boundaries"] = layer.get_name() if layer is not None else None
    payload["boundaryLabel"] = clean(boundary_label)
    doc.data(DATA_ID, payload)
    doc.add_script(INCIDENT_JS)
    fit(doc, outline + [(p.lon, p.lat) for p in data.points])
    return doc.render()
