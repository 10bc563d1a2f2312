"""Observations stored through the real submission service, for the review and export tests."""

from observer_suite.observations.submission import submit
from tests.api.fixtures import GOOD_ANSWERS, payload


def observe(db, user, station: str, **answers):
    """Submit as `user` through the service (no HTTP), commit, return the new id."""
    body = payload(station, answers={**GOOD_ANSWERS, **answers})
    outcome = submit(user, body)
    db.session.commit()
    return outcome.id
