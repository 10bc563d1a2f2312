"""Bearer tokens for scripts: random, stored only as SHA-256, expiring, tied to one user.

A token stands for its user with the user's role, nothing more; a deactivated user's tokens
stop working at once. Usage is written at most once a minute per token, so fifty scripts
sharing a token do not queue on one row lock; `uses` counts those minutes.
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app, g
from sqlalchemy import bindparam, or_, select, update

from observer_suite.extensions import db
from observer_suite.models import ApiToken, AuditEntry, User

TOKEN_BYTES = 32
DEFAULT_DAYS = 30
TOUCH_EVERY = timedelta(minutes=1)
# Built once: this runs on every token request, and building it cost more than running it.
LOOKUP = (
    select(User, ApiToken.id, ApiToken.last_used_at)
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


def user_for(raw: str) -> tuple[User, int] | None:
    """(active user, token id) for a valid, unexpired token; records its use (throttled)."""
    if not raw or len(raw) > 200:
        return None
    now = datetime.now(UTC)
    row = db.session.execute(LOOKUP, {"digest": digest(raw), "now": now}).first()
    if row is None or not row.User.active:
        return None
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
        db.session.commit()  # nothing else is pending this early in the request
    return row.User, row.id


def revoke(token_id: int) -> None:
    db.session.execute(
        update(ApiToken).where(ApiToken.id == token_id).values(expires_at=datetime.now(UTC))
    )


def load_user_from_request(request) -> User | None:
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
