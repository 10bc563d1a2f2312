"""The filtered incident query shared by the list, the exports, the alerts and the maps.

Filters come from the query string as plain strings. A value that does not parse is left
out and named in `IncidentFilters.messages` (shown above the list), never a 500; the export
links carry `to_args()`, so an export holds exactly the rows the list shows. Times in the
filters are the mission's local time and apply to when the incident occurred.
"""

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from observer_suite.extensions import db
from observer_suite.models import (
    Area,
    Incident,
    IncidentCategory,
    IncidentPhoto,
    IncidentStatus,
    Mission,
    PollingStation,
    Severity,
    Team,
    User,
)
from observer_suite.observations.listing import local, mission_zone
from observer_suite.registry.services import within

__all__ = [
    "SEVERITIES",
    "STATUSES",
    "IncidentFilters",
    "category_label",
    "filter_choices",
    "filtered",
    "get_incident",
    "local",
    "mission_zone",
    "position",
]

STATUSES = [s.value for s in IncidentStatus]
SEVERITIES = [s.value for s in Severity]
CODE_RE = re.compile(r"^[a-z0-9_]{1,60}$")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")  # PostgreSQL refuses NUL in a string
MAX_TEXT = 100


@dataclass(frozen=True)
class IncidentFilters:
    status: str = ""
    category: str = ""  # category code
    severity: str = ""
    region: int | None = None  # a level-0 area id
    team: int | None = None
    assignee: int | None = None  # the user id of the login it is assigned to
    time_from: str = ""  # mission local time, YYYY-MM-DDTHH:MM (occurred_at)
    time_to: str = ""
    q: str = ""  # free text: title, description, station code or name
    messages: tuple[str, ...] = field(default=(), compare=False)  # values that were ignored

    @classmethod
    def from_args(cls, args) -> "IncidentFilters":
        """Parse request args; each bad value is dropped with a message saying so."""
        messages: list[str] = []

        def text(name: str) -> str:
            return str(args.get(name, "") or "").strip()

        def choice(name: str, allowed, what: str) -> str:
            value = text(name)
            if value and value not in allowed:
                messages.append(f"Unknown {what} {value[:40]!r} was ignored.")
                return ""
            return value

        def number(name: str, what: str) -> int | None:
            value = text(name)
            if not value:
                return None
            if value.isdigit() and len(value) < 10:
                return int(value)
            messages.append(f"The {what} {value[:40]!r} is not valid and was ignored.")
            return None

        def moment(name: str, what: str) -> str:
            value = text(name)
            if not value:
                return ""
            try:
                moment = datetime.fromisoformat(value[:19])
            except ValueError:
                messages.append(f"The {what} time {value[:40]!r} is not a date and time.")
                return ""
            if not 1900 <= moment.year <= 2200:  # far years overflow when zones are applied
                messages.append(f"The {what} time {value[:40]!r} is out of range.")
                return ""
            return value[:19]

        category = text("category")
        if category and not CODE_RE.match(category):
            messages.append(f"Unknown category {category[:40]!r} was ignored.")
            category = ""
        filters = cls(
            status=choice("status", STATUSES, "status"),
            category=category,
            severity=choice("severity", SEVERITIES, "severity"),
            region=number("region", "region"),
            team=number("team", "team"),
            assignee=number("assignee", "assignee"),
            time_from=moment("from", "'from'"),
            time_to=moment("to", "'to'"),
            q=CONTROL_RE.sub("", text("q"))[:MAX_TEXT],
            messages=tuple(messages),
        )
        return filters

    def to_args(self) -> dict:
        """Query-string arguments that give these filters back (empty ones left out)."""
        names = {"time_from": "from", "time_to": "to"}
        out = {}
        for key, value in asdict(self).items():
            if key != "messages" and value not in ("", None):
                out[names.get(key, key)] = value
        return out


def _instant(value: str, zone: ZoneInfo) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _photo_count():
    return (
        select(func.count(IncidentPhoto.id))
        .where(IncidentPhoto.incident_id == Incident.id)
        .correlate(Incident)
        .scalar_subquery()
    )


