"""Critical incidents nobody has looked at yet: what the banner on every mission page shows.

"Unacknowledged critical" means severity critical and status still reported: once a
coordinator verifies or rejects it, it leaves the banner. The banner's script polls
`pending()` with the highest id it has seen, so each poll carries only what is new plus
the ids still pending (to drop the ones someone has dealt with meanwhile).
"""

from dataclasses import dataclass

from sqlalchemy import func, select

from observer_suite.extensions import db
from observer_suite.incidents.listing import (
    IncidentFilters,
    category_label,
    filtered,
    local,
    mission_zone,
)
from observer_suite.models import Incident, IncidentStatus, Mission, Severity

PENDING = IncidentFilters(status=IncidentStatus.REPORTED.value, severity=Severity.CRITICAL.value)
MAX_NEW = 20
MAX_IDS = 100


@dataclass(frozen=True)
class Alert:
    id: int
    title: str
    category: str
    station: str
    occurred_at: str  # mission local time, ISO


@dataclass(frozen=True)
class Pending:
    count: int  # all unacknowledged critical incidents
    latest: int  # the highest id among them (0 when none)
    ids: list[int]  # up to MAX_IDS of them, newest first
    new: list[Alert]  # those with an id above `since`, newest first


def _alert(row, mission: Mission) -> Alert:
    incident = row.Incident
    when = local(incident.occurred_at, mission_zone(mission))
    return Alert(
        id=incident.id,
        title=incident.title,
        category=category_label(row.category_labels, row.category_code),
        station=" ".join(filter(None, [row.station_code, row.station_name])),
        occurred_at=when.isoformat(timespec="minutes") if when else "",
    )


def pending(mission: Mission, since: int = 0) -> Pending:
    """The unacknowledged critical incidents of `mission`, and those newer than `since`."""
    base = filtered(mission, PENDING)
    inner = base.order_by(None).with_only_columns(Incident.id).subquery()
    count, latest = db.session.execute(
        select(func.count(inner.c.id), func.coalesce(func.max(inner.c.id), 0))
    ).one()
    ids = db.session.scalars(select(inner.c.id).order_by(inner.c.id.desc()).limit(MAX_IDS)).all()
    rows = db.session.execute(
        base.where(Incident.id > since).order_by(None).order_by(Incident.id.desc()).limit(MAX_NEW)
    ).all()
    return Pending(count, latest, list(ids), [_alert(row, mission) for row in rows])
