"""Changing a mission after it is created, and archiving it; plain functions, callers commit.

Every change goes through the ORM, so the audit listener records each field's old and new
value (archiving included) without a separate call here.
"""

import zoneinfo
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import exists, select

from observer_suite.extensions import db
from observer_suite.missions.services import MissionError, parse_languages, parse_levels
from observer_suite.models import Area, Mission
from observer_suite.util.map_tiles import TileError, validate_tiles

UNSET = object()
DEFAULT_TILES = "default"  # the setting shown for "use the server's MAP_TILE_URL"


def has_areas(mission: Mission) -> bool:
    return bool(db.session.scalar(select(exists().where(Area.mission_id == mission.id))))


def check_timezone(name: str | None) -> str:
    """An IANA zone name that zoneinfo knows (the names the tablet and pages convert with)."""
    name = (name or "").strip()
    if name not in zoneinfo.available_timezones():
        raise MissionError(
            f"{name[:64]!r} is not an IANA time zone such as Africa/Lagos", field="timezone"
        )
    return name


def check_tiles(value: str | None) -> str | None:
    """None (the server's setting), "none" (no tiles) or a validated https template."""
    text = (value or "").strip()
    if not text or text.lower() == DEFAULT_TILES:
        return None
    try:
        return validate_tiles(text)
    except TileError as exc:
        raise MissionError(f"{exc}", field="tiles") from None


def check_levels(mission: Mission, levels: str | list[str]) -> list[str]:
    """Any levels while the mission has no areas; afterwards the same number, renamed."""
    names = parse_levels(levels)
    if len(names) != len(mission.area_levels) and has_areas(mission):
        raise MissionError(
            f"the mission already has areas on {len(mission.area_levels)} levels "
            f"({', '.join(mission.area_levels)}); you may rename them but not add or "
            "remove one",
            field="levels",
        )
    return names


def update_mission(
    mission: Mission,
    *,
    # Any: a value as a form or the CLI gives it, checked below, or UNSET to leave it.
    name: Any = UNSET,
    election_date: Any = UNSET,
    second_round_date: Any = UNSET,
    timezone: Any = UNSET,
    languages: Any = UNSET,
    tiles: Any = UNSET,
    levels: Any = UNSET,
) -> list[str]:
    """Check every given value first, then apply them all; returns the fields that changed.
    Raises MissionError ("field: why") before anything is changed."""
    if mission.archived:
        raise MissionError(
            "the mission is archived; restore it before changing it", field="mission"
        )
    new: dict = {}
    if name is not UNSET:
        text = (name or "").strip()
        if not text:
            raise MissionError("required", field="name")
        if len(text) > 200:
            raise MissionError("at most 200 characters", field="name")
        new["name"] = text
    if election_date is not UNSET:
        if not isinstance(election_date, date):
            raise MissionError("required", field="election_date")
        new["election_date"] = election_date
    if second_round_date is not UNSET:
        new["second_round_date"] = second_round_date
    first = new.get("election_date", mission.election_date)
    second = new.get("second_round_date", mission.second_round_date)
    if second is not None and second <= first:
        raise MissionError("must be after the election date", field="second_round_date")
    if timezone is not UNSET:
        new["timezone"] = check_timezone(timezone)
    if languages is not UNSET:
        new["languages"] = parse_languages(languages)
    if tiles is not UNSET:
        new["map_tiles"] = check_tiles(tiles)
    if levels is not UNSET:
        new["area_levels"] = check_levels(mission, levels)
    changed = [key for key, value in new.items() if getattr(mission, key) != value]
    for key in changed:
        setattr(mission, key, new[key])
    db.session.flush()
    return changed


def archive(mission: Mission) -> bool:
    """Make the mission read-only; False when it already was."""
    if mission.archived:
        return False
    mission.archived_at = datetime.now(UTC)
    db.session.flush()
    return True


def restore(mission: Mission) -> bool:
    if not mission.archived:
        return False
    mission.archived_at = None
    db.session.flush()
    return True
