"""Revising a published plan: a draft copy, what publishing it changes, and each team's diff.

Why a copy: the tablets keep following the published plan while the coordinator edits the
revision; publishing the revision supersedes it, and each team's tablet is told how its route
changed (the plan remembers the plan it replaced).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from observer_suite import audit
from observer_suite.deployment.services import PlanError, published_plan
from observer_suite.extensions import db
from observer_suite.models import (
    DeploymentPlan,
    Mission,
    PlanStatus,
    PlanStop,
    PlanTeamLock,
    PollingStation,
    Team,
)
from observer_suite.util.checked import present


@dataclass
class TeamChange:
    team_id: int
    code: str
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)

    @property
    def added(self) -> list[str]:
        return [c for c in self.after if c not in self.before]

    @property
    def removed(self) -> list[str]:
        return [c for c in self.before if c not in self.after]

    @property
    def reordered(self) -> bool:
        return not self.added and not self.removed and self.before != self.after


def route_codes(plan: DeploymentPlan | None, team_ids=None) -> dict[int, list[str]]:
    """Station codes of each team's route in visiting order, in one query."""
    if plan is None:
        return {}
    query = (
        select(PlanStop.team_id, PollingStation.code)
        .join(PollingStation, PlanStop.station_id == PollingStation.id)
        .where(PlanStop.plan_id == plan.id)
        .order_by(PlanStop.team_id, PlanStop.position)
    )
    if team_ids is not None:
        query = query.where(PlanStop.team_id.in_(list(team_ids)))
    routes: dict[int, list[str]] = {}
    for team_id, code in db.session.execute(query):
        routes.setdefault(team_id, []).append(code)
    return routes


def changes(new: DeploymentPlan, old: DeploymentPlan | None) -> list[TeamChange]:
    """The teams whose route differs between `old` (what tablets show) and `new`."""
    before, after = route_codes(old), route_codes(new)
    ids = set(before) | set(after)
    codes = dict(
        db.session.execute(select(Team.id, Team.code).where(Team.id.in_(ids))).tuples().all()
    )
    out = [
        TeamChange(tid, codes.get(tid, str(tid)), before.get(tid, []), after.get(tid, []))
        for tid in ids
        if before.get(tid, []) != after.get(tid, [])
    ]
    return sorted(out, key=lambda c: c.code)


def publish_preview(plan: DeploymentPlan) -> tuple[DeploymentPlan | None, list[TeamChange]]:
    """The plan on the tablets now (same day) and what publishing `plan` would change."""
    mission = present(db.session.get(Mission, plan.mission_id))
    current = published_plan(mission, plan.election_day)
    if current is not None and current.id == plan.id:
        current = None
    return current, changes(plan, current)


def new_revision(plan: DeploymentPlan, created_by: str | None = None) -> DeploymentPlan:
    """A draft copy of a published (or superseded) plan, with its routes, times and locks."""
    if plan.status == PlanStatus.DRAFT:
        raise PlanError("this plan is a draft already; edit it directly", field="status")
    number = 1 + max(
        db.session.scalars(
            select(DeploymentPlan.revision).where(
                DeploymentPlan.mission_id == plan.mission_id,
                DeploymentPlan.election_day == plan.election_day,
            )
        ).all()
        or [1]
    )
    base_name = plan.name.split(" · revision ")[0]
    copy = DeploymentPlan(
        mission_id=plan.mission_id,
        name=f"{base_name} · revision {number}"[:200],
        election_day=plan.election_day,
        mode=plan.mode,
        status=PlanStatus.DRAFT,
        options=dict(plan.options or {}),
        seed=plan.seed,
        sampling=plan.sampling,
        problems=list(plan.problems or []),
        created_by=created_by,
        revision_of_id=plan.id,
        revision=number,
    )
    db.session.add(copy)
    db.session.flush()
    rows = [
        {
            "plan_id": copy.id,
            "team_id": s.team_id,
            "station_id": s.station_id,
            "position": s.position,
            "kind": s.kind.value,
            "planned_arrival": s.planned_arrival,
            "travel_km": s.travel_km,
        }
        for s in plan.stops
    ]
    if rows:
        db.session.execute(PlanStop.__table__.insert(), rows)
    for lock in plan.locked_teams:
        copy.locked_teams.append(PlanTeamLock(team_id=lock.team_id, locked=lock.locked))
    db.session.flush()
    audit.record(
        db.session,
        "new_revision",
        "DeploymentPlan",
        plan.mission_id,
        {"plan_id": copy.id, "revision_of": plan.id, "revision": number},
    )
    return copy


def route_change(plan: DeploymentPlan, team_id: int) -> dict | None:
    """How this team's route differs from the published plan this one replaced, if it does."""
    if plan.replaced_id is None:
        return None
    previous = present(db.session.get(DeploymentPlan, plan.replaced_id))  # SET NULL on delete
    before = route_codes(previous, [team_id]).get(team_id, [])
    after = route_codes(plan, [team_id]).get(team_id, [])
    if before == after:
        return None
    change = TeamChange(team_id, "", before, after)
    return {
        "previous_plan_id": previous.id,
        "previous_codes": before,
        "added": change.added,
        "removed": change.removed,
        "reordered": change.reordered,
    }


def plans_routing(
    team_id: int, status: PlanStatus = PlanStatus.PUBLISHED
) -> Sequence[DeploymentPlan]:
    """The plans of this status that give the team a route."""
    return db.session.scalars(
        select(DeploymentPlan)
        .where(
            DeploymentPlan.status == status,
            DeploymentPlan.id.in_(select(PlanStop.plan_id).where(PlanStop.team_id == team_id)),
        )
        .order_by(DeploymentPlan.id)
    ).all()


def release_team(team: Team, created_by: str | None = None) -> list[DeploymentPlan]:
    """Publish a revision of every published plan that routes `team`, without its route.

    The one step behind "dissolve a team that is in a published plan": its stations become
    unplanned and the other teams' routes stay as they are. Callers commit.
    """
    from observer_suite.deployment import services

    published = []
    for plan in plans_routing(team.id):
        copy = new_revision(plan, created_by)
        db.session.execute(
            PlanStop.__table__.delete().where(
                PlanStop.plan_id == copy.id, PlanStop.team_id == team.id
            )
        )
        copy.locked_teams = [lk for lk in copy.locked_teams if lk.team_id != team.id]
        copy.problems = [p for p in copy.problems if not p.startswith(f"team {team.code}:")]
        db.session.expire(copy, ["stops"])
        db.session.flush()
        reason = None
        if plan.publish_override:
            reason = f"carried over from {plan.name}: {plan.publish_override}"
        services.publish(copy, copy.version, reason)
        published.append(copy)
    return published
