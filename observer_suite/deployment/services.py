"""Creating, editing and publishing deployment plans; plain functions, callers commit.

Every edit names the plan version it was made against. A stale version is refused with
PlanConflict (and the version column makes a concurrent flush fail too), so two coordinators
editing at once never silently overwrite each other.
"""

from datetime import UTC, date, datetime

from sqlalchemy import delete, select

from observer_suite import audit
from observer_suite.deployment import inputs
from observer_suite.deployment.types import (
    PlanOptions,
    PlanResult,
    SampleOptions,
    StationPoint,
    TeamBase,
)
from observer_suite.errors import ServiceError
from observer_suite.extensions import db
from observer_suite.models import (
    DeploymentPlan,
    Mission,
    PlanMode,
    PlanStatus,
    PlanStop,
    PlanTeamLock,
    StopKind,
    Team,
)
from observer_suite.util.checked import present


class PlanError(ServiceError):
    """The request cannot be carried out; `field` names what is at fault."""


class PlanConflict(ServiceError):
    """The plan changed since the editor loaded it."""

    status, code = 409, "conflict"


def run_planner(
    mode: PlanMode,
    stations: list[StationPoint],
    teams: list[TeamBase],
    options: PlanOptions,
    sample_options: SampleOptions | None,
) -> PlanResult:
    if mode == PlanMode.SAMPLE:
        from observer_suite.deployment.sample_design import plan_sample

        return plan_sample(stations, teams, options, sample_options or SampleOptions())
    from observer_suite.deployment.planner import plan_purposive

    return plan_purposive(stations, teams, options)


def create_plan(
    mission: Mission,
    mode: PlanMode | str,
    options: PlanOptions,
    sample_options: SampleOptions | None = None,
    name: str = "",
    election_day: date | None = None,
    created_by: str | None = None,
) -> DeploymentPlan:
    mode = PlanMode(mode)
    teams = inputs.team_bases(mission, {})
    if not teams:
        raise PlanError("the mission has no STO teams yet; pair the observers first", field="teams")
    stations = inputs.station_points(mission)
    if not stations:
        raise PlanError("the mission has no polling stations; import them first", field="stations")
    result = run_planner(mode, stations, teams, options, sample_options)
    plan = DeploymentPlan(
        mission_id=mission.id,
        name=name.strip() or f"{mode.value.capitalize()} plan, seed {options.seed}",
        election_day=election_day or mission.election_date,
        mode=mode,
        status=PlanStatus.DRAFT,
        options={
            "plan": inputs.options_to_json(options),
            "sample": inputs.options_to_json(sample_options) if sample_options else None,
        },
        seed=options.seed,
        created_by=created_by,
    )
    db.session.add(plan)
    db.session.flush()
    _store_result(plan, result)
    audit.record(
        db.session,
        "plan",
        "DeploymentPlan",
        mission.id,
        {"plan_id": plan.id, "stops": len(plan.stops), "problems": len(plan.problems)},
    )
    return plan


def plan_options(plan: DeploymentPlan) -> tuple[PlanOptions, SampleOptions | None]:
    stored = plan.options or {}
    sample = stored.get("sample")
    return (
        inputs.options_from_json(PlanOptions, stored.get("plan")),
        inputs.options_from_json(SampleOptions, sample) if sample else None,
    )


def _store_result(plan: DeploymentPlan, result: PlanResult) -> None:
    db.session.execute(delete(PlanStop).where(PlanStop.plan_id == plan.id))
    db.session.expire(plan, ["stops"])
    rows = [
        {
            "plan_id": plan.id,
            "team_id": route.team_id,
            "station_id": stop.station_id,
            "position": stop.position,
            "kind": StopKind(stop.kind).value,
            "planned_arrival": stop.arrival,
            "travel_km": round(stop.travel_km, 2),
        }
        for route in result.routes.values()
        for stop in route.stops
    ]
    if rows:
        db.session.execute(PlanStop.__table__.insert(), rows)
    problems = list(result.problems)
    for route in result.routes.values():
        problems.extend(p for p in route.problems if p not in problems)
    plan.problems = problems
    if result.sampling is not None:
        plan.sampling = result.sampling
    plan.updated_at = datetime.now(UTC)
    db.session.flush()


def _check_editable(plan: DeploymentPlan, expected_version: int | None) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise PlanError(
            "a published plan cannot be edited; make a new revision of it", field="status"
        )
    if expected_version is not None and plan.version != expected_version:
        raise PlanConflict(
            f"This plan was changed by someone else (version {plan.version}, you edited "
            f"version {expected_version}). Reload it and make your change again."
        )


def _locked(plan: DeploymentPlan) -> set[int]:
    return {lock.team_id for lock in plan.locked_teams if lock.locked}


def routes_by_team(plan: DeploymentPlan) -> dict[int, list[PlanStop]]:
    routes: dict[int, list[PlanStop]] = {}
    for stop in sorted(plan.stops, key=lambda s: (s.team_id, s.position)):
        routes.setdefault(stop.team_id, []).append(stop)
    return routes


