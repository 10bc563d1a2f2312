"""What one statistics run looks at: the cut-off, the breakdown areas, the stations in scope.

Every aggregate joins `station_areas(scope)`: one row per polling station in scope with its
breakdown area (a region, or in a regional briefing a district of that region) and its region,
found with the equality-join ancestor chain of the findings map (maps/findings.py), so the
cost stays linear in the rows whatever the depth of the hierarchy.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from observer_suite.errors import ServiceError
from observer_suite.extensions import db
from observer_suite.maps.findings import ancestor_at
from observer_suite.models import (
    Area,
    Incident,
    IncidentStatus,
    Mission,
    Observation,
    PollingStation,
    ReviewStatus,
)
from observer_suite.reporting.statistics.election_day_stats import AreaRef

CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")  # PostgreSQL refuses NUL in a string


class ScopeError(ServiceError):
    """A region or language of the statistics' scope refused; `field` names which."""


@dataclass(frozen=True)
class Scope:
    mission: Mission
    until: datetime  # aware UTC
    lang: str
    level: int  # level of the breakdown areas: 0 (regions) or 1 (a region's children)
    depth: int  # deepest area level of the mission
    region: AreaRef | None  # a regional briefing's region
    areas: tuple[AreaRef, ...]

    @property
    def area_index(self) -> dict[int, int]:
        return {area.id: i for i, area in enumerate(self.areas)}

    @property
    def area_level(self) -> str:
        levels = self.mission.area_levels or []
        if self.level < len(levels):
            return levels[self.level]
        return "region" if self.level == 0 else "district"


def as_utc(moment: datetime | None) -> datetime:
    """None → now; naive → taken as UTC; aware → converted to UTC."""
    if moment is None:
        return datetime.now(UTC)
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _everything_so_far(mission: Mission) -> datetime:
    """No cut-off asked for: now, or the newest report when one is stamped later (a
    simulated or imported election day ahead of the clock), so "live" never hides data."""
    now = datetime.now(UTC)
    newest = [
        db.session.scalar(select(func.max(model.received_at)).where(model.mission_id == mission.id))
        for model in (Observation, Incident)
    ]
    return max([now] + [as_utc(moment) for moment in newest if moment is not None])


def make_scope(mission: Mission, until: datetime | None, region: str | None, lang: str) -> Scope:
    """The breakdown for the whole mission (regions) or for one region (its children).

    Raises ScopeError when the mission has no such region.
    """
    depth = max(len(mission.area_levels or []) - 1, 1)
    region_ref = None
    if region is not None:
        if CONTROL_RE.search(region):
            raise ScopeError(f"{region[:40]!r} is not a region code", field="region")
        found = db.session.execute(
            select(Area.id, Area.code, Area.name).where(
                Area.mission_id == mission.id, Area.level == 0, Area.code == region
            )
        ).first()
        if found is None:
            message = f"no region with code {region!r} in {mission.slug}"
            raise ScopeError(message, field="region")
        region_ref = AreaRef(found.id, found.code, found.name)
        query = select(Area.id, Area.code, Area.name).where(
            Area.mission_id == mission.id, Area.parent_id == region_ref.id
        )
    else:
        query = select(Area.id, Area.code, Area.name).where(
            Area.mission_id == mission.id, Area.level == 0
        )
    areas = tuple(
        AreaRef(row.id, row.code, row.name)
        for row in db.session.execute(query.order_by(Area.path, Area.id))
    )
    return Scope(
        mission=mission,
        until=as_utc(until) if until is not None else _everything_so_far(mission),
        lang=lang,
        level=0 if region_ref is None else 1,
        depth=depth,
        region=region_ref,
        areas=areas,
    )


def station_areas(scope: Scope):
    """Subquery (station_id, area_id, region_id, lat, lon) of the stations in scope.

    area_id is the breakdown area holding the station (NULL for a station placed directly on
    the region in a regional briefing); region_id its level-0 ancestor.
    """
    station_area = aliased(Area)
    region_pick, joins = ancestor_at(0, scope.depth, station_area)  # the longest chain
    chain = [station_area] + [parent for _child, parent in joins]
    area_pick = case(*[(node.level == scope.level, node.id) for node in chain], else_=None)
    query = (
        select(
            PollingStation.id.label("station_id"),
            area_pick.label("area_id"),
            region_pick.label("region_id"),
            PollingStation.latitude.label("lat"),
            PollingStation.longitude.label("lon"),
        )
        .select_from(PollingStation)
        .join(station_area, station_area.id == PollingStation.area_id)
        .where(PollingStation.mission_id == scope.mission.id)
    )
    for child, parent in joins:
        query = query.outerjoin(parent, parent.id == child.parent_id)
    if scope.region is not None:
        query = query.where(region_pick == scope.region.id)
    return query.subquery("station_areas")


@dataclass(frozen=True)
class StationJoin:
    """The same columns as `station_areas`, joined inline to a nullable station reference.

    For outer joins (incidents, whose station is optional): SQLite would scan a materialised
    subquery once per row there, so the chain is joined directly instead.
    """

    station: type
    station_area: type
    # Columns of the aliased classes, as SQLAlchemy's typing leaves them.
    area_id: Any
    region_id: Any
    lat: Any
    lon: Any
    joins: tuple

    def apply(self, query, station_id, scope: Scope):
        query = query.outerjoin(self.station, self.station.id == station_id)
        for child, parent, on in self.joins:
            query = query.outerjoin(parent, parent.id == on(child))
        if scope.region is not None:
            query = query.where(self.region_id == scope.region.id)
        return query


def station_join(scope: Scope) -> StationJoin:
    station = aliased(PollingStation)
    station_area = aliased(Area)
    region_pick, joins = ancestor_at(0, scope.depth, station_area)
    chain = [station_area] + [parent for _child, parent in joins]
    area_pick = case(*[(node.level == scope.level, node.id) for node in chain], else_=None)
    steps = [(station, station_area, lambda s: s.area_id)] + [
        (child, parent, lambda c: c.parent_id) for child, parent in joins
    ]
    return StationJoin(
        station,
        station_area,
        area_pick,
        region_pick,
        station.latitude,
        station.longitude,
        tuple(steps),
    )


def received_by_cutoff(scope: Scope, model) -> list:
    """WHERE terms of a row (Observation or Incident) of this mission in by the cut-off."""
    return [model.mission_id == scope.mission.id, model.received_at <= scope.until]


def counted_incidents(scope: Scope) -> list:
    """WHERE terms of an incident that counts: this mission, not rejected, in by cut-off."""
    return [
        Incident.mission_id == scope.mission.id,
        Incident.status != IncidentStatus.REJECTED,
        Incident.received_at <= scope.until,
    ]


def counted_observations(scope: Scope) -> list:
    """WHERE terms of an observation that counts: this mission, not rejected, in by cut-off."""
    return [
        Observation.mission_id == scope.mission.id,
        Observation.review_status != ReviewStatus.REJECTED,
        Observation.received_at <= scope.until,
    ]


def aligned(scope: Scope, by_area: dict, empty):
    """A tuple aligned with scope.areas from {area_id: value}; `empty` where missing."""
    return tuple(by_area.get(area.id, empty) for area in scope.areas)
