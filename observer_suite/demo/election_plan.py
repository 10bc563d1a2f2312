"""Who goes where and when on the simulated election day (see election_day.py).

`load_day()` reads what the simulation needs from the database in a handful of queries (the
published plan, stations, areas, forms, teams, incident categories); `plan_visits()` is plain
Python over that: per-region and hot-spot risk, the teams' visits in the order of their routes,
extra visits when plans change, and the evening's tabulation visits. Times are minutes of the
local election day; past 24 * 60 is the next morning.
"""

import random
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from observer_suite.extensions import db
from observer_suite.models import (
    Area,
    DeploymentPlan,
    Form,
    Mission,
    PlanStatus,
    PlanStop,
    PollingStation,
    Team,
)

KINDS = ("opening", "voting", "counting", "tabulation")
HOT_RISK = 0.4


class SimulationError(RuntimeError):
    """The mission lacks what a simulated day needs (a published plan, the forms)."""


@dataclass(frozen=True)
class FormRef:
    pk: int
    form_id: str
    version: str
    definition: dict


@dataclass(frozen=True)
class StationRef:
    id: int
    code: str
    name: str
    registered: int | None
    latitude: float | None
    longitude: float | None
    district_id: int
    region_id: int


@dataclass
class AreaRef:
    id: int
    code: str
    name: str
    region: str = ""
    region_id: int = 0
    risk: float = 0.0


@dataclass(frozen=True)
class Stop:
    position: int
    kind: str  # opening, visit, closing
    station_id: int
    planned: int | None  # minutes of the day


@dataclass
class DayPlan:
    mission_id: int
    slug: str
    date: date
    timezone: str
    forms: dict[str, FormRef]
    stations: dict[int, StationRef]
    regions: list[AreaRef]
    districts: dict[int, AreaRef]
    team_codes: dict[int, str]
    routes: dict[int, list[Stop]]  # team id → its stops in route order
    categories: dict[str, int]  # incident category code → id
    hot_spots: list[AreaRef] = field(default_factory=list)
    missing_opening: set[int] = field(default_factory=set)
    late_opening: set[int] = field(default_factory=set)
    bad_protocols: set[int] = field(default_factory=set)  # teams whose count does not add up
    station_risk: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Visit:
    kind: str  # form kind
    team_id: int
    station_id: int
    arrived: int
    departed: int
    upload_delay: int  # minutes after departure the tablet got through
    risk: float
    inconsistent: bool = False
    expected: int = 0  # tabulation: protocols expected at the centre
    level: str = "region"


def _forms(mission: Mission) -> dict[str, FormRef]:
    rows = db.session.scalars(
        select(Form)
        .where(Form.mission_id == mission.id, Form.active.is_(True), Form.kind.in_(KINDS))
        .order_by(Form.form_id.startswith("std_").desc(), Form.created_at.desc(), Form.id.desc())
    )
    forms: dict[str, FormRef] = {}
    for form in rows:
        forms.setdefault(form.kind, FormRef(form.id, form.form_id, form.version, form.definition))
    return forms


