"""The review queue: the next observation to look at, and what a station has received.

"Next flagged" and "next unreviewed" walk the observations the user may see in the order
they came in (by id), from the one on screen, wrapping round to the oldest; so a reviewer
goes through the queue without the list page. Queries only.
"""

from observer_suite.extensions import db
from observer_suite.incidents.listing import IncidentFilters
from observer_suite.incidents.listing import filtered as incident_query
from observer_suite.models import Incident, Mission, Observation, ReviewStatus, User
from observer_suite.observations.listing import Filters, base_query, status_counts

QUEUES = {"flagged": ReviewStatus.FLAGGED, "unreviewed": ReviewStatus.RECEIVED}
STATION_LIMIT = 200  # a station gets a handful a day; a page is not an export


def next_in_queue(mission: Mission, user: User, current_id: int, queue: str) -> int | None:
    """The id of the next observation in `queue` after `current_id`, else the first one
    before it; None when the queue holds nothing else."""
    ids = (
        base_query(mission, user, Filters(status=QUEUES[queue].value))
        .order_by(None)
        .with_only_columns(Observation.id)
        .where(Observation.id != current_id)
    )
    after = db.session.scalar(
        ids.where(Observation.id > current_id).order_by(Observation.id).limit(1)
    )
    if after is not None:
        return after
    return db.session.scalar(ids.order_by(Observation.id).limit(1))


def queue_sizes(mission: Mission, user: User) -> dict[str, int]:
    counts = status_counts(mission, user, Filters())
    return {name: counts.get(status.value, 0) for name, status in QUEUES.items()}


def station_activity(mission: Mission, user: User, station) -> dict:
    """The station's observations (rows as listing.base_query) and incidents (rows as
    incidents.listing.filtered), newest first, for the station's page."""
    observations = db.session.execute(
        base_query(mission, user, Filters())
        .where(Observation.station_id == station.id)
        .limit(STATION_LIMIT)
    ).all()
    incidents = db.session.execute(
        incident_query(mission, IncidentFilters())
        .where(Incident.station_id == station.id)
        .limit(STATION_LIMIT)
    ).all()
    return {"observations": observations, "incidents": incidents}
