"""Team bases without typing coordinates: from a file (coordinates or an area per team), or
by deploying every team without a base to an area in proportion to registered voters.

An area's centre: see centres.py. Callers commit.
"""

import math
import random
from dataclasses import dataclass, field

from sqlalchemy import select

from observer_suite import audit
from observer_suite.extensions import db
from observer_suite.imports.tabular import ImportFileError, LineError, read_table
from observer_suite.models import Area, Mission, Team, TeamArea, TeamKind
from observer_suite.teams.centres import NEAR_DEGREES, Centre, centres
from observer_suite.util.checked import present

MAX_BYTES = 5 * 1024 * 1024
_HEADERS = {
    "team": ("team", "teamcode", "code"),
    "latitude": ("latitude", "lat", "baselatitude"),
    "longitude": ("longitude", "lon", "lng", "long", "baselongitude"),
    "area": ("area", "areacode", "areaname", "deploymentarea"),
    "name": ("name", "base", "basename"),
}


@dataclass
class BaseChange:
    team: str
    name: str
    lat: float
    lon: float
    source: str  # "coordinates" or "area CODE"


@dataclass
class BasesResult:
    changes: list[BaseChange] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error

    def error_lines(self) -> list[str]:
        return [self.file_error] if self.file_error else [str(e) for e in self.errors]


def _key(header: str) -> str:
    return "".join(ch for ch in header.casefold() if ch.isalnum())


def _columns(headers: list[str]) -> dict[str, int]:
    owner = {alias: field for field, aliases in _HEADERS.items() for alias in aliases}
    index: dict[str, int] = {}
    for position, header in enumerate(headers):
        field_name = owner.get(_key(header))
        if field_name and field_name not in index:
            index[field_name] = position
    if "team" not in index:
        raise ImportFileError("the file needs a 'team' column (the team code, e.g. STO-001)")
    if "area" not in index and not {"latitude", "longitude"} <= set(index):
        raise ImportFileError(
            "the file needs 'latitude' and 'longitude' columns, or an 'area' column"
        )
    return index


def _coordinate(text: str, low: float, high: float) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and low <= value <= high else None


def _area_finder(mission: Mission):
    areas = db.session.scalars(select(Area).where(Area.mission_id == mission.id)).all()
    by_code: dict[str, list[Area]] = {}
    by_name: dict[str, list[Area]] = {}
    for area in areas:
        if area.code:
            by_code.setdefault(area.code.strip().casefold(), []).append(area)
        by_name.setdefault(" ".join(area.name.split()).casefold(), []).append(area)

    def find(text: str) -> tuple[Area | None, str]:
        for table in (by_code, by_name):
            hits = table.get(" ".join(text.split()).casefold(), [])
            if len(hits) == 1:
                return hits[0], ""
            if len(hits) > 1:
                options = ", ".join(f"{a.path}" for a in hits[:5])
                return None, f"{text!r} names {len(hits)} areas ({options}); give its code"
        return None, f"no area with code or name {text!r} in this mission"

    return find


_Wanted = tuple[int, Team, str | None, float | None, float | None, Area | None]


def import_bases(mission: Mission, data: bytes, filename: str, dry_run: bool) -> BasesResult:
    """Check every line first; write only when all are good (then flush, not commit)."""
    result = BasesResult()
    if len(data) > MAX_BYTES:
        result.file_error = f"{filename}: the file is larger than {MAX_BYTES // (1024 * 1024)} MB"
        return result
    try:
        table = read_table(data, filename)
        columns = _columns(table.headers)
    except ImportFileError as exc:
        result.file_error = f"{filename}: {exc}"
        return result
    result.errors.extend(table.errors)
    teams = {
        t.code.casefold(): t
        for t in db.session.scalars(select(Team).where(Team.mission_id == mission.id))
    }
    find_area = _area_finder(mission)
    seen: dict[str, int] = {}
    wanted: list[_Wanted] = []
    bad_width = {e.line for e in table.errors}
    for line, values in table.rows:
        if line in bad_width:
            continue
        one = _check_line(line, values, table.headers, columns, teams, find_area, seen, result)
        if one is not None:
            wanted.append(one)
    _place_bases(mission, wanted, result)
    result.errors.sort(key=lambda e: e.line)
    if not result.ok or dry_run:
        return result
    by_code = {t.code: t for t in teams.values()}
    for change in result.changes:
        team = by_code[change.team]
        team.base_name = change.name or team.base_name
        team.base_latitude, team.base_longitude = round(change.lat, 6), round(change.lon, 6)
    db.session.flush()
    audit.record(
        db.session, "team_bases", "Mission", mission.id,
        {"file": filename[:200], "teams": len(result.changes)},
    )  # fmt: skip
    return result


