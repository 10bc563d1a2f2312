"""Who may submit, view and review observations, and which observations a user may load.

The role sets below are the proposal for auth/permissions.py (Permission.SUBMIT_OBSERVATIONS,
VIEW_OBSERVATIONS, REVIEW_OBSERVATIONS); once those members exist they are used and the
fallback here is never read. Queries call `scope` so an observer cannot reach another team's
observation by changing an id.
"""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import false

from observer_suite.auth.permissions import GRANTS, Permission
from observer_suite.models import Observation, Role

SUBMIT = "submit_observations"
VIEW = "view_observations"
REVIEW = "review_observations"

FALLBACK_GRANTS: dict[str, set[Role]] = {
    SUBMIT: {Role.ADMIN, Role.COORDINATOR, Role.LTO, Role.OBSERVER},
    VIEW: {Role.ADMIN, Role.COORDINATOR, Role.ANALYST, Role.LEAD},
    REVIEW: {Role.ADMIN, Role.COORDINATOR, Role.ANALYST},
}
# These roles see and submit for their own team only.
TEAM_SCOPED = {Role.OBSERVER, Role.LTO}


def roles_for(name: str) -> set[Role]:
    try:
        return GRANTS[Permission(name)]
    except (ValueError, KeyError):
        return FALLBACK_GRANTS[name]


def allowed(user, name: str) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in roles_for(name)


def require_permission(name: str) -> Callable:
    """Page decorator: 403 unless the logged-in user's role grants `name`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not allowed(current_user, name):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def scope(user, team_id: int | None):
    """Condition on Observation limiting team-scoped roles to their own team's rows."""
    if user.role not in TEAM_SCOPED:
        return None
    return Observation.team_id == team_id if team_id is not None else false()
