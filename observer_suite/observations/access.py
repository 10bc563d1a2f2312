"""Which observations a user may load: the object check the queries share.

Roles are granted in auth/permissions.py (SUBMIT_OBSERVATIONS, VIEW_OBSERVATIONS,
REVIEW_OBSERVATIONS); here only the team scope, so an observer cannot reach another team's
observation by changing an id.
"""

from sqlalchemy import false

from observer_suite.models import Observation, Role

# These roles see and submit for their own team only.
TEAM_SCOPED = {Role.OBSERVER, Role.LTO}


def scope(user, team_id: int | None):
    """Condition on Observation limiting team-scoped roles to their own team's rows."""
    if user.role not in TEAM_SCOPED:
        return None
    return Observation.team_id == team_id if team_id is not None else false()
