"""Turn a mission's rows into the planner's plain data, and plan options into JSON and back."""

import dataclasses
from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import aliased

from observer_suite.deployment.types import PlanOptions, SampleOptions, StationPoint, TeamBase
from observer_suite.extensions import db
from observer_suite.models import Area, Mission, PollingStation, Team, TeamKind
from observer_suite.registry.services import within


def station_points(mission: Mission) -> list[StationPoint]:
    """Every station with its region (top-level area) found by the path prefix, in SQL."""
    region = aliased(Area)
    rows = db.session.execute(
        select(
            PollingStation.id,
            PollingStation.code,
            PollingStation.name,
            PollingStation.latitude,
            PollingStation.longitude,
            PollingStation.registered_voters,
            PollingStation.polling_centre,
            Area.name,
            region.code,
            region.name,
        )
        .join(Area, PollingStation.area_id == Area.id)
        .join(
            region,
            (region.mission_id == mission.id)
            & (region.level == 0)
            & within(Area.path, region.path),
        )
        .where(PollingStation.mission_id == mission.id)
        .order_by(PollingStation.code)
    ).all()
    points = []
    for sid, code, name, lat, lon, voters, centre, area_name, rcode, rname in rows:
        site = f"{lat:.5f},{lon:.5f}" if lat is not None else (centre or code)
        points.append(
            StationPoint(
                id=sid,
                code=code,
                name=name,
                lat=lat,
                lon=lon,
                region=rcode or rname,
                area_name=area_name,
                registered_voters=voters,
                site=site,
            )
        )
    return points


def team_bases(mission: Mission, locked_routes: dict[int, tuple[int, ...]]) -> list[TeamBase]:
    teams = db.session.scalars(
        select(Team)
        .where(Team.mission_id == mission.id, Team.kind == TeamKind.STO)
        .order_by(Team.code)
    ).all()
    return [
        TeamBase(
            id=team.id,
            code=team.code,
            lat=team.base_latitude,
            lon=team.base_longitude,
            locked_route=locked_routes.get(team.id, ()),
        )
        for team in teams
    ]


def _to_json(value):
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, tuple):
        return list(value)
    return value


def options_to_json(options: PlanOptions | SampleOptions) -> dict:
    return {f.name: _to_json(getattr(options, f.name)) for f in dataclasses.fields(options)}


def options_from_json(cls, data: dict | None):
    data = dict(data or {})
    known = {f.name: f for f in dataclasses.fields(cls)}
    values = {}
    for name, value in data.items():
        if name not in known:
            continue
        default = getattr(cls(), name)
        if isinstance(default, time) and isinstance(value, str):
            value = time.fromisoformat(value)
        elif isinstance(default, tuple):
            value = tuple(value)
        values[name] = value
    return cls(**values)
