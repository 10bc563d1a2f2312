"""An area's centre: where a team based "in" that area sleeps.

The registered-voter-weighted mean of the coordinates of the stations of the area's whole
subtree (a station without a voter count weighs 1), computed in SQL.
"""

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from observer_suite.extensions import db
from observer_suite.models import Area, Mission, PollingStation
from observer_suite.registry.services import within

NEAR_DEGREES = 1.0  # about 110 km: a station farther from its area's median is an outlier
PICKER_LEVELS = 2  # the team form offers the regions and districts


@dataclass(frozen=True)
class Centre:
    area_id: int
    lat: float
    lon: float
    stations: int  # with coordinates
    voters: int  # all stations of the area
    counted: int  # stations with a voter count
    total: int  # all stations
    ignored: int = 0  # with coordinates far from the rest (see centres)


def _subtree(mission: Mission, area_ids: list[int] | None):
    """(area, station) rows: every station of each area's whole subtree."""
    below = aliased(Area)
    query = (
        select(Area.id.label("area_id"), PollingStation)
        .join(below, and_(below.mission_id == Area.mission_id, within(below.path, Area.path)))
        .join(PollingStation, PollingStation.area_id == below.id)
        .where(Area.mission_id == mission.id)
    )
    return query if area_ids is None else query.where(Area.id.in_(area_ids))


def _median(points, column: str):
    """Weighted median of one coordinate per area (window sums, on SQLite and PostgreSQL)."""
    value = points.c[column]
    ranked = select(
        points.c.area_id,
        value.label("v"),
        func.sum(points.c.w).over(partition_by=points.c.area_id, order_by=value).label("cum"),
        func.sum(points.c.w).over(partition_by=points.c.area_id).label("tot"),
    ).subquery()
    return (
        select(ranked.c.area_id, func.min(ranked.c.v).label("m"))
        .where(ranked.c.cum * 2 >= ranked.c.tot)
        .group_by(ranked.c.area_id)
        .subquery()
    )


def centres(mission: Mission, area_ids: list[int] | None = None) -> dict[int, Centre]:
    """Each area's voter-weighted centre over the stations of its whole subtree.

    Real station files hold a few stations geocoded to another continent; one of them would
    drag a plain mean hundreds of km away. So the centre is the weighted mean of the stations
    within NEAR_DEGREES of the area's weighted median point; the others are counted as ignored.
    """
    rows = _subtree(mission, area_ids).subquery()
    totals = select(
        rows.c.area_id,
        func.coalesce(func.sum(rows.c.registered_voters), 0),
        func.count(rows.c.registered_voters),
        func.count(rows.c.id),
        func.count(rows.c.latitude),
    ).group_by(rows.c.area_id)
    counts = {a: (int(v), int(c), int(t), int(n)) for a, v, c, t, n in db.session.execute(totals)}
    points = (
        select(
            rows.c.area_id,
            rows.c.latitude.label("lat"),
            rows.c.longitude.label("lon"),
            func.coalesce(func.nullif(rows.c.registered_voters, 0), 1).label("w"),
        )
        .where(rows.c.latitude.is_not(None), rows.c.longitude.is_not(None))
        .cte("points")
    )
    mlat, mlon = _median(points, "lat"), _median(points, "lon")
    near = (
        select(
            points.c.area_id,
            func.sum(points.c.w * points.c.lat),
            func.sum(points.c.w * points.c.lon),
            func.sum(points.c.w),
            func.count(),
        )
        .join(mlat, mlat.c.area_id == points.c.area_id)
        .join(mlon, mlon.c.area_id == points.c.area_id)
        .where(
            func.abs(points.c.lat - mlat.c.m) <= NEAR_DEGREES,
            func.abs(points.c.lon - mlon.c.m) <= NEAR_DEGREES,
        )
        .group_by(points.c.area_id)
    )
    found = {}
    for area_id, slat, slon, sw, kept in db.session.execute(near):
        voters, counted, total, located = counts[area_id]
        found[area_id] = Centre(
            area_id, slat / sw, slon / sw, int(kept), voters, counted, total, located - int(kept)
        )
    return found


def area_choices(mission: Mission) -> list[tuple[Area, Centre]]:
    """Regions and districts with stations to place a base at, in tree order."""
    areas = db.session.scalars(
        select(Area)
        .where(Area.mission_id == mission.id, Area.level < PICKER_LEVELS)
        .order_by(Area.path)
    ).all()
    found = centres(mission, [a.id for a in areas])
    return [(a, found[a.id]) for a in areas if a.id in found]