def filtered(mission: Mission, filters: IncidentFilters) -> Select:
    """Rows of (Incident, category_code, category_labels, station_code, station_name,
    station_lat, station_lon, region_id, region, team_code, reporter, photo_count) of
    `mission`, newest first (by when it occurred). Callers page, count or stream it."""
    region = aliased(Area)
    query = (
        select(
            Incident,
            IncidentCategory.code.label("category_code"),
            IncidentCategory.labels.label("category_labels"),
            PollingStation.code.label("station_code"),
            PollingStation.name.label("station_name"),
            PollingStation.latitude.label("station_lat"),
            PollingStation.longitude.label("station_lon"),
            region.id.label("region_id"),
            region.name.label("region"),
            Team.code.label("team_code"),
            User.username.label("reporter"),
            _photo_count().label("photo_count"),
        )
        .join(IncidentCategory, Incident.category_id == IncidentCategory.id)
        .outerjoin(PollingStation, Incident.station_id == PollingStation.id)
        .outerjoin(Area, PollingStation.area_id == Area.id)
        .outerjoin(
            region,
            (region.mission_id == mission.id)
            & (region.level == 0)
            & within(Area.path, region.path),
        )
        .outerjoin(Team, Incident.team_id == Team.id)
        .outerjoin(User, Incident.reported_by == User.id)
        .where(Incident.mission_id == mission.id)
        .order_by(Incident.occurred_at.desc(), Incident.id.desc())
    )
    zone = mission_zone(mission)
    if filters.status:
        query = query.where(Incident.status == IncidentStatus(filters.status))
    if filters.category:
        query = query.where(IncidentCategory.code == filters.category)
    if filters.severity:
        query = query.where(Incident.severity == Severity(filters.severity))
    if filters.region is not None:
        query = query.where(region.id == filters.region)
    if filters.team is not None:
        query = query.where(Incident.team_id == filters.team)
    if filters.assignee is not None:
        query = query.where(Incident.assigned_to == filters.assignee)
    if filters.time_from:
        query = query.where(Incident.occurred_at >= _instant(filters.time_from, zone))
    if filters.time_to:
        query = query.where(Incident.occurred_at < _instant(filters.time_to, zone))
    if filters.q:
        pattern = _like(filters.q)
        query = query.where(
            or_(
                Incident.title.ilike(pattern, escape="\\"),
                Incident.description.ilike(pattern, escape="\\"),
                PollingStation.code.ilike(pattern, escape="\\"),
                PollingStation.name.ilike(pattern, escape="\\"),
            )
        )
    return query


def get_incident(mission: Mission, incident_id: int):
    """One row as in `filtered`, or None when it is not an incident of `mission`."""
    query = filtered(mission, IncidentFilters()).where(Incident.id == incident_id)
    return db.session.execute(query).first()


def position(row) -> tuple[float | None, float | None, str]:
    """(lat, lon, source): the incident's own GPS, else its station's, else nothing."""
    incident = row.Incident
    if incident.latitude is not None and incident.longitude is not None:
        return incident.latitude, incident.longitude, "gps"
    if row.station_lat is not None and row.station_lon is not None:
        return row.station_lat, row.station_lon, "station"
    return None, None, ""


def category_label(labels: dict | None, code: str, lang: str = "en") -> str:
    labels = labels or {}
    return labels.get(lang) or labels.get("en") or code


def filter_choices(mission: Mission) -> dict:
    """What the filter drop-downs offer; retired categories too, since old incidents have them."""
    cats = db.session.scalars(
        select(IncidentCategory)
        .where(IncidentCategory.mission_id == mission.id)
        .order_by(IncidentCategory.position, IncidentCategory.id)
    ).all()
    regions = db.session.execute(
        select(Area.id, Area.name)
        .where(Area.mission_id == mission.id, Area.level == 0)
        .order_by(Area.name)
    ).all()
    teams = db.session.execute(
        select(Team.id, Team.code).where(Team.mission_id == mission.id).order_by(Team.code)
    ).all()
    return {
        "categories": [(c.code, c.label(), c.active) for c in cats],
        "regions": regions,
        "teams": teams,
        "statuses": STATUSES,
        "severities": SEVERITIES,
    }
