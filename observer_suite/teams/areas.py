"""Areas of responsibility: which LTO team answers for which areas, which STO teams report
to which LTO team, and how well each area is covered; callers commit."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, distinct, func, or_, select
from sqlalchemy.orm import aliased

from observer_suite.extensions import db
from observer_suite.models import (
    Area,
    Mission,
    PlanStop,
    PollingStation,
    Team,
    TeamArea,
    TeamKind,
)
from observer_suite.registry.services import within
from observer_suite.teams.services import TeamError


def assign_areas(team: Team, area_ids: Sequence[int]) -> list[str]:
    """Set an LTO team's areas of responsibility; warns where another LTO team has one too."""
    if team.kind != TeamKind.LTO:
        raise TeamError("only LTO teams have areas of responsibility", field="areas")
    ids = list(dict.fromkeys(int(i) for i in area_ids))
    areas = {
        a.id: a
        for a in db.session.scalars(
            select(Area).where(Area.mission_id == team.mission_id, Area.id.in_(ids))
        )
    }
    if len(areas) != len(ids):
        raise TeamError("every area must belong to this mission", field="areas")
    for link in list(team.areas):
        if link.area_id not in areas:
            team.areas.remove(link)
    have = {link.area_id for link in team.areas}
    team.areas.extend(TeamArea(area_id=i) for i in ids if i not in have)
    db.session.flush()
    shared = db.session.execute(
        select(Area.name, Team.code)
        .join(TeamArea, TeamArea.area_id == Area.id)
        .join(Team, Team.id == TeamArea.team_id)
        .where(Area.id.in_(ids), Team.id != team.id, Team.kind == TeamKind.LTO)
        .order_by(Area.name, Team.code)
    ).all()
    return [f"{name} is also an area of {code}." for name, code in shared]


def assign_lto(sto_team: Team, lto_team: Team | None) -> None:
    """Put an STO team under an LTO team (None: under none)."""
    if sto_team.kind != TeamKind.STO:
        raise TeamError("only STO teams report to an LTO team", field="lto_team")
    if lto_team is not None and (
        lto_team.kind != TeamKind.LTO or lto_team.mission_id != sto_team.mission_id
    ):
        raise TeamError("choose an LTO team of the same mission", field="lto_team")
    sto_team.lto_team_id = lto_team.id if lto_team else None
    db.session.flush()


def assign_ltos(mission: Mission, choice: dict[int, int | None]) -> int:
    """Several STO teams at once ({sto team id: lto team id or None}); returns how many moved."""
    teams = {t.id: t for t in db.session.scalars(select(Team).where(Team.mission_id == mission.id))}
    moved = 0
    for sto_id, lto_id in choice.items():
        sto, lto = teams.get(sto_id), teams.get(lto_id) if lto_id else None
        if sto is None or (lto_id and lto is None):
            raise TeamError("choose teams of this mission", field="lto_team")
        if sto.lto_team_id != (lto.id if lto else None):
            assign_lto(sto, lto)
            moved += 1
    return moved


@dataclass(frozen=True)
class AreaCoverage:
    area: Area
    stations: int
    voters: int
    lto_teams: int
    sto_teams: int  # STO teams under those LTO teams
    deployed: int = 0  # STO teams the published plan sends to the area's stations

    @property
    def gap(self) -> bool:
        """Stations, but no LTO team responsible (so no STO team either)."""
        return self.stations > 0 and self.lto_teams == 0

    @property
    def thin(self) -> bool:
        """An LTO team is responsible, but no STO team is under it."""
        return self.stations > 0 and self.lto_teams > 0 and self.sto_teams == 0


def _deployed_sto_teams(mission: Mission, at_level, below) -> dict[int, int]:
    """{area id: STO teams with a stop in it in the published plan}, one GROUP BY query:
    the teams actually sent there on election day, as the dashboard and the PDF count them."""
    from observer_suite.deployment.services import published_plan  # deployment imports teams

    plan = published_plan(mission)
    if plan is None:
        return {}
    query = (
        select(Area.id, func.count(distinct(PlanStop.team_id)))
        .join(below, and_(below.mission_id == mission.id, within(below.path, Area.path)))
        .join(PollingStation, PollingStation.area_id == below.id)
        .join(PlanStop, and_(PlanStop.station_id == PollingStation.id, PlanStop.plan_id == plan.id))
        .join(Team, and_(Team.id == PlanStop.team_id, Team.kind == TeamKind.STO))
        .where(at_level)
        .group_by(Area.id)
    )
    return dict(db.session.execute(query).tuples().all())


def coverage_by_area(mission: Mission, level: int) -> list[AreaCoverage]:
    """Per area at `level`: stations, voters, LTO teams whose AoR overlaps it, their STO
    teams, and the STO teams the published plan deploys there (0 without a published plan).

    An AoR overlaps an area when it is the area, above it or below it; each count is one
    GROUP BY query.
    """
    at_level = and_(Area.mission_id == mission.id, Area.level == level)
    below, aor = aliased(Area), aliased(Area)
    lto, sto = aliased(Team), aliased(Team)
    stations = {
        area_id: (count, int(voters))
        for area_id, count, voters in db.session.execute(
            select(
                Area.id,
                func.count(PollingStation.id),
                func.coalesce(func.sum(PollingStation.registered_voters), 0),
            )
            .join(below, and_(below.mission_id == mission.id, within(below.path, Area.path)))
            .join(PollingStation, PollingStation.area_id == below.id)
            .where(at_level)
            .group_by(Area.id)
        )
    }
    overlap = or_(within(aor.path, Area.path), within(Area.path, aor.path))

    def teams_per_area(counted, *joins):
        query = (
            select(Area.id, func.count(distinct(counted.id)))
            .join(aor, and_(aor.mission_id == mission.id, overlap))
            .join(TeamArea, TeamArea.area_id == aor.id)
            .join(lto, and_(lto.id == TeamArea.team_id, lto.kind == TeamKind.LTO))
        )
        for target, condition in joins:
            query = query.join(target, condition)
        return dict(db.session.execute(query.where(at_level).group_by(Area.id)).tuples().all())

    ltos = teams_per_area(lto)
    stos = teams_per_area(sto, (sto, and_(sto.lto_team_id == lto.id, sto.kind == TeamKind.STO)))
    deployed = _deployed_sto_teams(mission, at_level, below)
    areas = db.session.scalars(select(Area).where(at_level).order_by(Area.path))
    return [
        AreaCoverage(
            area=a,
            stations=stations.get(a.id, (0, 0))[0],
            voters=stations.get(a.id, (0, 0))[1],
            lto_teams=ltos.get(a.id, 0),
            sto_teams=stos.get(a.id, 0),
            deployed=deployed.get(a.id, 0),
        )
        for a in areas
    ]
