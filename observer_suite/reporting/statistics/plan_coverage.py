"""Coverage and expectations from the published deployment plan, counted in SQL.

Expected forms per plan stop: an opening form at each team's opening stop, a voting form at
every stop, a closing or counting form at each closing stop; other kinds have no
expectation. Without a published plan nothing is expected (None) and no team is overdue.
"""

from dataclasses import dataclass, field, replace

from sqlalchemy import and_, case, distinct, exists, func, select

from observer_suite.deployment.services import published_plan
from observer_suite.extensions import db
from observer_suite.models import (
    Area,
    DeploymentPlan,
    Form,
    Observation,
    PlanMode,
    PlanStop,
    StopKind,
    Team,
)
from observer_suite.reporting.statistics.election_day_stats import Coverage, PlanRef, TeamRef
from observer_suite.reporting.statistics.scope import (
    Scope,
    as_utc,
    counted_observations,
    station_areas,
)

# Which plan stops expect a form of each kind (None: every stop).
EXPECTED_AT: dict[str, tuple[StopKind, ...] | None] = {
    "opening": (StopKind.OPENING,),
    "voting": None,
    "closing": (StopKind.CLOSING,),
    "counting": (StopKind.CLOSING,),
}
DEFAULT_CONFIDENCE = 0.95


@dataclass
class PlanFacts:
    plan: DeploymentPlan | None
    ref: PlanRef | None
    mode: str
    confidence: float | None
    sampling: dict | None
    frame_size: int | None


def plan_facts(scope: Scope) -> PlanFacts:
    plan = published_plan(scope.mission)
    if plan is None:
        return PlanFacts(None, None, PlanMode.PURPOSIVE.value, None, None, None)
    mode = PlanMode(plan.mode).value
    published = plan.published_at
    if published is not None:  # SQLite gives naive UTC back
        published = as_utc(published)
    ref = PlanRef(plan.id, plan.name, mode, published)
    if mode != PlanMode.SAMPLE.value:
        return PlanFacts(plan, ref, mode, None, None, None)
    sampling = dict(plan.sampling or {})
    options = (plan.options or {}).get("sample") or {}
    confidence = sampling.get("confidence") or options.get("confidence") or DEFAULT_CONFIDENCE
    try:
        confidence = float(confidence)
    except (TypeError, ValueError):
        confidence = DEFAULT_CONFIDENCE
    if not 0 < confidence < 1:
        confidence = DEFAULT_CONFIDENCE
    frame = sampling.get("frame_size")
    frame = frame if isinstance(frame, int) and not isinstance(frame, bool) and frame > 0 else None
    return PlanFacts(plan, ref, mode, confidence, sampling or None, frame)


@dataclass
class StationCounts:
    total: dict = field(default_factory=dict)  # area_id -> stations in the registry
    planned: dict = field(default_factory=dict)  # area_id -> stations in the plan
    observations: dict = field(default_factory=dict)  # area_id -> counted observations
    observed: dict = field(default_factory=dict)  # area_id -> distinct stations observed
    planned_observed: dict = field(default_factory=dict)  # area_id -> planned ones observed


def station_counts(scope: Scope, stations, plan: DeploymentPlan | None) -> StationCounts:
    """Two GROUP BY queries: registry and plan per area, then observations per area."""
    result = StationCounts()
    plan_id = plan.id if plan is not None else -1
    registry = (
        select(stations.c.area_id, func.count(), func.count(PlanStop.id))
        .select_from(stations)
        .outerjoin(
            PlanStop,
            and_(PlanStop.station_id == stations.c.station_id, PlanStop.plan_id == plan_id),
        )
        .group_by(stations.c.area_id)
    )
    for area_id, total, planned in db.session.execute(registry):
        result.total[area_id], result.planned[area_id] = total, planned
    planned_station = case((PlanStop.id.is_not(None), Observation.station_id))
    observed = (
        select(
            stations.c.area_id,
            func.count(),
            func.count(distinct(Observation.station_id)),
            func.count(distinct(planned_station)),
        )
        .select_from(Observation)
        .join(stations, stations.c.station_id == Observation.station_id)
        .outerjoin(  # at most one stop per station and plan: no row is counted twice
            PlanStop,
            and_(PlanStop.station_id == Observation.station_id, PlanStop.plan_id == plan_id),
        )
        .where(*counted_observations(scope))
        .group_by(stations.c.area_id)
    )
    for area_id, count, distinct_stations, planned_seen in db.session.execute(observed):
        result.observations[area_id], result.observed[area_id] = count, distinct_stations
        result.planned_observed[area_id] = planned_seen
    return result


def coverages(scope: Scope, counts: StationCounts) -> tuple[Coverage, tuple[Coverage, ...]]:
    """Mission coverage (every area row, stations outside breakdown areas included), and per
    area. A station lies in one area, so distinct stations add up across areas."""

    def one(key) -> Coverage:
        return Coverage(
            stations_total=counts.total.get(key, 0),
            stations_planned=counts.planned.get(key, 0),
            stations_observed=counts.observed.get(key, 0),
            observations=counts.observations.get(key, 0),
            planned_observed=counts.planned_observed.get(key, 0),
        )

    mission = Coverage(
        stations_total=sum(counts.total.values()),
        stations_planned=sum(counts.planned.values()),
        stations_observed=sum(counts.observed.values()),
        observations=sum(counts.observations.values()),
        planned_observed=sum(counts.planned_observed.values()),
    )
    return mission, tuple(one(area.id) for area in scope.areas)


