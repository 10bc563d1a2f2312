"""The review queue: the next observation to look at.

"Next flagged" and "next unreviewed" walk the observations the user may see in the order
they came in (by id), from the one on screen, wrapping round to the oldest; so a reviewer
goes through the queue without the list page. Queries only.
"""

from observer_suite.extensions import db
from observer_suite.models import Mission, Observation, ReviewStatus, User
from observer_suite.observations.listing import Filters, base_query, status_counts

QUEUES = {"flagged": ReviewStatus.FLAGGED, "unreviewed": ReviewStatus.RECEIVED}


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