def load_day(mission: Mission) -> DayPlan:
    from observer_suite.incidents.taxonomy import categories

    plan = db.session.scalar(
        select(DeploymentPlan)
        .where(
            DeploymentPlan.mission_id == mission.id, DeploymentPlan.status == PlanStatus.PUBLISHED
        )
        .order_by(DeploymentPlan.published_at.desc())
        .limit(1)
    )
    if plan is None:
        raise SimulationError(f"mission {mission.slug!r} has no published deployment plan")
    forms = _forms(mission)
    if not {"opening", "voting", "counting"} <= set(forms):
        raise SimulationError(f"mission {mission.slug!r} lacks the standard forms")
    areas = {
        a.id: a
        for a in db.session.execute(
            select(Area.id, Area.parent_id, Area.level, Area.code, Area.name).where(
                Area.mission_id == mission.id
            )
        )
    }

    def ancestor(area_id: int, level: int) -> int:
        area = areas[area_id]
        while area.level > level and area.parent_id in areas:
            area = areas[area.parent_id]
        return area.id

    stations = {}
    for s in db.session.execute(
        select(PollingStation)
        .where(PollingStation.mission_id == mission.id)
        .order_by(PollingStation.id)
    ).scalars():
        district, region = ancestor(s.area_id, 1), ancestor(s.area_id, 0)
        stations[s.id] = StationRef(
            s.id, s.code, s.name, s.registered_voters, s.latitude, s.longitude, district, region
        )
    region_ids = sorted({s.region_id for s in stations.values()}, key=lambda i: areas[i].code or "")
    regions = [AreaRef(i, areas[i].code or "", areas[i].name) for i in region_ids]
    region_names = {r.id: r.name for r in regions}
    districts = {
        s.district_id: AreaRef(
            s.district_id,
            areas[s.district_id].code or "",
            areas[s.district_id].name,
            region_names[s.region_id],
            s.region_id,
        )
        for s in stations.values()
    }
    routes: dict[int, list[Stop]] = {}
    for stop in db.session.scalars(
        select(PlanStop)
        .where(PlanStop.plan_id == plan.id)
        .order_by(PlanStop.team_id, PlanStop.position)
    ):
        planned = stop.planned_arrival
        minutes = planned.hour * 60 + planned.minute if planned else None
        routes.setdefault(stop.team_id, []).append(
            Stop(stop.position, str(stop.kind), stop.station_id, minutes)
        )
    teams = dict(
        db.session.execute(select(Team.id, Team.code).where(Team.id.in_(list(routes))))
        .tuples()
        .all()
    )
    return DayPlan(
        mission_id=mission.id,
        slug=mission.slug,
        date=plan.election_day or mission.election_date,
        timezone=mission.timezone or "UTC",
        forms=forms,
        stations=stations,
        regions=regions,
        districts=districts,
        team_codes={t: teams.get(t, "?") for t in routes},
        routes=routes,
        categories={c.code: c.id for c in categories(mission)},
    )


def _risks(day: DayPlan, rng: random.Random) -> None:
    """Each region its own problem rate; two or three hot-spot districts far above it."""
    by_region = {r.id: r for r in day.regions}
    for region in day.regions:
        region.risk = rng.uniform(0.02, 0.1)
    planned = {day.stations[s.station_id].district_id for r in day.routes.values() for s in r}
    candidates = sorted(planned, key=lambda d: day.districts[d].code)
    rng.shuffle(candidates)
    wanted = 3 if len(candidates) >= 12 else min(2, len(candidates))
    seen: set[str] = set()
    for district_id in candidates:
        district = day.districts[district_id]
        if district.region not in seen and len(day.hot_spots) < wanted:
            seen.add(district.region)
            day.hot_spots.append(district)
    day.hot_spots.sort(key=lambda d: d.code)
    hot = {d.id for d in day.hot_spots}
    for district in day.districts.values():
        district.risk = HOT_RISK if district.id in hot else by_region[district.region_id].risk
    for station_id in sorted(day.stations):
        district = day.districts[day.stations[station_id].district_id]
        day.station_risk[station_id] = min(0.9, district.risk * rng.uniform(0.7, 1.3))


def _delay(rng: random.Random) -> int:
    return rng.randint(60, 240) if rng.random() < 0.1 else rng.randint(2, 45)


def _route(day: DayPlan, team: int, stops: list[Stop], rng: random.Random) -> list[Visit]:
    risk = day.station_risk
    visits: list[Visit] = []
    clock = 6 * 60
    for stop in stops:
        s = stop.station_id
        if stop.kind == "opening":
            if team in day.missing_opening:
                continue  # the car broke down: no opening, first visit later
            arrived, departed = rng.randint(360, 400), rng.randint(435, 475)
            late = team in day.late_opening
            delay = rng.randint(100, 220) if late else rng.randint(2, 30)
            visits.append(Visit("opening", team, s, arrived, departed, delay, risk[s]))
            clock = departed + rng.randint(25, 45)
            visits.append(Visit("voting", team, s, departed, clock, _delay(rng), risk[s]))
        elif stop.kind == "closing":
            arrived = max(clock + 10, rng.randint(1010, 1040))
            closing = max(1070, arrived + 15)
            visits.append(Visit("voting", team, s, arrived, closing, _delay(rng), risk[s]))
            counted = rng.randint(1230, 1470)
            inconsistent = team in day.bad_protocols or rng.random() < risk[s] * 0.15
            visits.append(
                Visit("counting", team, s, 1075, counted, rng.randint(5, 60), risk[s], inconsistent)
            )
        else:
            planned = stop.planned if stop.planned is not None else 480 + 40 * stop.position
            arrived = max(clock + 10, planned + rng.randint(-10, 30))
            clock = arrived + rng.randint(20, 45)
            visits.append(Visit("voting", team, s, arrived, clock, _delay(rng), risk[s]))
    return visits


