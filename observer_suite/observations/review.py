"""Review status changes with their history; a stale review form is refused, not applied.

Two reviewers may open the same observation; the form carries how many history entries it
saw, and the row is locked while it is compared, so the later one is told instead of silently
overwriting the other's decision. Rejecting needs a reason: a rejected observation drops
out of every figure. Flushes; the caller commits.
"""

from sqlalchemy import func, select

from observer_suite.errors import ServiceError
from observer_suite.extensions import db
from observer_suite.models import Observation, ObservationReview, ReviewStatus

MAX_COMMENT = 2000


class ReviewError(ServiceError):
    """The review was not applied; the message says why, `field` which input it is about."""

    status = 400


class StaleReview(ReviewError):
    """Someone reviewed the observation after the form was made."""

    status, code = 409, "conflict"


def history_size(observation: Observation) -> int:
    return db.session.scalars(
        select(func.count(ObservationReview.id)).where(
            ObservationReview.observation_id == observation.id
        )
    ).one()


def set_review(
    observation: Observation,
    status: str,
    comment: str | None,
    username: str,
    seen: int | None = None,
) -> ObservationReview:
    """Set the review status (or add a comment to the current one) and record it."""
    try:
        new = ReviewStatus(status)
    except ValueError:
        raise ReviewError(f"Must be one of {', '.join(ReviewStatus)}.", "status") from None
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ReviewError(f"At most {MAX_COMMENT} characters.", "comment")
    old = observation.review_status
    if new == old and not comment:
        raise ReviewError("Say why when the status stays the same.", "comment")
    if new == ReviewStatus.REJECTED and not comment:
        raise ReviewError(
            "Say why it is rejected: a rejected observation is left out of every figure.",
            "comment",
        )
    db.session.execute(
        select(Observation.id).where(Observation.id == observation.id).with_for_update()
    )
    if seen is not None and history_size(observation) != seen:
        raise StaleReview(
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
