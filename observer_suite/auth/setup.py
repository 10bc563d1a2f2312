"""Wire login into the app: every endpoint needs a logged-in user unless listed here.

Also here: a session or remember cookie names the user's session generation and stops
working when it moves on (logout, deactivation, password change); authenticated answers
are never stored by a cache; X-Forwarded-For is believed only through TRUSTED_PROXIES.
"""

import re
import time

from flask import Flask, g, redirect, request, url_for
from werkzeug.middleware.proxy_fix import ProxyFix

from observer_suite.auth.current import current_user
from observer_suite.extensions import db, limiter, login_manager
from observer_suite.models import User

PUBLIC_ENDPOINTS = {"auth.login", "web.healthz", "static"}
REVALIDATED = {"tablet"}  # blueprints whose no-cache answers are kept offline on purpose
SESSION_ID = re.compile(r"([0-9]{1,10}):([0-9]{1,10})")
UNAUTHORIZED_DETAIL = (
    "Log in, or send Authorization: Bearer <token> with a token from POST /api/v1/auth/token."
)


def load_user(user_id: str) -> User | None:
    """The user of a session or remember cookie ("id:generation", User.get_id), if that
    generation is still the user's and the user is active."""
    match = SESSION_ID.fullmatch(user_id or "")
    if match is None:
        return None
    user = db.session.get(User, int(match[1]))
    if user is None or not user.active or user.session_generation != int(match[2]):
        return None
    return user


def _unauthorized():
    from observer_suite.errors import json_error

    response, status = json_error(401, "unauthorized", UNAUTHORIZED_DETAIL)
    sent_token = request.headers.get("Authorization", "")[:7].lower() == "bearer "
    challenge = 'Bearer error="invalid_token"' if sent_token else "Bearer"
    response.headers["WWW-Authenticate"] = challenge
    return response, status


def require_login():
    if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    if request.path.startswith("/api/"):
        return _unauthorized()
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _sensitive() -> bool:
    """Whether the answer belongs to someone: a logged-in user's, a token's, or any API
    answer. Reads the user Flask-Login has already loaded (g._login_user) rather than
    loading one for a public page."""
    if request.path.startswith("/api/") or "Authorization" in request.headers:
        return True
    user = g.get("_login_user")
    return bool(user is not None and user.is_authenticated)


def no_store(response):
    """Cache-Control: no-store on authenticated answers (pages, API, exports, photos), so
    neither a shared cache nor the browser's disk keeps them after logout. The tablet's
    offline shell keeps its own no-cache: its service worker holds it and revalidates."""
    if request.endpoint == "static" or not _sensitive():
        return response
    own = response.headers.get("Cache-Control", "")
    if "no-store" in own or (request.blueprint in REVALIDATED and "no-cache" in own):
        return response
    response.headers["Cache-Control"] = "no-store"
    return response


def retry_after(response):
    """A 429 says when to come back, whatever page or JSON the error handler made."""
    if response.status_code == 429 and "Retry-After" not in response.headers:
        limit = limiter.current_limit
        seconds = int(limit.reset_at - time.time()) if limit is not None else 60
        response.headers["Retry-After"] = str(max(1, seconds))
    return response


def init_app(app: Flask) -> None:
    from observer_suite import audit
    from observer_suite.auth.views import bp

    app.register_blueprint(bp)
    # Flask-Login declares login_view only by its None default.
    login_manager.login_view = "auth.login"  # pyright: ignore[reportAttributeAccessIssue]
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    audit.init_app(app)
    app.before_request(require_login)
    app.after_request(no_store)
    app.after_request(retry_after)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        # The client address (login limits, logs) is then the one the nearest `proxies`
        # proxies saw; an address the client wrote into the header itself is ignored.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies)