def _check_line(
    line: int,
    values: list[str],
    headers: list[str],
    columns: dict[str, int],
    teams: dict[str, Team],
    find_area,
    seen: dict[str, int],
    result: BasesResult,
) -> _Wanted | None:
    """One line of the file: its team and base (coordinates or an area), or None with the
    line's problems added to the result."""

    def cell(name: str) -> str:
        position = columns.get(name)
        return values[position].strip() if position is not None else ""

    def error(column: str | None, message: str) -> None:
        header = headers[columns[column]] if column in columns else None
        result.errors.append(LineError(line, header, message))

    code = cell("team")
    team = teams.get(code.casefold()) if code else None
    if not code:
        error("team", "is empty")
        return None
    if team is None:
        error("team", f"no team {code!r} in this mission")
        return None
    if code.casefold() in seen:
        error("team", f"{team.code} is already on line {seen[code.casefold()]}")
        return None
    seen[code.casefold()] = line
    lat_text, lon_text, area_text = cell("latitude"), cell("longitude"), cell("area")
    if area_text and (lat_text or lon_text):
        error("area", "give latitude/longitude or an area, not both")
        return None
    if area_text:
        area, problem = find_area(area_text)
        if area is None:
            error("area", problem)
            return None
        return (line, team, cell("name") or None, None, None, area)
    if not (lat_text and lon_text):
        error("latitude", "give latitude and longitude, or an area")
        return None
    lat, lon = _coordinate(lat_text, -90, 90), _coordinate(lon_text, -180, 180)
    if lat is None:
        error("latitude", f"{lat_text!r} is not a latitude between -90 and 90")
    if lon is None:
        error("longitude", f"{lon_text!r} is not a longitude between -180 and 180")
    if lat is not None and lon is not None:
        return (line, team, cell("name") or None, lat, lon, None)
    return None


def _place_bases(mission: Mission, wanted: list[_Wanted], result: BasesResult) -> None:
    """The checked lines as base changes, an area's base at its voter-weighted centre."""
    area_centres = centres(mission, [a.id for *_, a in wanted if a is not None])
    for line, team, name, lat, lon, area in wanted:
        if area is not None:
            centre = area_centres.get(area.id)
            if centre is None:
                result.errors.append(
                    LineError(line, None, f"area {area.name!r} has no stations with coordinates")
                )
                continue
            lat, lon = centre.lat, centre.lon
            name = name or f"{area.name} (centre)"
            source = f"area {area.code or area.name}"
        else:
            lat, lon = present(lat), present(lon)  # _check_line gives both or an area
            source = "coordinates"
        if name and len(name) > 200:
            result.errors.append(LineError(line, None, "name: at most 200 characters"))
            continue
        result.changes.append(BaseChange(team.code, name or "", lat, lon, source))


# --- deployment by registered voters ---------------------------------------------------------


@dataclass
class Deployment:
    team: str
    area: str  # path of names, e.g. "ENUGU / NKANU EAST"
    lat: float
    lon: float
    explanation: list[str]


