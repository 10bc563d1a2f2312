"""Creating users and checking credentials; callers commit."""

import re
from collections.abc import Sequence
from functools import lru_cache

from sqlalchemy import select, update
from werkzeug import security

from observer_suite.auth import passwords
from observer_suite.errors import ServiceError
from observer_suite.extensions import db
from observer_suite.models import Membership, Mission, Observer, Role, User
from observer_suite.util.checked import present

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{3,80}$")
MIN_PASSWORD_LENGTH = passwords.MIN_LENGTH


class UserError(ServiceError):
    """A user could not be created or changed; `field` names the field at fault."""


def validate_password(password: str, username: str = "") -> None:
    """The one check before any password is set (CLI, web forms, demo)."""
    problem = passwords.problem(password, username)
    if problem is not None:
        raise UserError(f"{problem}", field="password")


def create_user(
    username: str,
    password: str,
    role: Role | str,
    missions: Sequence[Mission] = (),
    observer: Observer | None = None,
) -> User:
    username = username.strip()
    if not USERNAME_RE.match(username):
        raise UserError("3-80 letters, digits or . _ @ -", field="username")
    try:
        role = Role(role)
    except ValueError:
        raise UserError(
            f"must be one of {', '.join(r.value for r in Role)}", field="role"
        ) from None
    validate_password(password, username)
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UserError(f"{username!r} is already taken", field="username")
    user = User(username=username, role=role, observer=observer)
    user.set_password(password)
    db.session.add(user)
    for mission in missions:
        user.memberships.append(Membership(mission=mission))
    db.session.flush()
    return user


def add_member(user: User, mission: Mission) -> None:
    if not any(m.mission_id == mission.id for m in user.memberships):
        user.memberships.append(Membership(mission=mission))
        db.session.flush()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash made the way real ones are, to check against when there is no user."""
    return security.generate_password_hash("no user has this password")


def authenticate(username: str, password: str) -> User | None:
    """The user, or None; the same hash work is done for an unknown or inactive user as for
    a wrong password, so the answer's timing does not tell which usernames exist."""
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        security.check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def end_sessions(user_id: int) -> None:
    """Every session and remember cookie of the user stops working (logout): one UPDATE,
    not an ORM change, so a logout is not written to the audit log as an edit of the user."""
    db.session.execute(
        update(User)
        .where(User.id == user_id)
        .values(session_generation=User.session_generation + 1)
    )


def login_role_for(observer: Observer) -> Role:
    """LTOs get the LTO role; everyone else on the roster logs in as an observer."""
    return Role.LTO if observer.role.value == "lto" else Role.OBSERVER


def create_observer_login(observer: Observer, username: str, password: str) -> User:
    if db.session.scalar(select(User.id).where(User.observer_id == observer.id)) is not None:
        raise UserError(f"{observer.name} already has a login", field="username")
    mission = present(db.session.get(Mission, observer.mission_id))  # the observer's own
    return create_user(
        username, password, login_role_for(observer), missions=[mission], observer=observer
    )
