"""Triage rules: which status may follow which, who may move an incident, what is recorded.

The statuses move

    reported  → verified | rejected      (a coordinator checked the report)
    verified  → follow_up | resolved     (it happened; act on it, or it is dealt with)
    follow_up → resolved

and two moves reopen a closed decision:

    rejected  → reported                 (new evidence: the report goes back to triage)
    resolved  → follow_up                (it was not over after all)

Nothing skips verification: reported → follow_up or resolved is refused. Rejecting and
reopening need a comment saying why, because they overturn what someone saw or decided.
Only roles with TRIAGE_INCIDENTS (checked here, not only in the view) change a status, and
every change writes an IncidentStatusChange with who, from, to and the comment.

Two coordinators may open the same incident. The form carries the status it was made
against; the update is a compare-and-set on that status, so the later decision is refused
(StaleStatus) instead of silently overturning the earlier one. Flushes; the caller commits.
"""

from sqlalchemy import select, update

from observer_suite.auth.permissions import Permission, belongs_to, can
from observer_suite.errors import ServiceError
from observer_suite.extensions import db, rowcount
from observer_suite.models import Incident, IncidentStatus, IncidentStatusChange, User
from observer_suite.util.intake_checks import TEXT_CONTROL_RE

S = IncidentStatus
TRANSITIONS: dict[IncidentStatus, tuple[IncidentStatus, ...]] = {
    S.REPORTED: (S.VERIFIED, S.REJECTED),
    S.VERIFIED: (S.FOLLOW_UP, S.RESOLVED),
    S.FOLLOW_UP: (S.RESOLVED,),
    S.REJECTED: (S.REPORTED,),
    S.RESOLVED: (S.FOLLOW_UP,),
}
REOPENINGS = {(S.REJECTED, S.REPORTED), (S.RESOLVED, S.FOLLOW_UP)}
LABELS = {
    S.REPORTED: "Reported",
    S.VERIFIED: "Verified",
    S.REJECTED: "Rejected",
    S.FOLLOW_UP: "Follow-up",
    S.RESOLVED: "Resolved",
}
MAX_COMMENT = 2000


class WorkflowError(ServiceError):
    """The status was not changed; the message says why in words a coordinator reads."""

    status = 400


class NotPermitted(WorkflowError):
    status, code = 403, "forbidden"


class TransitionRefused(WorkflowError):
    pass


class CommentRequired(WorkflowError):
    pass


class StaleStatus(WorkflowError):
    """Someone changed the incident after the form was made."""

    status, code = 409, "conflict"


def label(status: IncidentStatus | str) -> str:
    return LABELS.get(S(status), str(status))


def allowed_next(status: IncidentStatus | str) -> tuple[IncidentStatus, ...]:
    """The statuses an incident in `status` may move to."""
    return TRANSITIONS.get(S(status), ())


def is_reopening(old: IncidentStatus | str, new: IncidentStatus | str) -> bool:
    return (S(old), S(new)) in REOPENINGS


def needs_comment(old: IncidentStatus | str, new: IncidentStatus | str) -> bool:
    """Rejecting and reopening overturn a report or a decision, so they must say why."""
    return S(new) == S.REJECTED or is_reopening(old, new)


def parse_status(value: IncidentStatus | str | None, what: str = "status") -> IncidentStatus:
    try:
        return S(value)
    except ValueError:
        names = ", ".join(s.value for s in S)
        raise WorkflowError(f"Unknown {what} {value!r}: use one of {names}.") from None


def check_transition(old: IncidentStatus | str, new: IncidentStatus | str, comment: str) -> None:
    """Raise unless `old` → `new` is allowed with this comment (pure: no database)."""
    old, new = S(old), S(new)
    if new == old:
        raise TransitionRefused(f"The incident is already {label(old).lower()}.")
    if new not in allowed_next(old):
        options = " or ".join(label(s).lower() for s in allowed_next(old)) or "nothing"
        hint = " It must be verified first." if old == S.REPORTED else ""
        raise TransitionRefused(
            f"A {label(old).lower()} incident cannot become {label(new).lower()}: "
            f"it can become {options}.{hint}"
        )
    if len(comment) > MAX_COMMENT:
        raise WorkflowError(f"The comment is too long: at most {MAX_COMMENT} characters.")
    if TEXT_CONTROL_RE.search(comment):  # PostgreSQL cannot store NUL in text
        raise WorkflowError("Remove the control characters (such as NUL) from the comment.")
    if needs_comment(old, new) and not comment:
        why = "reopening" if is_reopening(old, new) else "rejecting"
        raise CommentRequired(f"Say why you are {why} this incident: a comment is required.")


def _last_change(incident_id: int) -> IncidentStatusChange | None:
    return db.session.scalar(
        select(IncidentStatusChange)
        .where(IncidentStatusChange.incident_id == incident_id)
        .order_by(IncidentStatusChange.id.desc())
        .limit(1)
    )


def _stale(incident: Incident, expected: IncidentStatus) -> StaleStatus:
    db.session.refresh(incident)
    last = _last_change(incident.id)
    by = f" by {last.username}" if last and last.username else ""
    return StaleStatus(
        f"Incident {incident.id} was changed{by} while you were deciding: it is now "
        f"{label(incident.status).lower()}, and your form was made when it was "
        f"{label(expected).lower()}. Nothing was changed; reload the incident and decide again."
    )


def change_status(
    incident: Incident,
    new_status: IncidentStatus | str,
    user: User,
    comment: str | None,
    expected_status: IncidentStatus | str,
) -> IncidentStatusChange:
    """Move `incident` to `new_status` if `user` may, the move is allowed and the incident is
    still in `expected_status`; record the change. Raises a WorkflowError otherwise."""
    if not can(user, Permission.TRIAGE_INCIDENTS):
        raise NotPermitted("Your role cannot change the status of incidents.")
    if not belongs_to(user, incident.mission_id):
        raise NotPermitted("This incident belongs to a mission you are not part of.")
    new = parse_status(new_status)
    expected = parse_status(expected_status, "expected status")
    comment = (comment or "").strip()
    if S(incident.status) != expected:
        raise _stale(incident, expected)
    check_transition(expected, new, comment)
    moved = db.session.execute(
        update(Incident)
        .where(Incident.id == incident.id, Incident.status == expected)
        .values(status=new)
        .execution_options(synchronize_session=False)
    )
    if rowcount(moved) != 1:  # changed between loading the page's row and this update
        raise _stale(incident, expected)
    db.session.expire(incident, ["status", "updated_at"])
    entry = IncidentStatusChange(
        incident_id=incident.id,
        user_id=user.id,
        username=user.username,
        old_status=expected.value,
        new_status=new.value,
        comment=comment,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