def replan(plan: DeploymentPlan, expected_version: int | None) -> DeploymentPlan:
    """Plan again around the locked teams, whose routes stay exactly as they are."""
    _check_editable(plan, expected_version)
    mission = present(db.session.get(Mission, plan.mission_id))
    locked = _locked(plan)
    routes = routes_by_team(plan)
    locked_routes = {
        team_id: tuple(stop.station_id for stop in routes.get(team_id, [])) for team_id in locked
    }
    options, sample_options = plan_options(plan)
    result = run_planner(
        plan.mode,
        inputs.station_points(mission),
        inputs.team_bases(mission, locked_routes),
        options,
        sample_options,
    )
    _store_result(plan, result)
    audit.record(db.session, "replan", "DeploymentPlan", plan.mission_id, {"plan_id": plan.id})
    return plan


def _reschedule(plan: DeploymentPlan, team_id: int, station_ids: list[int]) -> None:
    """Rewrite one team's route in the given order, with kinds and planned times recomputed."""
    from observer_suite.deployment.plan_common import schedule
    from observer_suite.deployment.travel import StraightLineTravel

    mission = present(db.session.get(Mission, plan.mission_id))
    team = present(db.session.get(Team, team_id))
    points = {p.id: p for p in inputs.station_points(mission) if p.id in set(station_ids)}
    options, _ = plan_options(plan)
    base = TeamBase(team.id, team.code, team.base_latitude, team.base_longitude)
    travel = StraightLineTravel(options.road_factor, options.speed_kmh)
    route, _, _ = schedule(base, [points[i] for i in station_ids], options, travel, False)
    db.session.execute(
        delete(PlanStop).where(PlanStop.plan_id == plan.id, PlanStop.team_id == team_id)
    )
    if route.stops:
        db.session.execute(
            PlanStop.__table__.insert(),
            [
                {
                    "plan_id": plan.id,
                    "team_id": team_id,
                    "station_id": stop.station_id,
                    "position": stop.position,
                    "kind": StopKind(stop.kind).value,
                    "planned_arrival": stop.arrival,
                    "travel_km": round(stop.travel_km, 2),
                }
                for stop in route.stops
            ],
        )


def recheck(plan: DeploymentPlan, team_ids) -> list[str]:
    """Re-check the rules on these teams' stored routes; their problems become what holds now.

    Returns the breaks and notes found, so the page can say at once what the edit broke.
    """
    from observer_suite.deployment.checks import team_checks

    prefixes, breaks, notes = team_checks(plan, team_ids)
    kept = [p for p in (plan.problems or []) if not p.startswith(tuple(prefixes))]
    plan.problems = kept + breaks + notes
    return breaks + notes


def _team_of_plan(plan: DeploymentPlan, team_id: int) -> Team:
    team = db.session.get(Team, team_id)
    if team is None or team.mission_id != plan.mission_id:
        raise PlanError("no such team in this mission", field="team")
    return team


def _touch(plan: DeploymentPlan, action: str, details: dict) -> None:
    plan.updated_at = datetime.now(UTC)  # bumps the version; a concurrent edit fails here
    db.session.expire(plan, ["stops"])
    db.session.flush()
    audit.record(db.session, action, "DeploymentPlan", plan.mission_id, details)


def move_station(
    plan: DeploymentPlan, station_id: int, to_team_id: int, expected_version: int | None
) -> list[str]:
    """Move a planned station to another team's route (before its closing station)."""
    _check_editable(plan, expected_version)
    _team_of_plan(plan, to_team_id)
    routes = routes_by_team(plan)
    source = next(
        (tid for tid, stops in routes.items() if any(s.station_id == station_id for s in stops)),
        None,
    )
    if source is None:
        raise PlanError("that station is not in this plan", field="station")
    locked = _locked(plan)
    if source in locked or to_team_id in locked:
        raise PlanError("unlock the team's route before changing it", field="team")
    if source == to_team_id:
        return []
    old = [s.station_id for s in routes[source] if s.station_id != station_id]
    target = [s.station_id for s in routes.get(to_team_id, [])]
    target = [*target[:-1], station_id, *target[-1:]] if target else [station_id]
    _reschedule(plan, source, old)
    _reschedule(plan, to_team_id, target)
    breaks = recheck(plan, [source, to_team_id])
    _touch(plan, "move", {"plan_id": plan.id, "station_id": station_id, "to_team": to_team_id})
    return breaks


def reorder(
    plan: DeploymentPlan, team_id: int, station_ids: list[int], expected_version: int | None
) -> list[str]:
    _check_editable(plan, expected_version)
    _team_of_plan(plan, team_id)
    if team_id in _locked(plan):
        raise PlanError("unlock the team's route before changing it", field="team")
    current = [s.station_id for s in routes_by_team(plan).get(team_id, [])]
    if sorted(current) != sorted(station_ids):
        raise PlanError(
            "the new order must list exactly the team's current stations", field="stations"
        )
    _reschedule(plan, team_id, station_ids)
    breaks = recheck(plan, [team_id])
    _touch(plan, "reorder", {"plan_id": plan.id, "team_id": team_id})
    return breaks


