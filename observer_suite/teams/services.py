"""Forming, changing and dissolving teams; callers commit.

Every change is checked against the pairing rules of `pairing.check_pair`: soft rule breaks
come back as warnings, hard rule breaks stop the change unless the caller overrides them.
"""

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from observer_suite.errors import ServiceError
from observer_suite.extensions import db
from observer_suite.models import (
    DeploymentPlan,
    MemberRole,
    Mission,
    Observer,
    ObserverRole,
    PlanStatus,
    PlanStop,
    PlanTeamLock,
    Team,
    TeamKind,
    TeamMember,
)
from observer_suite.teams.pairing import (
    EXPERIENCED_MIN,
    Candidate,
    PairingResult,
    RuleCheck,
    check_pair,
    pair_observers,
)
from observer_suite.util.checked import present

CODE_PREFIX = {TeamKind.STO: "T", TeamKind.LTO: "L"}
OBSERVER_ROLE = {TeamKind.STO: ObserverRole.STO, TeamKind.LTO: ObserverRole.LTO}
NOTES_MAX = 1000


class TeamError(ServiceError):
    """Invalid team data; `field` names the form field at fault."""


class RuleBreak(TeamError):
    """The change breaks a hard pairing rule; repeat it with override=True to keep it."""

    def __init__(self, breaks: list[RuleCheck]):
        super().__init__(" ".join(c.message for c in breaks), field="observers")
        self.breaks = breaks


@dataclass(frozen=True)
class Base:
    name: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass
class TeamChange:
    team: Team
    warnings: list[RuleCheck] = field(default_factory=list)


@dataclass
class Proposal:
    result: PairingResult
    codes: list[str]  # the code each pair would get, in the order of result.pairs


@dataclass
class AutoPairSummary:
    teams: list[Team]
    result: PairingResult


def candidate(observer: Observer) -> Candidate:
    return Candidate(
        id=observer.id,
        name=observer.name,
        nationality=observer.nationality,
        gender=observer.gender.value if observer.gender else None,
        languages=tuple(observer.languages or ()),
        previous_missions=observer.previous_missions or 0,
    )


def _in_a_team():
    return select(TeamMember.observer_id)


def unteamed(mission: Mission, role: ObserverRole) -> list[Observer]:
    """Observers of `role` on the roster who are in no team yet, by name."""
    return list(
        db.session.scalars(
            select(Observer)
            .where(
                Observer.mission_id == mission.id,
                Observer.role == role,
                Observer.id.not_in(_in_a_team()),
            )
            .order_by(Observer.name, Observer.id)
        )
    )


def next_codes(mission: Mission, kind: TeamKind, count: int) -> list[str]:
    """Codes continuing after the highest existing one of the kind: T01, T02, …"""
    prefix = CODE_PREFIX[TeamKind(kind)]
    pattern = re.compile(rf"^{prefix}(\d+)$")
    codes = db.session.scalars(select(Team.code).where(Team.mission_id == mission.id))
    taken = [int(m.group(1)) for code in codes if (m := pattern.match(code))]
    start = max(taken, default=0) + 1
    return [f"{prefix}{n:02d}" for n in range(start, start + count)]


def propose_pairs(
    mission: Mission, seed: int = 1, experienced_min: int = EXPERIENCED_MIN
) -> Proposal:
    """What auto_pair would do, without writing anything."""
    observers = unteamed(mission, ObserverRole.STO)
    if not observers:
        return Proposal(PairingResult(errors=["Every STO observer is already in a team."]), [])
    result = pair_observers([candidate(o) for o in observers], seed, experienced_min)
    return Proposal(result, next_codes(mission, TeamKind.STO, len(result.pairs)))


def _flush() -> None:
    """Flush; a unique constraint hit means another user changed the teams meanwhile."""
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise TeamError(
            "someone else changed these teams at the same time; reload and try again", field="team"
        ) from exc


def _notes(lines: Sequence[str]) -> str:
    text = "\n".join(lines)
    return text if len(text) <= NOTES_MAX else text[: NOTES_MAX - 1] + "…"


