"""The demo mission: an invented country, its polling stations, a roster and one login per role.

`build_demo()` is idempotent: a second run finds everything in place and writes nothing (not
even an audit entry). It flushes; the caller commits. Stations and observers go through the
real import service (`observer_suite.imports.run_import`), so the demo exercises it.

Area boundaries: `Area.boundary` of every region and district holds a bare GeoJSON geometry
object (RFC 7946), here always `{"type": "Polygon", "coordinates": [exterior, *holes]}` with
[longitude, latitude] positions rounded to 5 decimals, the exterior ring counter-clockwise
and every ring closed. Neighbouring areas share their border points exactly.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from observer_suite.auth.services import add_member, create_user
from observer_suite.extensions import db
from observer_suite.models import Area, Mission, Observer, Role, User

SLUG = "demo"
MISSION = {
    "slug": SLUG,
    "name": "EU EOM Republic of Veridia 2027 (demo)",
    "country": "XX",  # user-assigned ISO 3166 code: Veridia does not exist
    "election_date": date(2027, 3, 14),
    "second_round_date": date(2027, 3, 28),
    "timezone": "Africa/Lagos",
    "languages": "en,fr",
    "levels": "region,district",
}
# username, password, role, ref of the observer the login belongs to
USERS = [
    ("admin", "demo-admin-2027", Role.ADMIN, None),
    ("coordinator", "demo-coordinator-2027", Role.COORDINATOR, None),
    ("analyst", "demo-analyst-2027", Role.ANALYST, None),
    ("lead", "demo-lead-2027", Role.LEAD, None),
    ("clerk", "demo-clerk-2027", Role.CLERK, None),
    ("lto", "demo-lto-2027", Role.LTO, "LTO-01"),
    ("observer", "demo-observer-2027", Role.OBSERVER, "STO-001"),
]


STATION_COLUMNS = [
    "region",
    "region_code",
    "district",
    "district_code",
    "station_code",
    "name",
    "polling_centre",
    "registered_voters",
    "latitude",
    "longitude",
]


class DemoError(RuntimeError):
    """The demo data could not be imported (a bug: the generated files should be clean)."""


@dataclass(frozen=True)
class DemoResult:
    mission_slug: str
    logins: list[tuple[str, str, str]]  # (username, password, role)


def build_demo(echo: Callable[[str], object] = print) -> DemoResult:
    """Create or complete the demo mission; flushes, never commits."""
    from observer_suite.demo.geography import build_country
    from observer_suite.demo.roster import COLUMNS, build_roster

    mission = _mission(echo)
    country = build_country()
    _import(mission, "stations", _csv(STATION_COLUMNS, country.stations), echo)
    areas = {(r.code, 0): r.geometry() for r in country.regions}
    for districts in country.districts.values():
        areas.update({(d.code, 1): d.geometry() for d in districts})
    _boundaries(mission, areas, echo)
    _import(mission, "observers", _csv(COLUMNS, build_roster()), echo)
    from observer_suite.checklists.services import load_standard_forms
    from observer_suite.demo.deployment import build_teams, publish_plan

    forms = load_standard_forms(mission)
    echo(f"Forms: {', '.join(f.form_id for f in forms)}")
    build_teams(mission, echo)
    publish_plan(mission, echo)
    _users(mission, echo)
    from observer_suite.demo.incidents import add_incidents

    add_incidents(mission, echo)
    return DemoResult(SLUG, [(name, password, role.value) for name, password, role, _ in USERS])


def _mission(echo) -> Mission:
    from observer_suite.missions.services import create_mission

    mission = db.session.scalar(select(Mission).where(Mission.slug == SLUG))
    if mission is not None:
        echo(f"Mission: {SLUG!r} exists")
        return mission
    mission = create_mission(**MISSION)
    echo(f"Mission: {SLUG!r} created")
    return mission


def _csv(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _import(mission: Mission, kind: str, data: bytes, echo) -> None:
    """A dry run first: when nothing would change, nothing is written (no audit entry)."""
    from observer_suite.imports import run_import

    filename = f"demo-{kind}.csv"
    preview = run_import(kind, mission, data, filename, dry_run=True)
    if preview.ok and not _changes(preview.counts):
        echo(f"{preview.counts['rows']} {kind}: all unchanged, nothing to import")
        return
    result = preview if not preview.ok else run_import(kind, mission, data, filename, dry_run=False)
    if not result.ok:
        raise DemoError(f"{filename}: " + "; ".join(result.error_lines()[:10]))
    for line in result.summary_lines():
        echo(line)


def _changes(counts: dict[str, int]) -> int:
    keys = ("create", "update", "areas_create", "areas_update")
    return sum(counts.get(key, 0) for key in keys)


def _boundaries(mission: Mission, geometries: dict[tuple[str, int], dict], echo) -> None:
    areas = db.session.scalars(
        select(Area).where(Area.mission_id == mission.id, Area.level.in_((0, 1)))
    ).all()
    changed = 0
    for area in areas:
        geometry = geometries.get((area.code, area.level)) if area.code is not None else None
        if geometry is not None and area.boundary != geometry:
            area.boundary = geometry
            changed += 1
    db.session.flush()
    echo(f"Boundaries: {changed} set, {len(geometries) - changed} unchanged")


def _users(mission: Mission, echo) -> None:
    refs = [ref for *_, ref in USERS if ref]
    observers = {
        o.ref: o
        for o in db.session.scalars(
            select(Observer).where(Observer.mission_id == mission.id, Observer.ref.in_(refs))
        )
    }
    created = 0
    for username, password, role, ref in USERS:
        observer = observers.get(ref) if ref else None
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            create_user(username, password, role, missions=[mission], observer=observer)
            created += 1
            continue
        add_member(user, mission)  # an existing login keeps its password and role
        if observer is not None and user.observer_id is None:
            taken = db.session.scalar(select(User.id).where(User.observer_id == observer.id))
            if taken is None:
                user.observer = observer
    db.session.flush()
    echo(f"Users: {created} created, {len(USERS) - created} already there")
