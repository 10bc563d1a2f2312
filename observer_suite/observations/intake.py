"""The idempotent store that both intake channels share: observations and incidents.

The device-made uuid is the idempotency key. The store is tried first, without looking the
uuid up (the unique index refuses a second copy); only when it is refused, by the index or
by a rule, is the stored row compared: the same content by a member of its mission is a
replay and gets the stored id back (so a retried upload is answered 200 even if the plan or
the form changed since), other content under the uuid is a 409. Any other unique violation
means the mission data changed while the row was stored: a 503 worth a retry.
"""

from collections.abc import Callable

from sqlalchemy.exc import IntegrityError

from observer_suite.auth.permissions import belongs_to
from observer_suite.errors import RequestError
from observer_suite.extensions import db
from observer_suite.models import User
from observer_suite.observations.payload import Outcome


def replay(user: User, existing, digest: str) -> Outcome:
    """The stored row's outcome for a copy with the same content, else a 409."""
    if existing.content_hash == digest and belongs_to(user, existing.mission_id):
        flags = list(getattr(existing, "flags", None) or [])
        return Outcome(existing.id, existing.uuid, False, flags)
    noun = type(existing).__name__.lower()
    raise RequestError(
        f"another {noun} is already stored under this uuid; make a new uuid for new content",
        field="uuid",
        status=409,
        code="conflict",
    )


def store_once(store: Callable[[], Outcome], stored: Callable, user: User, digest: str) -> Outcome:
    """`store()` the row, or answer for the row `stored()` finds under its uuid."""
    try:
        return store()
    except (RequestError, IntegrityError) as exc:
        # Rolled back here, not at the request boundary: on PostgreSQL a refused insert
        # leaves the transaction unable to read the stored row. (A savepoint around every
        # insert would cost two round trips on the election-day hot path.)
        db.session.rollback()
        existing = stored()
        if existing is not None:
            return replay(user, existing, digest)
        if isinstance(exc, RequestError):
            raise
        raise RequestError(
            "the mission data changed meanwhile; send again", status=503, code="retry"
        ) from exc
