"""Managing a mission's logins from the web: list, create staff logins, reset a password,
deactivate or reactivate. Plain functions; callers commit. The ORM audit listener records
every change to a user (the password hash only as "(changed)").

Deactivating ends the login's sessions at once (User bumps session_generation when active
goes false, so every cookie is refused by the next request) and its API tokens: they are
expired in the database, and the flush clears this worker's token cache (auth.tokens). Other
workers may accept a cached token for up to API_TOKEN_CACHE_SECONDS (default 5) more.
"""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, update

from observer_suite.auth.services import UserError, create_user, validate_password
from observer_suite.auth.tokens import forget_checked_tokens
from observer_suite.extensions import db, rowcount
from observer_suite.models import ApiToken, Membership, Mission, Observer, Role, User

# Observer and LTO logins are given from the observer's page, tied to the roster.
STAFF_ROLES = tuple(r for r in Role if r not in {Role.ADMIN, Role.LTO, Role.OBSERVER})
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


@dataclass(frozen=True)
class LoginRow:
    id: int
    username: str
    role: str
    active: bool
    observer: str | None
    must_change_password: bool
    tokens: int  # unexpired API tokens


def mission_logins(mission: Mission) -> list[LoginRow]:
    """Every login belonging to the mission, with its live token count (one query)."""
    live = (
        select(func.count(ApiToken.id))
        .where(ApiToken.user_id == User.id, ApiToken.expires_at > datetime.now(UTC))
        .correlate(User)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(User, Observer.name, live)
        .join(Membership, Membership.user_id == User.id)
        .outerjoin(Observer, Observer.id == User.observer_id)
        .where(Membership.mission_id == mission.id)
        .order_by(User.active.desc(), User.role, User.username)
    ).all()
    return [
        LoginRow(u.id, u.username, u.role.value, u.active, name, u.must_change_password, n)
        for u, name, n in rows
    ]


def login_of(mission: Mission, user_id: int) -> User | None:
    return db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(User.id == user_id, Membership.mission_id == mission.id)
    )


def may_manage(actor: User, target: User) -> str | None:
    """Why `actor` may not change `target`'s login, or None. Only an admin manages an
    admin, and nobody locks themselves out."""
    if target.id == actor.id:
        return "you cannot reset or deactivate your own login here"
    if target.role == Role.ADMIN and actor.role != Role.ADMIN:
        return "only an admin can change an admin's login"
    return None


def create_staff_login(mission: Mission, username: str, password: str, role: str) -> User:
    if role not in {r.value for r in STAFF_ROLES}:
        allowed = ", ".join(r.value for r in STAFF_ROLES)
        raise UserError(f"a staff login is one of {allowed}", field="role")
    return create_user(username, password, role, missions=[mission])


def temporary_password() -> str:
    """Four groups of four: 16 characters, about 79 bits, easy to read out on the phone."""
    chars = [secrets.choice(TEMPORARY_ALPHABET) for _ in range(16)]
    return "-".join("".join(chars[i : i + 4]) for i in range(0, 16, 4))


def revoke_tokens(user: User) -> int:
    now = datetime.now(UTC)
    result = db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.expires_at > now)
        .values(expires_at=now)
    )
    forget_checked_tokens()
    return rowcount(result) or 0


def reset_password(user: User) -> str:
    """A temporary password, returned once and stored only hashed; it must be changed at the
    next login. Existing sessions and tokens end (whoever had the old password is out)."""
    password = temporary_password()
    validate_password(password, user.username)
    user.set_password(password)  # also ends the sessions
    user.must_change_password = True
    revoke_tokens(user)
    db.session.flush()
    return password


def change_own_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise UserError("this is not your current password", field="current")
    if new == current:
        raise UserError("choose a password other than the current one", field="password")
    validate_password(new, user.username)
    user.set_password(new)
    user.must_change_password = False
    db.session.flush()


def set_active(user: User, active: bool) -> bool:
    """False when nothing changed. Deactivation ends sessions (the model) and tokens."""
    if user.active == active:
        return False
    user.active = active
    db.session.flush()  # the User update also clears this worker's token cache
    if not active:
        revoke_tokens(user)
    return True
