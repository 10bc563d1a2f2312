"""Bearer tokens for scripts: random, stored only as SHA-256, expiring, tied to one user.

A token stands for its user with the user's role, nothing more. Usage is written at most
once a minute per token, so fifty scripts sharing a token do not queue on one row lock; `uses`
counts those minutes.

Each worker remembers a checked token for API_TOKEN_CACHE_SECONDS (default 5; 0 turns it
off), which saves a query on every request of a busy tablet fleet. In the process that makes
the change, revoking a token or changing, deactivating or deleting a user takes effect at once;
other workers follow within those seconds. This cache is the one piece of mutable state a
worker keeps in memory, on purpose: Redis would trade the saved query for a round trip.
"""

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, g
from flask_login import UserMixin
from sqlalchemy import bindparam, event, or_, select, update

from observer_suite.extensions import db
from observer_suite.models import ApiToken, AuditEntry, Role, User

TOKEN_BYTES = 32
DEFAULT_DAYS = 30
TOUCH_EVERY = timedelta(minutes=1)
CACHE_SECONDS = 5
CACHE_MAX = 10_000


@dataclass(frozen=True)
class TokenUser(UserMixin):
    """The user a token stands for, as read when the token was checked. A plain, immutable
    value rather than a mapped User: the API reads only these columns, and one value can
    serve every request of the worker without a query, an ORM object to build per request, or
    a session to expire it on commit. Query by id for anything else."""

    id: int
    username: str
    role: Role
    active: bool
    observer_id: int | None

    @property
    def is_active(self) -> bool:
        return self.active

    @classmethod
    def of(cls, user: User) -> "TokenUser":
        return cls(user.id, user.username, user.role, user.active, user.observer_id)


# digest -> (monotonic deadline, the user, token id); per worker process.
_checked: dict[str, tuple[float, TokenUser, int]] = {}
# Built once: this runs on every token request, and building it cost more than running it.
LOOKUP = (
    select(User, ApiToken.id, ApiToken.last_used_at, ApiToken.expires_at)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("digest"), ApiToken.expires_at > bindparam("now"))
)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def issue(user: User) -> tuple[str, ApiToken]:
    """A new token for `user`: (the raw token, shown once; its row). Flushes."""
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    days = int(current_app.config.get("API_TOKEN_DAYS", DEFAULT_DAYS))
    token = ApiToken(
        user_id=user.id,
        token_hash=digest(raw),
        expires_at=datetime.now(UTC) + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    db.session.add(
        AuditEntry(
            user_id=user.id,
            username=user.username,
            action="create",
            entity="ApiToken",
            entity_id=token.id,
            details={"expires_at": token.expires_at.isoformat()},
        )
    )
    db.session.flush()
    return raw, token


def forget_checked_tokens(*_args) -> None:
    _checked.clear()


# Any flushed change to a user (role, active, …) may change what their tokens allow.
event.listen(User, "after_update", forget_checked_tokens)
event.listen(User, "after_delete", forget_checked_tokens)
event.listen(ApiToken, "after_update", forget_checked_tokens)
event.listen(ApiToken, "after_delete", forget_checked_tokens)


def _cache_seconds() -> float:
    return float(current_app.config.get("API_TOKEN_CACHE_SECONDS", CACHE_SECONDS))


def _remember(key: str, user: TokenUser, token_id: int, expires_at: datetime) -> None:
    seconds = _cache_seconds()
    if seconds <= 0:
        return
    if expires_at.tzinfo is None:
        expires_at = expires_at.replace(tzinfo=UTC)
    left = (expires_at - datetime.now(UTC)).total_seconds()
    if len(_checked) >= CACHE_MAX:
        _checked.clear()
    _checked[key] = (time.monotonic() + min(seconds, left), user, token_id)


def user_for(raw: str) -> tuple[TokenUser, int] | None:
    """(active user, token id) for a valid, unexpired token; records its use (throttled)."""
    if not raw or len(raw) > 200:
        return None
    key = digest(raw)
    hit = _checked.get(key) if _cache_seconds() > 0 else None
    if hit is not None and hit[0] > time.monotonic():
        return hit[1], hit[2]
    now = datetime.now(UTC)
    row = db.session.execute(LOOKUP, {"digest": key, "now": now}).first()
    if row is None or not row.User.active:
        _checked.pop(key, None)
        return None
    user = TokenUser.of(row.User)
    _remember(key, user, row.id, row.expires_at)
    last = row.last_used_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=UTC)  # SQLite gives naive UTC back
    if last is None or now - last > TOUCH_EVERY:
        db.session.execute(
            update(ApiToken)
            .where(
                ApiToken.id == row.id,
                or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - TOUCH_EVERY),
            )
            .values(last_used_at=now, uses=ApiToken.uses + 1)
        )
        # Committed with the request at its boundary (web.setup): a refused request drops
        # its touch, and the next check after the cache expires writes it.
    return user, row.id


def revoke(token_id: int) -> None:
    for key, (_deadline, _columns, cached_id) in list(_checked.items()):
        if cached_id == token_id:
            _checked.pop(key, None)
    db.session.execute(
        update(ApiToken).where(ApiToken.id == token_id).values(expires_at=datetime.now(UTC))
    )


def load_user_from_request(request) -> TokenUser | None:
    """Flask-Login request loader: `Authorization: Bearer <token>` on /api/ paths only."""
    if not request.path.startswith("/api/"):
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    found = user_for(raw.strip())
    if found is None:
        return None
    g.api_token_id = found[1]  # marks a token request: exempt from the CSRF check
    return found[0]