def _tabulation(day: DayPlan, rng: random.Random) -> list[Visit]:
    """Two teams per region at the regional tabulation centre (its first station), evening."""
    teams_in: dict[int, list[int]] = {}
    for team, stops in sorted(day.routes.items()):
        region = day.stations[stops[0].station_id].region_id
        teams_in.setdefault(region, []).append(team)
    visits = []
    for region in day.regions:
        stations = sorted((s for s in day.stations.values() if s.region_id == region.id),
                          key=lambda s: s.code)  # fmt: skip
        for team in teams_in.get(region.id, [])[:2]:
            arrived = rng.randint(1290, 1410)
            centre = stations[0].id
            visits.append(
                Visit("tabulation", team, centre, arrived, arrived + rng.randint(60, 150),
                      rng.randint(5, 60), region.risk, expected=len(stations))
            )  # fmt: skip
    return visits


def _extras(day: DayPlan, rng: random.Random, count: int) -> list[Visit]:
    """Voting visits at other stations of the team's districts: stations nobody else plans."""
    holder = {s.station_id: t for t, stops in day.routes.items() for s in stops}
    by_district: dict[int, list[int]] = {}
    for station in sorted(day.stations.values(), key=lambda s: s.id):
        by_district.setdefault(station.district_id, []).append(station.id)
    teams = sorted(day.routes)
    pools = {}
    for team in teams:
        districts = sorted({day.stations[s.station_id].district_id for s in day.routes[team]})
        pool = [s for d in districts for s in by_district[d] if holder.get(s, team) == team]
        pools[team] = pool or [s.station_id for s in day.routes[team]]
    visits = []
    for i in range(count):
        team = teams[i % len(teams)]
        station = rng.choice(pools[team])
        arrived = rng.randint(480, 1000)
        departed = arrived + rng.randint(20, 45)
        risk = day.station_risk[station]
        visits.append(Visit("voting", team, station, arrived, departed, _delay(rng), risk))
    return visits


def plan_visits(day: DayPlan, rng: random.Random, count: int) -> list[Visit]:
    """Exactly `count` visits (one observation each), in the order they reached the server."""
    _risks(day, rng)
    teams = sorted(day.routes)
    shuffled = list(teams)
    rng.shuffle(shuffled)
    missing = max(2, len(teams) // 20) if len(teams) >= 6 else 0
    day.missing_opening = set(shuffled[:missing])
    day.late_opening = set(shuffled[missing : missing + max(3, len(teams) // 12)])
    rng.shuffle(shuffled)
    day.bad_protocols = set(shuffled[: max(2, len(teams) // 30)])
    base = [v for team in teams for v in _route(day, team, day.routes[team], rng)]
    if "tabulation" in day.forms:
        base += _tabulation(day, rng)
    base = [v for v in base if v.kind in day.forms]
    if count <= len(base):
        order = {"opening": 0, "counting": 1, "tabulation": 2}
        essential = sorted((v for v in base if v.kind != "voting"), key=lambda v: order[v.kind])
        voting = [v for v in base if v.kind == "voting"]
        rng.shuffle(voting)
        visits = (essential + voting)[:count]
    else:
        visits = base + _extras(day, rng, count - len(base))
    visits.sort(key=lambda v: (v.departed + v.upload_delay, v.team_id, v.arrived))
    return visits