def _largest_remainder(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """Split `total` seats in proportion to `weights`; ties in the remainders by the seed."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    quotas = [total * w / whole for w in weights]
    seats = [int(q) for q in quotas]
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - seats[i]), rng.random()))
    for i in order[: total - sum(seats)]:
        seats[i] += 1
    return seats


def _weigher(top: list[Centre]):
    """Registered voters, a station without a count weighing the mean of those with one; the
    number of stations when the file has no voter counts at all."""
    voters, counted = sum(c.voters for c in top), sum(c.counted for c in top)
    if not counted or not voters:
        return (lambda c: float(c.total)), "stations", ""
    mean = voters / counted
    note = ""
    if sum(c.total for c in top) > counted:
        note = f"stations without a voter count weigh the mean, {mean:,.0f} voters"

    def weight(c: Centre) -> float:
        return c.voters + (c.total - c.counted) * mean

    return weight, "registered voters", note


def deploy_teams(
    mission: Mission, regions: list[str] | None = None, seed: int = 1, dry_run: bool = False
) -> list[Deployment]:
    """Every STO team without a base gets an area and a base at its centre.

    Teams are split over the top-level areas in proportion to registered voters (stations
    where the file has no voter counts), then within each over its child areas, down to
    districts (the second level); an area that gets several teams splits them further down
    when it has child areas. Largest remainder at every step, ties broken by the seed.
    """
    from observer_suite.teams.services import TeamError

    areas = {a.id: a for a in db.session.scalars(select(Area).where(Area.mission_id == mission.id))}
    centre_of = centres(mission)
    children: dict[int | None, list[Area]] = {}
    for area in sorted(areas.values(), key=lambda a: a.path):
        if area.id in centre_of:
            children.setdefault(area.parent_id, []).append(area)
    top = _chosen_regions(mission, regions, centre_of) if regions else children.get(None, [])
    if not top:
        raise TeamError(
            "the mission has no stations with coordinates; import them first", field="deploy"
        )
    teams = db.session.scalars(
        select(Team)
        .where(
            Team.mission_id == mission.id,
            Team.kind == TeamKind.STO,
            (Team.base_latitude.is_(None)) | (Team.base_longitude.is_(None)),
        )
        .order_by(Team.code)
    ).all()
    if not teams:
        return []
    rng = random.Random(seed)
    levels = mission.area_levels or []
    _weight, unit, weight_note = _weigher([centre_of[a.id] for a in top])
    total_weight = sum(_weight(centre_of[a.id]) for a in top)
    placed: list[tuple[Area, list[str]]] = []

    def allocate(pool: list[Area], count: int, whole: float, lines: list[str]) -> None:
        seats = _largest_remainder(count, [_weight(centre_of[a.id]) for a in pool], rng)
        for area, n in zip(pool, seats, strict=True):
            if not n:
                continue
            share = _weight(centre_of[area.id])
            level = levels[area.level] if area.level < len(levels) else f"level {area.level + 1}"
            note = (
                f"{level} {area.name}: {share:,.0f} of {whole:,.0f} {unit} "
                f"({share / whole:.1%}) → {n} of {count} team{'s' if count != 1 else ''}"
            )
            below = children.get(area.id, [])
            if below and (area.level < 1 or n > 1):
                allocate(below, n, share, [*lines, note])
            else:
                placed.extend((area, [*lines, note]) for _ in range(n))

    allocate(top, len(teams), total_weight, [])
    order = list(range(len(placed)))
    rng.shuffle(order)
    deployments = []
    for team, index in zip(teams, order, strict=True):
        area, lines = placed[index]
        centre = centre_of[area.id]
        names = [p.name for p in _ancestors(area, areas)]
        explanation = [*([weight_note] if weight_note else []), *lines, _base_line(centre)]
        deployments.append(
            Deployment(team.code, " / ".join(names), centre.lat, centre.lon, explanation)
        )
        if not dry_run:
            team.base_name = f"{area.name} (centre)"[:200]
            team.base_latitude, team.base_longitude = round(centre.lat, 6), round(centre.lon, 6)
            if all(link.area_id != area.id for link in team.areas):
                team.areas.append(TeamArea(area_id=area.id))
    if not dry_run:
        db.session.flush()
        audit.record(
            db.session, "team_deploy", "Mission", mission.id,
            {"teams": len(deployments), "seed": seed, "regions": regions or []},
        )  # fmt: skip
    return deployments


def _chosen_regions(mission: Mission, regions: list[str], centre_of: dict) -> list[Area]:
    """The areas named by code or name, each once, refused when one has no stations with
    coordinates."""
    from observer_suite.teams.services import TeamError

    find_area = _area_finder(mission)
    chosen = []
    for text in regions:
        area, problem = find_area(text)
        if area is None:
            raise TeamError(f"{problem}", field="regions")
        if area.id not in centre_of:
            raise TeamError(f"{area.name} has no stations with coordinates", field="regions")
        chosen.append(area)
    return list({a.id: a for a in chosen}.values())


def _base_line(centre: Centre) -> str:
    """The explanation's last line: where the base is and what the centre left out."""
    ignored = (
        f"; {centre.ignored:,} station{'s' if centre.ignored != 1 else ''} more than "
        f"{NEAR_DEGREES:g}° from the others ignored"
        if centre.ignored
        else ""
    )
    return (
        f"base at the voter-weighted centre of its {centre.stations:,} stations "
        f"({centre.lat:.5f}, {centre.lon:.5f}){ignored}"
    )


def _ancestors(area: Area, areas: dict[int, Area]) -> list[Area]:
    chain = [area]
    while chain[-1].parent_id is not None and chain[-1].parent_id in areas:
        chain.append(areas[chain[-1].parent_id])
    return list(reversed(chain))
