from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import login_required, login_user, logout_user

from observer_suite.auth import services
from observer_suite.auth.current import current_user
from observer_suite.auth.forms import LoginForm
from observer_suite.auth.limits import per_account
from observer_suite.auth.redirects import safe_next
from observer_suite.extensions import limiter
from observer_suite.util.checked import present

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _fresh_session() -> None:
    """Nothing from before the login survives it: not what another hand put in the cookie
    (session fixation), nor the CSRF secret a token was signed with (Flask-WTF keeps it in
    the session and the signed token in g)."""
    session.clear()
    g.pop("csrf_token", None)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@per_account
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(present(form.username.data), present(form.password.data))
        if user is not None:
            target = safe_next(request.args.get("next"), request.host_url)
            _fresh_session()
            login_user(user)
            return redirect(target or url_for("web.home"))
        flash("Wrong username or password.", "error")
    return render_template("auth/login.html", form=form), 200 if request.method == "GET" else 401


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Ends the session on the server too: a copy of the cookie taken before is refused."""
    services.end_sessions(current_user.id)
    session.clear()
    logout_user()  # after clear(): it marks the remember cookie for deletion in the session
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


from observer_suite.auth import account  # noqa: E402, F401  (the password page, on this blueprint)