def add_station(
    plan: DeploymentPlan, station_id: int, team_id: int, expected_version: int | None
) -> list[str]:
    """Add a station the planner left out to a team's route, before its closing station."""
    _check_editable(plan, expected_version)
    _team_of_plan(plan, team_id)
    if team_id in _locked(plan):
        raise PlanError("unlock the team's route before changing it", field="team")
    routes = routes_by_team(plan)
    if any(s.station_id == station_id for stops in routes.values() for s in stops):
        raise PlanError("that station is already in this plan; move it instead", field="station")
    order = [s.station_id for s in routes.get(team_id, [])]
    order = [*order[:-1], station_id, *order[-1:]] if order else [station_id]
    _reschedule(plan, team_id, order)
    breaks = recheck(plan, [team_id])
    _touch(plan, "add_stop", {"plan_id": plan.id, "station_id": station_id, "team_id": team_id})
    return breaks


def remove_station(
    plan: DeploymentPlan, station_id: int, expected_version: int | None
) -> tuple[int, list[str]]:
    """Take a station off its team's route; returns the team and the rule breaks now."""
    _check_editable(plan, expected_version)
    routes = routes_by_team(plan)
    team_id = next(
        (tid for tid, stops in routes.items() if any(s.station_id == station_id for s in stops)),
        None,
    )
    if team_id is None:
        raise PlanError("that station is not in this plan", field="station")
    if team_id in _locked(plan):
        raise PlanError("unlock the team's route before changing it", field="team")
    _reschedule(
        plan, team_id, [s.station_id for s in routes[team_id] if s.station_id != station_id]
    )
    breaks = recheck(plan, [team_id])
    _touch(plan, "remove_stop", {"plan_id": plan.id, "station_id": station_id, "team_id": team_id})
    return team_id, breaks


def move_within_route(
    plan: DeploymentPlan, team_id: int, station_id: int, step: int, expected_version: int | None
) -> list[str]:
    """Move one stop earlier (step -1) or later (+1) in its team's route."""
    order = [s.station_id for s in routes_by_team(plan).get(team_id, [])]
    if station_id not in order:
        raise PlanError("that station is not on this team's route", field="station")
    index = order.index(station_id)
    swap = index + step
    if 0 <= swap < len(order):
        order[index], order[swap] = order[swap], order[index]
    return reorder(plan, team_id, order, expected_version)


def set_lock(
    plan: DeploymentPlan, team_id: int, locked: bool, expected_version: int | None
) -> None:
    _check_editable(plan, expected_version)
    _team_of_plan(plan, team_id)
    lock = next((lk for lk in plan.locked_teams if lk.team_id == team_id), None)
    if lock is None:
        plan.locked_teams.append(PlanTeamLock(team_id=team_id, locked=locked))
    else:
        lock.locked = locked
    _touch(plan, "lock" if locked else "unlock", {"plan_id": plan.id, "team_id": team_id})


def publish(
    plan: DeploymentPlan, expected_version: int | None, override_reason: str | None = None
) -> None:
    """Publish: tablets show this plan; an earlier published plan for the day is superseded.

    A plan that breaks a rule is published only with an override and its reason (audited).
    """
    from observer_suite.deployment.checks import rule_breaks

    _check_editable(plan, expected_version)
    if not plan.stops:
        raise PlanError("an empty plan cannot be published", field="plan")
    breaks = rule_breaks(plan)
    reason = (override_reason or "").strip()
    if breaks and not reason:
        raise PlanError(
            f"this plan breaks {len(breaks)} rule(s); publishing it needs "
            "an override with a reason",
            field="override_reason",
        )
    earlier = db.session.scalars(
        select(DeploymentPlan)
        .where(
            DeploymentPlan.mission_id == plan.mission_id,
            DeploymentPlan.election_day == plan.election_day,
            DeploymentPlan.status == PlanStatus.PUBLISHED,
            DeploymentPlan.id != plan.id,
        )
        .order_by(DeploymentPlan.published_at.desc())
    ).all()
    for other in earlier:
        other.status = PlanStatus.SUPERSEDED
    plan.replaced_id = earlier[0].id if earlier else None
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = datetime.now(UTC)
    details = {"plan_id": plan.id, "replaced": plan.replaced_id}
    if breaks:
        plan.publish_override = reason[:2000]
        details |= {"override_reason": reason[:2000], "rule_breaks": breaks}
    _touch(plan, "publish_override" if breaks else "publish", details)


def published_plan(mission: Mission, day: date | None = None) -> DeploymentPlan | None:
    query = select(DeploymentPlan).where(
        DeploymentPlan.mission_id == mission.id,
        DeploymentPlan.status == PlanStatus.PUBLISHED,
    )
    if day is not None:
        query = query.where(DeploymentPlan.election_day == day)
    return db.session.scalar(query.order_by(DeploymentPlan.published_at.desc()).limit(1))