def auto_pair(
    mission: Mission,
    seed: int = 1,
    base_from: Callable[[list[Observer]], Base | None] | None = None,
    experienced_min: int = EXPERIENCED_MIN,
) -> AutoPairSummary:
    """Form STO teams from every STO not yet in a team; `base_from` may propose each base."""
    proposal = propose_pairs(mission, seed, experienced_min)
    teams = []
    if proposal.result.errors:
        return AutoPairSummary(teams, proposal.result)
    people = {o.id: o for o in unteamed(mission, ObserverRole.STO)}
    for code, pair in zip(proposal.codes, proposal.result.pairs, strict=True):
        members = [people[pair.first.id], people[pair.second.id]]
        base = (base_from(members) if base_from else None) or Base()
        _check_base(base)
        team = Team(
            mission_id=mission.id,
            code=code,
            kind=TeamKind.STO,
            base_name=base.name,
            base_latitude=base.lat,
            base_longitude=base.lon,
            pairing_notes=_notes([f"Paired automatically (seed {seed}).", *pair.explanation]),
        )
        team.members = [
            TeamMember(observer=o, role=MemberRole.OBSERVER, position=i)
            for i, o in enumerate(members)
        ]
        db.session.add(team)
        teams.append(team)
    _flush()
    return AutoPairSummary(teams, proposal.result)


def _check_base(base: Base) -> None:
    if base.name is not None and len(base.name) > 200:
        raise TeamError("at most 200 characters", field="base_name")
    if (base.lat is None) != (base.lon is None):
        raise TeamError("give both latitude and longitude, or neither", field="base_lat")
    if base.lat is None or base.lon is None:  # neither, after the check above
        return
    if not (math.isfinite(base.lat) and -90 <= base.lat <= 90):
        raise TeamError("latitude must be between -90 and 90", field="base_lat")
    if not (math.isfinite(base.lon) and -180 <= base.lon <= 180):
        raise TeamError("longitude must be between -180 and 180", field="base_lon")


