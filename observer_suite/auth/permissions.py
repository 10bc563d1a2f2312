"""Who may do what: the one place that maps roles to permissions and scopes missions."""

import enum
from collections.abc import Callable
from functools import wraps

from flask import abort
from sqlalchemy import Select, select

from observer_suite.auth.current import current_user
from observer_suite.extensions import db
from observer_suite.models import Membership, Mission, Role, User


class Permission(enum.StrEnum):
    CREATE_MISSION = "create_mission"
    VIEW_MISSION = "view_mission"
    VIEW_REGISTRY = "view_registry"  # areas and polling stations
    VIEW_ROSTER = "view_roster"  # observers, with their contact details
    IMPORT_DATA = "import_data"
    MANAGE_LOGINS = "manage_logins"
    VIEW_AUDIT = "view_audit"
    MANAGE_TEAMS = "manage_teams"  # form, change and dissolve teams; areas of responsibility
    VIEW_PLANS = "view_plans"
    MANAGE_PLANS = "manage_plans"
    USE_TABLET = "use_tablet"
    SUBMIT_OBSERVATIONS = "submit_observations"
    VIEW_OBSERVATIONS = "view_observations"
    REVIEW_OBSERVATIONS = "review_observations"
    REPORT_INCIDENTS = "report_incidents"
    VIEW_INCIDENTS = "view_incidents"  # the list, incident pages and exports
    TRIAGE_INCIDENTS = "triage_incidents"  # move an incident through its statuses
    MANAGE_TAXONOMY = "manage_taxonomy"  # edit the mission's incident categories
    VIEW_MAPS = "view_maps"
    MANAGE_MAPS = "manage_maps"  # tile server setting, boundary import
    VIEW_REPORTS = "view_reports"  # election-day dashboard, statistics, PDF reports
    MANAGE_REPORTS = "manage_reports"  # edit the mission's indicator definitions
    ENTER_DATA = "enter_data"  # observations and incidents for any team, from the web
    CORRECT_OBSERVATIONS = "correct_observations"  # a new version of an observation's answers
    EDIT_INCIDENTS = "edit_incidents"  # category, severity, assignee
    COMMENT_INCIDENTS = "comment_incidents"  # a note in the history, no status change


_ALL = set(Role)
_STAFF = {Role.ADMIN, Role.COORDINATOR, Role.ANALYST, Role.LEAD}
_MANAGERS = {Role.ADMIN, Role.COORDINATOR}
# Clerks type in what teams phone in: they enter and correct data, never manage the mission.
_ENTRY = _MANAGERS | {Role.CLERK}

GRANTS: dict[Permission, set[Role]] = {
    Permission.CREATE_MISSION: _MANAGERS,
    Permission.VIEW_MISSION: _ALL,
    Permission.VIEW_REGISTRY: _STAFF,
    Permission.VIEW_ROSTER: _STAFF,
    Permission.IMPORT_DATA: _MANAGERS,
    Permission.MANAGE_LOGINS: _MANAGERS,
    Permission.VIEW_AUDIT: {Role.ADMIN},
    Permission.MANAGE_TEAMS: _MANAGERS,
    Permission.VIEW_PLANS: _STAFF,
    Permission.MANAGE_PLANS: _MANAGERS,
    Permission.USE_TABLET: {Role.ADMIN, Role.COORDINATOR, Role.LTO, Role.OBSERVER},
    Permission.SUBMIT_OBSERVATIONS: {
        Role.ADMIN,
        Role.COORDINATOR,
        Role.LTO,
        Role.OBSERVER,
        Role.CLERK,
    },
    Permission.VIEW_OBSERVATIONS: _STAFF | {Role.CLERK},
    Permission.REVIEW_OBSERVATIONS: {Role.ADMIN, Role.COORDINATOR, Role.ANALYST},
    Permission.REPORT_INCIDENTS: {
        Role.ADMIN,
        Role.COORDINATOR,
        Role.LTO,
        Role.OBSERVER,
        Role.CLERK,
    },
    Permission.VIEW_INCIDENTS: _STAFF | {Role.CLERK},
    Permission.TRIAGE_INCIDENTS: _MANAGERS,
    Permission.MANAGE_TAXONOMY: _MANAGERS,
    Permission.VIEW_MAPS: _STAFF,
    Permission.MANAGE_MAPS: _MANAGERS,
    Permission.VIEW_REPORTS: _STAFF,
    Permission.MANAGE_REPORTS: _MANAGERS,
    Permission.ENTER_DATA: _ENTRY,
    Permission.CORRECT_OBSERVATIONS: _ENTRY,
    Permission.EDIT_INCIDENTS: _MANAGERS,
    Permission.COMMENT_INCIDENTS: _ENTRY,
}


def can(user: User, permission: Permission) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in GRANTS[permission]


def require(permission: Permission) -> Callable:
    """Page decorator: 403 unless the logged-in user's role grants `permission`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not can(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def visible_missions(user: User) -> Select:
    """The user's missions, active ones first: where no mission is named (the tablet, the
    API), the first is the one meant, and an archived mission is read-only."""
    query = select(Mission).order_by(
        Mission.archived_at.is_not(None), Mission.election_date.desc(), Mission.name
    )
    if user.role == Role.ADMIN:
        return query
    return query.join(Membership, Membership.mission_id == Mission.id).where(
        Membership.user_id == user.id
    )


def belongs_to(user: User, mission_id: int) -> bool:
    """Whether the user may see the mission (admins see every mission), by its id alone."""
    if user.role == Role.ADMIN:
        return True
    query = select(Membership.id).where(
        Membership.user_id == user.id, Membership.mission_id == mission_id
    )
    return db.session.scalar(query) is not None


def can_view_mission(user: User, mission: Mission) -> bool:
    return belongs_to(user, mission.id)


def mission_or_404(slug: str) -> Mission:
    """Load a mission the current user belongs to; others get 404 so slugs do not leak."""
    mission = db.session.scalar(visible_missions(current_user).where(Mission.slug == slug))
    if mission is None:
        abort(404)
    return mission