@dataclass
class PlannedStops:
    """Plan stops in scope counted per (area_id, team_id, stop kind), with totals by area and
    by team ready, so a large plan costs one pass over these rows."""

    rows: list[tuple[int | None, int, str, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by: dict[tuple, int] = {}
        for area, team, kind, n in self.rows:
            for key in ((kind, "area", area), (kind, "team", team), (kind, "all", None)):
                self._by[key] = self._by.get(key, 0) + n

    def expected(self, kind: str, area_id=..., team_id=...) -> int | None:
        """Forms of `kind` the plan expects: in one area, of one team, or in all."""
        stop_kinds = EXPECTED_AT.get(kind, ())
        if stop_kinds == ():
            return None
        kinds = [k.value for k in (stop_kinds if stop_kinds is not None else StopKind)]
        if area_id is not ...:
            key = ("area", area_id)
        elif team_id is not ...:
            key = ("team", team_id)
        else:
            key = ("all", None)
        return sum(self._by.get((k, *key), 0) for k in kinds)

    def team_ids(self) -> set[int]:
        return {team for _area, team, _kind, _n in self.rows}


def planned_stops(stations, plan: DeploymentPlan | None) -> PlannedStops:
    if plan is None:
        return PlannedStops()
    query = (
        select(stations.c.area_id, PlanStop.team_id, PlanStop.kind, func.count())
        .select_from(PlanStop)
        .join(stations, stations.c.station_id == PlanStop.station_id)
        .where(PlanStop.plan_id == plan.id)
        .group_by(stations.c.area_id, PlanStop.team_id, PlanStop.kind)
    )
    return PlannedStops(
        [(area, team, StopKind(kind).value, n) for area, team, kind, n in db.session.execute(query)]
    )


def reported_stops(scope: Scope, stations, plan: DeploymentPlan | None) -> dict:
    """form_id -> PlannedStops of the stops with at least one counted report of that form,
    so `.expected(kind, …)` on it gives the expected stops already reported. One query."""
    if plan is None:
        return {}
    query = (
        select(
            Form.form_id,
            stations.c.area_id,
            PlanStop.team_id,
            PlanStop.kind,
            func.count(distinct(PlanStop.id)),
        )
        .select_from(PlanStop)
        .join(stations, stations.c.station_id == PlanStop.station_id)
        .join(Observation, Observation.station_id == PlanStop.station_id)
        .join(Form, Form.id == Observation.form_pk)
        .where(PlanStop.plan_id == plan.id, *counted_observations(scope))
        .group_by(Form.form_id, stations.c.area_id, PlanStop.team_id, PlanStop.kind)
    )
    rows: dict[str, list] = {}
    for form_id, area, team, kind, n in db.session.execute(query):
        rows.setdefault(form_id, []).append((area, team, StopKind(kind).value, n))
    return {form_id: PlannedStops(found) for form_id, found in rows.items()}


def team_regions(scope: Scope, plan: DeploymentPlan | None, team_ids: set[int]) -> dict:
    """Team id → (code, region name of its first planned station, "" when unknown)."""
    if not team_ids:
        return {}
    found = {
        team_id: (code, "")
        for team_id, code in db.session.execute(
            select(Team.id, Team.code).where(Team.id.in_(team_ids))
        )
    }
    if plan is None:
        return found
    first = (
        select(PlanStop.team_id, func.min(PlanStop.position).label("position"))
        .where(PlanStop.plan_id == plan.id, PlanStop.team_id.in_(team_ids))
        .group_by(PlanStop.team_id)
        .subquery()
    )
    everywhere = station_areas(replace(scope, region=None, level=0, areas=()))
    query = (
        select(first.c.team_id, Area.name)
        .select_from(first)
        .join(
            PlanStop,
            and_(
                PlanStop.plan_id == plan.id,
                PlanStop.team_id == first.c.team_id,
                PlanStop.position == first.c.position,
            ),
        )
        .join(everywhere, everywhere.c.station_id == PlanStop.station_id)
        .join(Area, Area.id == everywhere.c.region_id)
    )
    for team_id, region_name in db.session.execute(query):
        found[team_id] = (found.get(team_id, ("", ""))[0], region_name)
    return found


def teams_without_opening(
    scope: Scope, stations, plan: DeploymentPlan | None, regions: dict
) -> tuple[TeamRef, ...]:
    """Teams with an opening stop in scope and no counted opening form yet (anywhere)."""
    if plan is None:
        return ()
    opened = exists().where(
        Observation.team_id == PlanStop.team_id,
        Observation.form_pk == Form.id,
        Form.kind == "opening",
        *counted_observations(scope),
    )
    query = (
        select(PlanStop.team_id)
        .select_from(PlanStop)
        .join(stations, stations.c.station_id == PlanStop.station_id)
        .where(PlanStop.plan_id == plan.id, PlanStop.kind == StopKind.OPENING, ~opened)
        .distinct()
    )
    team_ids = [row[0] for row in db.session.execute(query)]
    refs = [TeamRef(t, regions.get(t, ("", ""))[0], regions.get(t, ("", ""))[1]) for t in team_ids]
    return tuple(sorted(refs, key=lambda r: (r.code, r.id)))
