"""Review status changes with their history; a stale review form is refused, not applied.

Two reviewers may open the same observation; the form carries how many history entries it
saw, and the row is locked while it is compared, so the later one is told instead of silently
overwriting the other's decision. Flushes; the caller commits.
"""

from sqlalchemy import func, select

from observer_suite.extensions import db
from observer_suite.models import Observation, ObservationReview, ReviewStatus

MAX_COMMENT = 2000


class ReviewError(ValueError):
    """The review was not applied; the message says why."""


def history_size(observation: Observation) -> int:
    return db.session.scalar(
        select(func.count(ObservationReview.id)).where(
            ObservationReview.observation_id == observation.id
        )
    )


def set_review(
    observation: Observation,
    status: str,
    comment: str,
    username: str,
    seen: int | None = None,
) -> ObservationReview:
    """Set the review status (or add a comment to the current one) and record it."""
    try:
        new = ReviewStatus(status)
    except ValueError:
        raise ReviewError(f"status: must be one of {', '.join(ReviewStatus)}") from None
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ReviewError(f"comment: at most {MAX_COMMENT} characters")
    old = observation.review_status
    if new == old and not comment:
        raise ReviewError("comment: say why when the status stays the same")
    db.session.execute(
        select(Observation.id).where(Observation.id == observation.id).with_for_update()
    )
    if seen is not None and history_size(observation) != seen:
        raise ReviewError(
            "Someone else reviewed this observation meanwhile; read their entry and try again."
        )
    db.session.refresh(observation, ["review_status"])
    entry = ObservationReview(
        observation_id=observation.id,
        username=username,
        old_status=observation.review_status.value,
        new_status=new.value,
        comment=comment,
    )
    observation.review_status = new
    db.session.add(entry)
    db.session.flush()
    return entry
