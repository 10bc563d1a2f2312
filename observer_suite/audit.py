"""The audit log: every ORM insert, update and delete of a mission's data, with who and when.

Recorded in `after_flush` from one listener, so no service can forget it; bulk imports that
bypass the ORM call `record()` with a summary instead.
"""

import datetime as dt
import enum

from flask import Flask, has_request_context
from flask_login import current_user
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, scoped_session

from observer_suite.models import (
    Area,
    AuditEntry,
    DeploymentPlan,
    IncidentCategory,
    Membership,
    Mission,
    Observer,
    PollingStation,
    ReportDefinition,
    Team,
    TeamArea,
    TeamMember,
    User,
)

# Plan stops are audited as one summary entry per planning run or edit, not row by row.
AUDITED = (
    Mission,
    Area,
    PollingStation,
    Observer,
    User,
    Membership,
    Team,
    TeamMember,
    TeamArea,
    DeploymentPlan,
    IncidentCategory,
    ReportDefinition,
)
SECRET_FIELDS = {"password_hash"}


def _actor() -> tuple[int | None, str | None]:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id, current_user.username
    return None, "cli"


def _jsonable(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict | list | int | float | str | bool) or value is None:
        return value
    return str(value)


def _mission_id(obj) -> int | None:
    if isinstance(obj, Mission):
        return obj.id
    return getattr(obj, "mission_id", None)


def _changes(obj) -> dict:
    changes = {}
    state = inspect(obj)
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if history.has_changes():
            if attr.key in SECRET_FIELDS:
                changes[attr.key] = "(changed)"
            else:
                old = history.deleted[0] if history.deleted else None
                new = history.added[0] if history.added else None
                changes[attr.key] = [_jsonable(old), _jsonable(new)]
    return changes


def _after_flush(session: Session, _context) -> None:
    user_id, username = _actor()
    rows = []
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not isinstance(obj, AUDITED):
                continue
            details = _changes(obj) if action == "update" else {}
            if action == "update" and not details:
                continue
            if action == "create":
                details = {"label": str(getattr(obj, "name", None) or getattr(obj, "code", ""))}
            rows.append(
                {
                    "at": dt.datetime.now(dt.UTC),
                    "user_id": user_id,
                    "username": username,
                    "mission_id": None
                    if action == "delete" and isinstance(obj, Mission)
                    else _mission_id(obj),
                    "action": action,
                    "entity": type(obj).__name__,
                    "entity_id": identity[0] if (identity := inspect(obj).identity) else None,
                    "details": details,
                }
            )
    if rows:
        session.connection().execute(insert(AuditEntry.__table__), rows)


def record(
    session: Session | scoped_session,
    action: str,
    entity: str,
    mission_id: int | None,
    details: dict,
) -> None:
    user_id, username = _actor()
    session.add(
        AuditEntry(
            user_id=user_id,
            username=username,
            mission_id=mission_id,
            action=action,
            entity=entity,
            details=details,
        )
    )


_installed = False


def _keep_old_value(_target, value, _oldvalue, _initiator):
    return value


def init_app(_app: Flask) -> None:
    global _installed
    if not _installed:
        event.listen(Session, "after_flush", _after_flush)
        # active_history loads the old value of an expired attribute before it is
        # overwritten, so an update's entry shows what was there before.
        for model in AUDITED:
            for attr in inspect(model).column_attrs:
                event.listen(getattr(model, attr.key), "set", _keep_old_value, active_history=True)
        _installed = True
