"""Creating missions and summarising them; plain functions, callers commit."""

import re
import zoneinfo
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from observer_suite.errors import ServiceError
from observer_suite.extensions import db
from observer_suite.models import Area, Mission, Observer, PollingStation, User

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,58}[a-z0-9]$")
LEVEL_RE = re.compile(r"^[a-z][a-z0-9_]{0,29}$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")


class MissionError(ServiceError):
    """Invalid mission data; `field` names the field at fault."""


def parse_levels(levels: str | list[str]) -> list[str]:
    if isinstance(levels, str):
        levels = levels.split(",")
    names = [name.strip().lower().replace(" ", "_") for name in levels if name.strip()]
    if not names:
        raise MissionError("give at least one area level, e.g. state,lga,ward", field="levels")
    for name in names:
        if not LEVEL_RE.match(name):
            raise MissionError(f"{name!r} must be letters, digits or _", field="levels")
    if len(set(names)) != len(names):
        raise MissionError("each level name may appear once", field="levels")
    return names


def parse_languages(languages: str | list[str]) -> list[str]:
    if isinstance(languages, str):
        languages = languages.split(",")
    codes = [code.strip().lower() for code in languages if code.strip()]
    for code in codes:
        if not LANGUAGE_RE.match(code):
            raise MissionError(
                f"{code!r} is not an ISO 639 code such as en or fr", field="languages"
            )
    return codes or ["en"]


def create_mission(
    slug: str,
    name: str,
    country: str,
    election_date: date,
    levels: str | list[str],
    second_round_date: date | None = None,
    timezone: str = "UTC",
    languages: str | list[str] = "en",
    creator: User | None = None,
) -> Mission:
    slug = slug.strip().lower()
    if not SLUG_RE.match(slug):
        raise MissionError("2-60 lower-case letters, digits or hyphens", field="slug")
    if db.session.scalar(select(Mission.id).where(Mission.slug == slug)) is not None:
        raise MissionError(f"a mission {slug!r} already exists", field="slug")
    if not name.strip():
        raise MissionError("required", field="name")
    country = country.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise MissionError("an ISO 3166 alpha-2 code such as NG", field="country")
    if second_round_date is not None and second_round_date <= election_date:
        raise MissionError("must be after the election date", field="second_round_date")
    if timezone not in zoneinfo.available_timezones():
        raise MissionError(f"{timezone!r} is not an IANA time zone", field="timezone")
    mission = Mission(
        slug=slug,
        name=name.strip(),
        country=country,
        election_date=election_date,
        second_round_date=second_round_date,
        timezone=timezone,
        languages=parse_languages(languages),
        area_levels=parse_levels(levels),
    )
    db.session.add(mission)
    db.session.flush()
    if creator is not None:
        from observer_suite.auth.services import add_member

        add_member(creator, mission)
    return mission


def find_mission(slug: str | None) -> Mission:
    """The mission named by slug, or the only one when there is exactly one."""
    if slug:
        mission = db.session.scalar(select(Mission).where(Mission.slug == slug))
        if mission is None:
            raise MissionError(f"no mission {slug!r}", field="mission")
        return mission
    missions = db.session.scalars(select(Mission).limit(2)).all()
    if len(missions) == 1:
        return missions[0]
    if not missions:
        raise MissionError("there is no mission yet; create one first", field="mission")
    raise MissionError("several missions exist; name one with --mission SLUG", field="mission")


@dataclass(frozen=True)
class MissionSummary:
    areas_by_level: list[tuple[str, int]]
    stations: int
    stations_with_coordinates: int
    registered_voters: int
    observers_by_role: list[tuple[str, int]]


def summarise(mission: Mission) -> MissionSummary:
    level_counts = dict(
        db.session.execute(
            select(Area.level, func.count())
            .where(Area.mission_id == mission.id)
            .group_by(Area.level)
        )
        .tuples()
        .all()
    )
    stations, located, voters = db.session.execute(
        select(
            func.count(PollingStation.id),
            func.count(PollingStation.latitude),
            func.coalesce(func.sum(PollingStation.registered_voters), 0),
        ).where(PollingStation.mission_id == mission.id)
    ).one()
    roles = db.session.execute(
        select(Observer.role, func.count())
        .where(Observer.mission_id == mission.id)
        .group_by(Observer.role)
        .order_by(Observer.role)
    ).all()
    return MissionSummary(
        areas_by_level=[
            (name, level_counts.get(index, 0)) for index, name in enumerate(mission.area_levels)
        ],
        stations=stations,
        stations_with_coordinates=located,
        registered_voters=int(voters),
        observers_by_role=[(role.value, count) for role, count in roles],
    )
