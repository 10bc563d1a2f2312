"""Incidents handled from the web: entered for a team, edited, commented, assigned.

Every change is an entry of the incident's history (IncidentStatusChange): kind "edit"
with {field: [old, new]} for category, severity and assignee, kind "comment" for a note
that leaves the status as it is. A report entered for a team goes through the intake
(incidents/submission.report) like a tablet's, with a new uuid. Flushes; the caller commits.
"""

import uuid as uuid_module

from sqlalchemy import select

from observer_suite.auth.permissions import Permission, can
from observer_suite.extensions import db
from observer_suite.incidents.submission import report
from observer_suite.incidents.taxonomy import categories
from observer_suite.incidents.workflow import MAX_COMMENT, NotPermitted, WorkflowError
from observer_suite.models import (
    Incident,
    IncidentStatusChange,
    Membership,
    Mission,
    Role,
    Severity,
    Team,
    User,
)
from observer_suite.observations.payload import Outcome
from observer_suite.util.checked import present
from observer_suite.util.intake_checks import TEXT_CONTROL_RE

# Who an incident can be assigned to: the mission's staff logins, never a tablet login.
ASSIGNABLE = {Role.ADMIN, Role.COORDINATOR, Role.LEAD, Role.ANALYST, Role.LTO, Role.CLERK}


def assignable(mission: Mission) -> list[tuple[int, str]]:
    """(user id, username) of the active logins an incident of `mission` can be given to."""
    rows = db.session.execute(
        select(User.id, User.username)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.mission_id == mission.id,
            User.active.is_(True),
            User.role.in_(list(ASSIGNABLE)),
        )
        .order_by(User.username)
    ).all()
    return [(row.id, row.username) for row in rows]


def _comment(text: str | None) -> str:
    text = (text or "").strip()
    if len(text) > MAX_COMMENT:
        raise WorkflowError(f"The comment is too long: at most {MAX_COMMENT} characters.")
    if TEXT_CONTROL_RE.search(text):
        raise WorkflowError("Remove the control characters (such as NUL) from the comment.")
    return text


def _entry(incident: Incident, user: User, kind: str, comment: str, details=None):
    entry = IncidentStatusChange(
        incident_id=incident.id,
        user_id=user.id,
        username=user.username,
        old_status=incident.status.value,
        new_status=incident.status.value,
        comment=comment,
        kind=kind,
        details=details,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def add_comment(incident: Incident, user: User, text: str | None) -> IncidentStatusChange:
    """A note in the history; the status stays."""
    if not can(user, Permission.COMMENT_INCIDENTS):
        raise NotPermitted("Your role cannot comment on incidents.")
    text = _comment(text)
    if not text:
        raise WorkflowError("Write the comment first.")
    return _entry(incident, user, "comment", text)


def edit(
    incident: Incident,
    user: User,
    category_code: str | None,
    severity: str | None,
    assignee_id: int | None,
    comment: str | None,
) -> IncidentStatusChange:
    """Change the category, the severity and/or the assignee; one history entry saying
    what changed from what. Nothing changed is refused, so the history has no empty rows."""
    if not can(user, Permission.EDIT_INCIDENTS):
        raise NotPermitted("Your role cannot change incidents.")
    mission = present(db.session.get(Mission, incident.mission_id))
    comment = _comment(comment)
    db.session.execute(select(Incident.id).where(Incident.id == incident.id).with_for_update())
    db.session.refresh(incident)
    details: dict = {}
    if category_code:
        by_code = {c.code: c for c in categories(mission)}
        category = by_code.get(category_code)
        if category is None:
            raise WorkflowError(f"{category_code!r} is not an active category of this mission.")
        old = incident.category.code
        if category.id != incident.category_id:
            details["category"] = [old, category.code]
            incident.category_id = category.id
    if severity:
        try:
            new = Severity(severity)
        except ValueError:
            names = ", ".join(s.value for s in Severity)
            raise WorkflowError(f"Unknown severity {severity!r}: use one of {names}.") from None
        if new != incident.severity:
            details["severity"] = [incident.severity.value, new.value]
            incident.severity = new
    if assignee_id != incident.assigned_to:
        names = dict(assignable(mission))
        if assignee_id is not None and assignee_id not in names:
            raise WorkflowError("That person cannot be assigned incidents of this mission.")
        old_name = incident.assignee.username if incident.assignee else None
        details["assigned_to"] = [
            old_name,
            names.get(assignee_id) if assignee_id is not None else None,
        ]
        incident.assigned_to = assignee_id
    if not details:
        raise WorkflowError("Nothing changed: category, severity and assignee are as they were.")
    entry = _entry(incident, user, "edit", comment, details)
    db.session.expire(incident, ["category", "assignee"])
    return entry


def enter(
    user: User,
    mission: Mission,
    team: Team,
    station_code: str,
    category: str,
    severity: str,
    occurred_at: str | None,
    title: str,
    description: str,
) -> Outcome:
    """Store one incident for `team` through the intake service; RequestError if not."""
    payload = {
        "uuid": str(uuid_module.uuid4()),
        "category": category,
        "severity": severity,
        "occurred_at": occurred_at,
        "station_code": station_code or None,
        "title": title,
        "description": description,
        "mission": mission.slug,
    }
    return report(user, payload, mission.slug, team_id=team.id)
