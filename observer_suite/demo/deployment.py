"""The demo's teams and published plan, so a demo observer who logs in sees a route."""

from collections.abc import Callable, Iterator

from sqlalchemy import func, select

from observer_suite.deployment import services as plans
from observer_suite.deployment.types import PlanOptions
from observer_suite.extensions import db
from observer_suite.models import Area, Mission, PollingStation, Team, TeamKind
from observer_suite.teams.services import Base, auto_pair

PLAN_OPTIONS = PlanOptions(stations_per_team=10, max_radius_km=60, seed=1, time_limit_s=5)


def _town_bases(mission: Mission) -> Iterator[Base]:
    """Guesthouses in each district's two biggest polling centres, districts in turn."""
    rows = db.session.execute(
        select(
            Area.code,
            Area.name,
            PollingStation.polling_centre,
            PollingStation.latitude,
            PollingStation.longitude,
            func.count(),
        )
        .join(Area, PollingStation.area_id == Area.id)
        .where(PollingStation.mission_id == mission.id, PollingStation.latitude.is_not(None))
        .group_by(
            Area.code,
            Area.name,
            PollingStation.polling_centre,
            PollingStation.latitude,
            PollingStation.longitude,
        )
        .order_by(Area.code, func.count().desc(), PollingStation.polling_centre)
    ).all()
    by_district: dict[str, list] = {}
    for code, name, _centre, lat, lon, _count in rows:
        by_district.setdefault(code, [])
        if len(by_district[code]) < 2:
            by_district[code].append(Base(f"Guesthouse, {name}", round(lat, 5), round(lon, 5)))
    for rank in (0, 1):
        for code in sorted(by_district):
            if rank < len(by_district[code]):
                yield by_district[code][rank]


def build_teams(mission: Mission, echo: Callable[[str], object]) -> None:
    existing = db.session.scalar(
        select(func.count(Team.id)).where(Team.mission_id == mission.id, Team.kind == TeamKind.STO)
    )
    if existing:
        echo(f"Teams: {existing} STO teams already there")
        return
    bases = _town_bases(mission)
    summary = auto_pair(mission, seed=1, base_from=lambda _members: next(bases, None))
    if summary.result.errors:
        from observer_suite.demo import DemoError

        raise DemoError("; ".join(summary.result.errors))
    echo(f"Teams: {len(summary.teams)} STO teams paired")


def publish_plan(mission: Mission, echo: Callable[[str], object]) -> None:
    if plans.published_plan(mission) is not None:
        echo("Plan: a published deployment plan is already there")
        return
    plan = plans.create_plan(
        mission, "purposive", PLAN_OPTIONS, name="Election day deployment", created_by="demo"
    )
    plans.publish(plan, plan.version)
    teams = len({stop.team_id for stop in plan.stops})
    echo(f"Plan: {len(plan.stops)} stations for {teams} teams, published")
