"""Read-side queries behind the team pages: teams with their people, who is still free."""

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from observer_suite.extensions import db
from observer_suite.models import (
    MemberRole,
    Mission,
    Observer,
    ObserverRole,
    Team,
    TeamArea,
    TeamKind,
    TeamMember,
)
from observer_suite.teams.pairing import RuleCheck, check_pair
from observer_suite.teams.services import candidate


def get_team(mission: Mission, team_id: int) -> Team | None:
    return db.session.scalar(team_query(mission).where(Team.id == team_id))


def team_query(mission: Mission, kind: str = "") -> Select:
    query = (
        select(Team)
        .where(Team.mission_id == mission.id)
        .options(
            selectinload(Team.members).selectinload(TeamMember.observer),
            selectinload(Team.areas).selectinload(TeamArea.area),
            selectinload(Team.lto_team),
        )
        .order_by(Team.kind.desc(), Team.code)  # STO before LTO
    )
    if kind in {k.value for k in TeamKind}:
        query = query.where(Team.kind == TeamKind(kind))
    return query


def teams_of(mission: Mission, kind: TeamKind) -> list[Team]:
    return list(db.session.scalars(team_query(mission, kind.value)))


def team_warnings(team: Team) -> list[RuleCheck]:
    """The rules its two observers break now (the roster may have changed since)."""
    observers = [m.observer for m in team.members if m.role == MemberRole.OBSERVER]
    if len(observers) != 2:
        return [RuleCheck("team of two", True, False, "The team does not have two observers.")]
    return [c for c in check_pair(candidate(observers[0]), candidate(observers[1])) if not c.ok]


def count_unteamed(mission: Mission, role: ObserverRole = ObserverRole.STO) -> int:
    return db.session.scalars(
        select(func.count(Observer.id)).where(
            Observer.mission_id == mission.id,
            Observer.role == role,
            Observer.id.not_in(select(TeamMember.observer_id)),
        )
    ).one()


def free_people(mission: Mission, team: Team | None = None) -> dict[ObserverRole, list[Observer]]:
    """Everyone on the roster who is in no other team than `team`, by role then name."""
    elsewhere = select(TeamMember.observer_id)
    if team is not None:
        elsewhere = elsewhere.where(TeamMember.team_id != team.id)
    people: dict[ObserverRole, list[Observer]] = {role: [] for role in ObserverRole}
    for observer in db.session.scalars(
        select(Observer)
        .where(Observer.mission_id == mission.id, Observer.id.not_in(elsewhere))
        .order_by(Observer.name, Observer.id)
    ):
        people[observer.role].append(observer)
    return people
