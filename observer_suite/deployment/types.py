"""Plain data passed between the database layer, the planner, and the map/PDF renderers.

The planner and renderers never touch the database: services turn rows into these, call a
pure function, and turn the result back into rows.
"""

from dataclasses import dataclass, field
from datetime import time


@dataclass(frozen=True)
class StationPoint:
    id: int
    code: str
    name: str
    lat: float | None
    lon: float | None
    region: str  # key of the top-level area (its code, else its name): the stratum
    area_name: str  # the lowest area's name, for tables
    registered_voters: int | None = None
    # Stations sharing a site (same coordinates / same polling centre) count as one place:
    # a team should not spend its day at one address.
    site: str = ""


@dataclass(frozen=True)
class TeamBase:
    id: int
    code: str
    lat: float | None
    lon: float | None
    # A locked team keeps exactly this route (station ids in visiting order) on re-planning.
    locked_route: tuple[int, ...] = ()


@dataclass(frozen=True)
class PlanOptions:
    stations_per_team: int = 10
    min_stations_per_team: int = 6  # fewer than this is reported as a problem
    visit_minutes: int = 30
    max_radius_km: float = 60.0  # straight-line distance from the team's base
    road_factor: float = 1.35  # road distance / straight-line distance
    speed_kmh: float = 40.0
    opening_time: time = time(7, 0)
    closing_time: time = time(18, 0)
    arrive_before_opening_min: int = 30
    # Spread coverage across regions: "voters" (registered voters, falling back to station
    # counts where voters are unknown), "stations", or "none".
    region_weighting: str = "voters"
    max_stations_per_site: int = 1
    seed: int = 1
    time_limit_s: float = 30.0


@dataclass(frozen=True)
class SampleOptions:
    confidence: float = 0.95
    margin_of_error: float = 0.05
    expected_proportion: float = 0.5
    nonresponse: float = 0.10
    sample_size: int | None = None  # overrides the calculator when given
    stratify_by: tuple[str, ...] = ("region",)


@dataclass
class Stop:
    station_id: int
    position: int  # 1-based
    kind: str  # "opening" | "visit" | "closing"
    arrival: time | None
    travel_km: float  # road km from the previous point (the base for the first stop)


@dataclass
class TeamRoute:
    team_id: int
    stops: list[Stop] = field(default_factory=list)
    travel_km: float = 0.0
    problems: list[str] = field(default_factory=list)


@dataclass
class PlanResult:
    routes: dict[int, TeamRoute]
    unreachable_station_ids: list[int] = field(default_factory=list)  # no team within radius
    problems: list[str] = field(default_factory=list)  # human-readable, one per issue
    sampling: dict | None = None  # sample mode: frame size, strata, n, seed, formula inputs
    solver: str = ""
    seconds: float = 0.0

    @property
    def travel_km(self) -> float:
        return sum(route.travel_km for route in self.routes.values())


# ---- what the map and the PDF show -------------------------------------------------------


@dataclass
class RouteRow:
    position: int
    kind: str
    station_code: str
    station_name: str
    area_name: str
    lat: float | None
    lon: float | None
    arrival: str  # "07:00" or ""
    station_id: int = 0


@dataclass
class MemberLine:
    name: str
    role: str  # "observer" | "driver" | "interpreter"
    nationality: str = ""
    gender: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class TeamSheet:
    team_id: int
    code: str
    members: list[MemberLine]
    base_name: str
    base_lat: float | None
    base_lon: float | None
    rows: list[RouteRow]
    travel_km: float
    problems: list[str] = field(default_factory=list)


@dataclass
class CoverageRow:
    region: str
    stations_planned: int
    stations_total: int
    voters_planned: int
    voters_total: int

    @property
    def voter_share(self) -> float | None:
        return self.voters_planned / self.voters_total if self.voters_total else None


@dataclass
class PlanDocument:
    mission_name: str
    plan_name: str
    mode: str
    status: str
    election_day: str
    generated_at: str
    coverage: list[CoverageRow]
    teams: list[TeamSheet]
    boundaries: list[tuple[str, dict]]  # (region name, GeoJSON geometry)
    problems: list[str] = field(default_factory=list)
    sampling: dict | None = None
