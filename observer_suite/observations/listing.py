"""The filtered observation query shared by the list, the counts and the exports.

Filters come from the query string as plain strings and are parsed leniently (a bad value is
ignored, never a 500), so an export link carries exactly the list's filters. Times in the
filters are the mission's local time. Counts are GROUP BY in SQL.
"""

import re
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Select, Text, cast, func, or_, select
from sqlalchemy.orm import aliased

from observer_suite.deployment.plan_sheets import team_of_user
from observer_suite.extensions import db
from observer_suite.models import (
    Area,
    Form,
    Mission,
    Observation,
    PollingStation,
    ReviewStatus,
    Team,
    User,
)
from observer_suite.observations.access import TEAM_SCOPED, scope
from observer_suite.observations.instants import in_zone
from observer_suite.registry.services import within
from observer_suite.util.checked import present

STATUSES = [s.value for s in ReviewStatus]
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def mission_zone(mission: Mission) -> ZoneInfo:
    try:
        return ZoneInfo(mission.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    """A stored time in the mission's zone (SQLite hands back naive UTC); None when there is
    none or it cannot be shown there (instants.in_zone: a stored year 9999 overflows)."""
    return in_zone(value, zone)


@dataclass(frozen=True)
class Filters:
    form: str = ""  # form_id, all versions
    region: int | None = None  # a level-0 area id
    team: int | None = None
    station: str = ""  # station code or its beginning
    time_from: str = ""  # mission local time, YYYY-MM-DDTHH:MM (arrival)
    time_to: str = ""
    status: str = ""
    flagged: bool = False

    @classmethod
    def from_args(cls, args) -> "Filters":
        def number(name: str) -> int | None:
            value = str(args.get(name, "")).strip()
            return int(value) if value.isdigit() and len(value) < 10 else None

        def moment(name: str) -> str:
            value = str(args.get(name, "")).strip()[:19]
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                return ""
            return value if 1900 <= parsed.year <= 2200 else ""  # far years overflow in zones

        def text(name: str, limit: int) -> str:  # PostgreSQL refuses NUL in a parameter
            return CONTROL_RE.sub("", str(args.get(name, ""))).strip()[:limit]

        status = str(args.get("status", "")).strip()
        return cls(
            form=text("form", 80),
            region=number("region"),
            team=number("team"),
            station=text("station", 60),
            time_from=moment("from"),
            time_to=moment("to"),
            status=status if status in STATUSES else "",
            flagged=str(args.get("flagged", "")) in {"1", "on", "true", "yes"},
        )

    def to_args(self) -> dict:
        """Query-string arguments that give these filters back (empty ones left out)."""
        names = {"time_from": "from", "time_to": "to"}
        out = {}
        for key, value in asdict(self).items():
            if value not in ("", None, False):
                out[names.get(key, key)] = "1" if value is True else value
        return out


def _instant(value: str, zone: ZoneInfo) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    local_time = parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
    return local_time.astimezone(UTC)  # stored times are UTC (SQLite keeps no offset)


def base_query(mission: Mission, user: User, filters: Filters) -> Select:
    """Rows of (Observation, form_id, version, station code, station name, team code,
    region name), newest first, limited to what `user` may see."""
    region = aliased(Area)
    query = (
        select(
            Observation,
            Form.form_id,
            Form.version,
            PollingStation.code.label("station_code"),
            PollingStation.name.label("station_name"),
            Team.code.label("team_code"),
            region.name.label("region"),
        )
        .join(Form, Observation.form_pk == Form.id)
        .join(PollingStation, Observation.station_id == PollingStation.id)
        .join(Area, PollingStation.area_id == Area.id)
        .outerjoin(
            region,
            (region.mission_id == mission.id)
            & (region.level == 0)
            & within(Area.path, region.path),
        )
        .outerjoin(Team, Observation.team_id == Team.id)
        .where(Observation.mission_id == mission.id)
        .order_by(Observation.received_at.desc(), Observation.id.desc())
    )
    if user.role in TEAM_SCOPED:
        team = team_of_user(user, mission)
        query = query.where(present(scope(user, team.id if team else None)))  # team-scoped
    zone = mission_zone(mission)
    if filters.form:
        query = query.where(Form.form_id == filters.form)
    if filters.region is not None:
        query = query.where(region.id == filters.region)
    if filters.team is not None:
        query = query.where(Observation.team_id == filters.team)
    if filters.station:
        query = query.where(PollingStation.code.startswith(filters.station, autoescape=True))
    if filters.time_from:
        query = query.where(Observation.arrived_at >= _instant(filters.time_from, zone))
    if filters.time_to:
        query = query.where(Observation.arrived_at < _instant(filters.time_to, zone))
    if filters.status:
        query = query.where(Observation.review_status == ReviewStatus(filters.status))
    if filters.flagged:
        has_flags = func.length(cast(Observation.flags, Text)) > 2  # stored JSON is not "[]"
        query = query.where(or_(Observation.review_status == ReviewStatus.FLAGGED, has_flags))
    return query


def status_counts(mission: Mission, user: User, filters: Filters) -> dict[str, int]:
    """Observations per review status under every filter but the status one."""
    inner = base_query(mission, user, replace(filters, status="")).order_by(None).subquery()
    status = inner.c.review_status
    rows = db.session.execute(select(status, func.count()).group_by(status)).all()
    counts = dict.fromkeys(STATUSES, 0)
    for value, count in rows:
        counts[ReviewStatus(value).value] = count
    return counts


def forms_in(mission: Mission, user: User, filters: Filters) -> list[Form]:
    """The form versions the filtered observations use: newest version first per form_id."""
    inner = base_query(mission, user, filters).order_by(None).subquery()
    pks = select(inner.c.form_pk).distinct()
    return list(
        db.session.scalars(
            select(Form)
            .where(Form.id.in_(pks))
            .order_by(Form.form_id, Form.created_at.desc(), Form.id.desc())
        )
    )


def filter_choices(mission: Mission) -> dict:
    """What the filter drop-downs offer: forms, regions, teams, statuses."""
    forms = db.session.execute(
        select(Form.form_id, func.max(Form.title))
        .where(Form.mission_id == mission.id)
        .group_by(Form.form_id)
        .order_by(Form.form_id)
    ).all()
    regions = db.session.execute(
        select(Area.id, Area.name)
        .where(Area.mission_id == mission.id, Area.level == 0)
        .order_by(Area.name)
    ).all()
    teams = db.session.execute(
        select(Team.id, Team.code).where(Team.mission_id == mission.id).order_by(Team.code)
    ).all()
    return {"forms": forms, "regions": regions, "teams": teams, "statuses": STATUSES}


def get_observation(mission: Mission, user: User, observation_id: int):
    """One row as in base_query, or None when it is not there or not the user's to see."""
    query = base_query(mission, user, Filters()).where(Observation.id == observation_id)
    return db.session.execute(query).first()
