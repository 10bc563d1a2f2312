"""Wire login into the app: every endpoint needs a logged-in user unless listed here."""

from flask import Flask, jsonify, redirect, request, url_for
from flask_login import current_user

from observer_suite.extensions import db, login_manager
from observer_suite.models import User

PUBLIC_ENDPOINTS = {"auth.login", "web.healthz", "static"}


def init_app(app: Flask) -> None:
    from observer_suite import audit
    from observer_suite.auth.views import bp

    app.register_blueprint(bp)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    audit.init_app(app)

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        return db.session.get(User, int(user_id))

    @app.before_request
    def require_login():
        if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
            return None
        if request.path.startswith("/api/"):
            return jsonify(error="authentication required", field=None), 401
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