def _load(mission: Mission, ids: Sequence[int], what: str) -> dict[int, Observer]:
    found = {
        o.id: o
        for o in db.session.scalars(
            select(Observer).where(Observer.mission_id == mission.id, Observer.id.in_(ids))
        )
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise TeamError(f"observer {missing[0]} is not on this mission's roster", field=what)
    return found


def _validate(
    mission: Mission,
    team: Team | None,
    kind: TeamKind,
    observer_ids: Sequence[int],
    staff: dict[MemberRole, int | None],
    code: str,
    base: Base,
) -> list[tuple[Observer, MemberRole]]:
    """Check everything but the pairing rules; return the members in position order."""
    ids = list(dict.fromkeys(int(i) for i in observer_ids if i))
    if len(ids) != 2:
        raise TeamError("choose two different observers", field="observers")
    people = _load(mission, ids, "observers")
    members = [(people[i], MemberRole.OBSERVER) for i in ids]
    for observer, _ in members:
        if observer.role != OBSERVER_ROLE[kind]:
            raise TeamError(
                f"{observer.name} is on the roster as {observer.role.value.upper()}; "
                f"an {kind.value.upper()} team takes {kind.value.upper()} observers",
                field="observers",
            )
    for role, staff_id in staff.items():
        if not staff_id:
            continue
        person = _load(mission, [int(staff_id)], role.value)[int(staff_id)]
        if person.role.value != role.value:
            raise TeamError(
                f"{person.name} is on the roster as {person.role.value}, not as {role.value}",
                field=role.value,
            )
        members.append((person, role))
    if not code or len(code) > 30:
        raise TeamError("1 to 30 characters", field="code")
    clash = select(Team.id).where(Team.mission_id == mission.id, Team.code == code)
    if team is not None:
        clash = clash.where(Team.id != team.id)
    if db.session.scalar(clash) is not None:
        raise TeamError(f"the mission already has a team {code}", field="code")
    _check_base(base)
    roles = {o.id: (o, role) for o, role in members}
    taken = (
        select(TeamMember.observer_id, Team.code)
        .join(Team, Team.id == TeamMember.team_id)
        .where(TeamMember.observer_id.in_(roles))
    )
    if team is not None:
        taken = taken.where(Team.id != team.id)
    busy = db.session.execute(taken.order_by(Team.code)).first()
    if busy is not None:
        person, role = roles[busy.observer_id]
        what = "observers" if role == MemberRole.OBSERVER else role.value
        raise TeamError(f"{person.name} is already in team {busy.code}", field=what)
    return members


def _rule_checks(members, override: bool) -> tuple[list[RuleCheck], list[str]]:
    first, second = (candidate(o) for o, role in members[:2])
    failed = [c for c in check_pair(first, second) if not c.ok]
    hard = [c for c in failed if c.hard]
    if hard and not override:
        raise RuleBreak(hard)
    notes = ["Formed by hand."]
    notes += [f"Hard rule overridden: {c.message}" for c in hard]
    notes += [f"Warning: {c.message}" for c in failed if not c.hard]
    return failed, notes


def _set_members(team: Team, members: list[tuple[Observer, MemberRole]]) -> None:
    wanted = {o.id for o, _ in members}
    current = {m.observer_id: m for m in team.members}
    for member in list(team.members):
        if member.observer_id not in wanted:
            team.members.remove(member)
    _flush()  # free the unique observer_id before anyone is added again
    for position, (observer, role) in enumerate(members):
        member = current.get(observer.id)
        if member is None:
            team.members.append(TeamMember(observer=observer, role=role, position=position))
        else:
            member.role, member.position = role, position


def create_team(
    mission: Mission,
    observer_ids: Sequence[int],
    driver_id: int | None = None,
    interpreter_id: int | None = None,
    base_name: str | None = None,
    base_lat: float | None = None,
    base_lon: float | None = None,
    kind: TeamKind | str = TeamKind.STO,
    code: str | None = None,
    override: bool = False,
) -> TeamChange:
    kind = TeamKind(kind)
    code = (code or "").strip() or next_codes(mission, kind, 1)[0]
    base = Base((base_name or "").strip() or None, base_lat, base_lon)
    staff = {MemberRole.DRIVER: driver_id, MemberRole.INTERPRETER: interpreter_id}
    members = _validate(mission, None, kind, observer_ids, staff, code, base)
    warnings, notes = _rule_checks(members, override)
    team = Team(
        mission_id=mission.id,
        code=code,
        kind=kind,
        base_name=base.name,
        base_latitude=base.lat,
        base_longitude=base.lon,
        pairing_notes=_notes(notes),
    )
    db.session.add(team)
    _set_members(team, members)
    _flush()
    return TeamChange(team, warnings)


def update_team(
    team: Team,
    observer_ids: Sequence[int],
    driver_id: int | None = None,
    interpreter_id: int | None = None,
    base_name: str | None = None,
    base_lat: float | None = None,
    base_lon: float | None = None,
    code: str | None = None,
    override: bool = False,
) -> TeamChange:
    """Replace members, base and code; the kind stays (it decides AoR and LTO links)."""
    mission = present(db.session.get(Mission, team.mission_id))
    code = (code or "").strip() or team.code
    base = Base((base_name or "").strip() or None, base_lat, base_lon)
    staff = {MemberRole.DRIVER: driver_id, MemberRole.INTERPRETER: interpreter_id}
    members = _validate(mission, team, team.kind, observer_ids, staff, code, base)
    warnings, notes = _rule_checks(members, override)
    pair = sorted(o.id for o, role in members if role == MemberRole.OBSERVER)
    if pair != sorted(m.observer_id for m in team.members if m.role == MemberRole.OBSERVER):
        team.pairing_notes = _notes(notes)
    team.code = code
    team.base_name, team.base_latitude, team.base_longitude = base.name, base.lat, base.lon
    _set_members(team, members)
    _flush()
    return TeamChange(team, warnings)


def planned_stops(team: Team) -> list[tuple[str, str, int]]:
    """(plan name, status, stops) for every deployment plan that routes this team."""
    rows = db.session.execute(
        select(DeploymentPlan.name, DeploymentPlan.status, func.count(PlanStop.id))
        .join(PlanStop, PlanStop.plan_id == DeploymentPlan.id)
        .where(PlanStop.team_id == team.id)
        .group_by(DeploymentPlan.id, DeploymentPlan.name, DeploymentPlan.status)
        .order_by(DeploymentPlan.name)
    ).all()
    return [(name, status.value, count) for name, status, count in rows]


def dissolve_team(team: Team) -> str:
    """Delete the team; its people become free. Refused while a published plan routes it."""
    published = [name for name, status, _ in planned_stops(team) if status == PlanStatus.PUBLISHED]
    if published:
        raise TeamError(
            f"{team.code} is routed in the published plan {published[0]!r}; "
            "publish a revision of that plan without it first "
            "(the dissolve page does both in one step)",
            field="team",
        )
    code = team.code
    # What the foreign keys do on PostgreSQL, done here too for SQLite without FK enforcement.
    for model in (PlanStop, PlanTeamLock):
        for row in db.session.scalars(select(model).where(model.team_id == team.id)):
            db.session.delete(row)
    for sto in db.session.scalars(select(Team).where(Team.lto_team_id == team.id)):
        sto.lto_team_id = None
    db.session.delete(team)
    db.session.flush()
    return code
