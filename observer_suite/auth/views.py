from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from observer_suite.auth import services
from observer_suite.auth.forms import LoginForm
from observer_suite.extensions import db, limiter

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not urlsplit(target).netloc and "\\" not in target:
        return target
    return url_for("web.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        flash("Wrong username or password.", "error")
    return render_template("auth/login.html", form=form), 200 if request.method == "GET" else 401


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Ends the session on the server too: a copy of the cookie taken before is refused."""
    services.end_sessions(current_user.id)
    db.session.commit()
    session.clear()
    logout_user()  # after clear(): it marks the remember cookie for deletion in the session
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))
