"""Incidents for the report: category × severity, per area, unplaced, the critical ones, points.

An incident counts when it is not rejected and was received by the cut-off. Its area is its
station's; one reported by GPS only has no area and counts as `unplaced` in the mission
report (a regional briefing leaves those out, as nothing places them in the region). Map
points use the GPS position, else the station's coordinates.
"""

from datetime import UTC

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased

from observer_suite.extensions import db
from observer_suite.models import Area, Incident, IncidentCategory, IncidentStatus, Severity
from observer_suite.observations.instants import in_zone
from observer_suite.observations.listing import mission_zone
from observer_suite.reporting.statistics.election_day_stats import IncidentBrief, IncidentSummary
from observer_suite.reporting.statistics.scope import (
    Scope,
    StationJoin,
    counted_incidents,
    station_join,
)

SEVERITIES = tuple(s.value for s in Severity)


def _base(scope: Scope, sj: StationJoin, *columns):
    query = sj.apply(select(*columns).select_from(Incident), Incident.station_id, scope)
    return query.where(*counted_incidents(scope))


def _coordinates(sj: StationJoin):
    gps = and_(Incident.latitude.is_not(None), Incident.longitude.is_not(None))
    lat = case((gps, Incident.latitude), else_=sj.lat)
    lon = case((gps, Incident.longitude), else_=sj.lon)
    return lat, lon


def incident_summary(scope: Scope) -> IncidentSummary:
    """Three queries: the counts (GROUP BY category, severity, area), the map points and the
    critical incidents."""
    sj = station_join(scope)
    inner = _base(
        scope,
        sj,
        Incident.category_id.label("category_id"),
        Incident.severity.label("severity"),
        sj.area_id.label("area_id"),
        case((Incident.station_id.is_(None), 1), else_=0).label("gps_only"),
    ).subquery()
    grouped = select(
        inner.c.category_id,
        inner.c.severity,
        inner.c.area_id,
        func.count(),
        func.sum(inner.c.gps_only),
    ).group_by(inner.c.category_id, inner.c.severity, inner.c.area_id)
    rows = db.session.execute(grouped).all()

    used = {row[0] for row in rows}
    categories = [
        c
        for c in db.session.scalars(
            select(IncidentCategory)
            .where(IncidentCategory.mission_id == scope.mission.id)
            .order_by(IncidentCategory.position, IncidentCategory.id)
        )
        if c.active or c.id in used
    ]
    cat_index = {c.id: i for i, c in enumerate(categories)}
    sev_index = {s: i for i, s in enumerate(SEVERITIES)}
    area_index = scope.area_index
    counts = [[0] * len(SEVERITIES) for _ in categories]
    per_area = [0] * len(scope.areas)
    total = unplaced = 0
    for category_id, severity, area_id, n, gps_only in rows:
        counts[cat_index[category_id]][sev_index[Severity(severity).value]] += n
        total += n
        unplaced += int(gps_only or 0)
        if area_id in area_index:
            per_area[area_index[area_id]] += n

    lat, lon = _coordinates(sj)
    points_query = _base(scope, sj, lat, lon, Incident.severity).order_by(Incident.id)
    points = tuple(
        (float(la), float(lo), Severity(sev).value)
        for la, lo, sev in db.session.execute(points_query)
        if la is not None and lo is not None
    )
    return IncidentSummary(
        categories=tuple(c.code for c in categories),
        category_labels=tuple(c.label(scope.lang) for c in categories),
        severities=SEVERITIES,
        counts=tuple(tuple(row) for row in counts),
        total=total,
        areas=tuple(per_area),
        unplaced=unplaced,
        critical=critical_incidents(scope, sj, {c.id: c for c in categories}),
        points=points,
    )


def critical_incidents(
    scope: Scope, sj: StationJoin, categories: dict
) -> tuple[IncidentBrief, ...]:
    """Severity critical, newest first: the annex of the report and the dashboard's list."""
    lat, lon = _coordinates(sj)
    breakdown = aliased(Area)
    query = (
        _base(
            scope,
            sj,
            Incident.id,
            Incident.title,
            Incident.category_id,
            Incident.status,
            Incident.occurred_at,
            sj.station.code,
            func.coalesce(breakdown.name, sj.station_area.name),
            lat,
            lon,
        )
        .outerjoin(breakdown, breakdown.id == sj.area_id)
        .where(Incident.severity == Severity.CRITICAL)
        .order_by(Incident.occurred_at.desc(), Incident.id.desc())
    )
    zone = mission_zone(scope.mission)
    briefs = []
    for row in db.session.execute(query):
        occurred = row[4] if row[4].tzinfo else row[4].replace(tzinfo=UTC)
        if in_zone(occurred, zone) is None:  # stored far out (year 9999): not shown
            occurred = None
        category = categories.get(row[2])
        briefs.append(
            IncidentBrief(
                id=row[0],
                title=row[1],
                category=category.label(scope.lang) if category else "",
                severity=Severity.CRITICAL.value,
                status=IncidentStatus(row[3]).value,
                occurred_at=occurred.astimezone(UTC) if occurred else None,
                station_code=row[5],
                area_name=row[6] or "",
                latitude=float(row[7]) if row[7] is not None else None,
                longitude=float(row[8]) if row[8] is not None else None,
            )
        )
    return tuple(briefs)
