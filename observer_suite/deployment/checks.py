"""The plan's rules checked on its stored routes, read from the database in two queries."""

from sqlalchemy import select

from observer_suite.deployment import inputs
from observer_suite.deployment.plan_common import team_label
from observer_suite.deployment.rules import route_breaks
from observer_suite.deployment.types import TeamBase
from observer_suite.extensions import db
from observer_suite.models import DeploymentPlan, Mission, PlanStop, StopKind, Team
from observer_suite.util.checked import present


def team_checks(plan: DeploymentPlan, team_ids=None) -> tuple[list[str], list[str], list[str]]:
    """(problem prefixes of the teams checked, rule breaks, notes) for these teams, or all."""
    from observer_suite.deployment.services import plan_options

    mission = present(db.session.get(Mission, plan.mission_id))
    options, _ = plan_options(plan)
    points = {p.id: p for p in inputs.station_points(mission)}
    query = select(Team).where(Team.mission_id == plan.mission_id).order_by(Team.code)
    if team_ids is not None:
        query = query.where(Team.id.in_(list(team_ids)))
    teams = db.session.scalars(query).all()
    stops = db.session.scalars(
        select(PlanStop)
        .where(PlanStop.plan_id == plan.id, PlanStop.team_id.in_([t.id for t in teams]))
        .order_by(PlanStop.team_id, PlanStop.position)
    ).all()
    prefixes, breaks, notes = [], [], []
    for team in teams:
        base = TeamBase(team.id, team.code, team.base_latitude, team.base_longitude)
        prefixes.append(f"{team_label(base)}:")
        route = [s for s in stops if s.team_id == team.id and s.station_id in points]
        found, noted = route_breaks(
            base,
            [points[s.station_id] for s in route],
            [StopKind(s.kind).value for s in route],
            [s.planned_arrival for s in route],
            options,
        )
        breaks += found
        notes += noted
    return prefixes, breaks, notes


def rule_breaks(plan: DeploymentPlan) -> list[str]:
    """Every hard rule the plan breaks now; publishing these needs an override."""
    return team_checks(plan)[1]
