"""What a plan looks like to people: coverage by region, team sheets, the observer's route."""

from datetime import UTC, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased, selectinload

from observer_suite.deployment.types import (
    CoverageRow,
    MemberLine,
    PlanDocument,
    RouteRow,
    TeamSheet,
)
from observer_suite.extensions import db
from observer_suite.models import (
    Area,
    DeploymentPlan,
    Mission,
    PlanStop,
    PollingStation,
    Team,
    TeamMember,
    User,
)
from observer_suite.registry.services import within
from observer_suite.util.checked import present


def coverage_by_region(plan: DeploymentPlan) -> list[CoverageRow]:
    """Stations planned / total and registered voters covered, per region, in one GROUP BY."""
    region = aliased(Area)
    planned = select(PlanStop.station_id).where(PlanStop.plan_id == plan.id).scalar_subquery()
    is_planned = PollingStation.id.in_(planned)
    rows = db.session.execute(
        select(
            region.name,
            func.count(PollingStation.id),
            func.sum(case((is_planned, 1), else_=0)),
            func.coalesce(func.sum(PollingStation.registered_voters), 0),
            func.coalesce(
                func.sum(case((is_planned, PollingStation.registered_voters), else_=0)), 0
            ),
        )
        .join(Area, PollingStation.area_id == Area.id)
        .join(
            region,
            (region.mission_id == plan.mission_id)
            & (region.level == 0)
            & within(Area.path, region.path),
        )
        .where(PollingStation.mission_id == plan.mission_id)
        .group_by(region.id, region.name, region.path)
        .order_by(region.path)
    ).all()
    return [
        CoverageRow(
            region=name,
            stations_total=int(total),
            stations_planned=int(planned_count or 0),
            voters_total=int(voters or 0),
            voters_planned=int(voters_planned or 0),
        )
        for name, total, planned_count, voters, voters_planned in rows
    ]


def _fmt_time(value) -> str:
    return value.strftime("%H:%M") if value else ""


def team_sheets(plan: DeploymentPlan, team_ids: list[int] | None = None) -> list[TeamSheet]:
    query = (
        select(Team)
        .where(Team.mission_id == plan.mission_id, Team.kind == "sto")
        .options(selectinload(Team.members).selectinload(TeamMember.observer))
        .order_by(Team.code)
    )
    if team_ids is not None:
        query = query.where(Team.id.in_(team_ids))
    teams = db.session.scalars(query).all()
    stops = db.session.execute(
        select(PlanStop, PollingStation, Area.name)
        .join(PollingStation, PlanStop.station_id == PollingStation.id)
        .join(Area, PollingStation.area_id == Area.id)
        .where(PlanStop.plan_id == plan.id)
        .order_by(PlanStop.team_id, PlanStop.position)
    ).all()
    by_team: dict[int, list] = {}
    for stop, station, area_name in stops:
        by_team.setdefault(stop.team_id, []).append((stop, station, area_name))
    sheets = []
    for team in teams:
        rows = [
            RouteRow(
                position=stop.position,
                kind=stop.kind.value,
                station_code=station.code,
                station_name=station.name,
                area_name=area_name,
                lat=station.latitude,
                lon=station.longitude,
                arrival=_fmt_time(stop.planned_arrival),
                station_id=station.id,
            )
            for stop, station, area_name in by_team.get(team.id, [])
        ]
        members = [
            MemberLine(
                name=m.observer.name,
                role=m.role.value,
                nationality=m.observer.nationality or "",
                gender=m.observer.gender.value if m.observer.gender else "",
                phone=m.observer.phone or "",
                email=m.observer.email or "",
            )
            for m in team.members
        ]
        sheets.append(
            TeamSheet(
                team_id=team.id,
                code=team.code,
                members=members,
                base_name=team.base_name or "",
                base_lat=team.base_latitude,
                base_lon=team.base_longitude,
                rows=rows,
                travel_km=round(sum(s.travel_km or 0 for s, _, _ in by_team.get(team.id, [])), 1),
                problems=[p for p in (plan.problems or []) if p.startswith(f"team {team.code}:")],
            )
        )
    return sheets


def plan_document(plan: DeploymentPlan) -> PlanDocument:
    mission = present(db.session.get(Mission, plan.mission_id))
    regions = db.session.scalars(
        select(Area)
        .where(Area.mission_id == mission.id, Area.level == 0, Area.boundary.is_not(None))
        .order_by(Area.path)
    ).all()
    return PlanDocument(
        mission_name=mission.name,
        plan_name=plan.name,
        mode=plan.mode.value,
        status=plan.status.value,
        election_day=plan.election_day.isoformat(),
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        coverage=coverage_by_region(plan),
        teams=team_sheets(plan),
        boundaries=[(area.name, present(area.boundary)) for area in regions],  # IS NOT NULL
        problems=list(plan.problems or []),
        sampling=plan.sampling,
    )


def team_of_user(user: User, mission: Mission) -> Team | None:
    """The team of the observer this login belongs to, in this mission."""
    if user.observer_id is None:
        return None
    return db.session.scalar(
        select(Team)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.observer_id == user.observer_id, Team.mission_id == mission.id)
    )


def my_route(user: User, mission: Mission) -> tuple[DeploymentPlan, TeamSheet] | None:
    """The published route of the user's own team: all an observer is shown of any plan."""
    from observer_suite.deployment.services import published_plan

    team = team_of_user(user, mission)
    if team is None:
        return None
    plan = published_plan(mission)
    if plan is None:
        return None
    sheets = team_sheets(plan, [team.id])
    return (plan, sheets[0]) if sheets else None
