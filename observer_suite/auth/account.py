"""Changing one's own password; after a reset the user is sent here until they do."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_user
from sqlalchemy import select

from observer_suite.auth import logins
from observer_suite.auth.current import current_user, signed_in_user
from observer_suite.auth.login_forms import ChangePasswordForm
from observer_suite.auth.services import UserError
from observer_suite.auth.views import bp
from observer_suite.errors import show_refusal
from observer_suite.extensions import db
from observer_suite.models import User
from observer_suite.util.checked import present

ALLOWED_WHILE_MUST_CHANGE = {"auth.password", "auth.logout", "auth.login", "static"}


@bp.route("/account/password", methods=["GET", "POST"])
def password():
    form = ChangePasswordForm(current_user.username)
    if form.validate_on_submit():
        user = signed_in_user()
        try:
            logins.change_own_password(
                user, present(form.current.data), present(form.password.data)
            )
        except UserError as exc:
            show_refusal(exc, form, default=form.password)
        else:
            login_user(user)  # the change ended every session, this one included
            flash("Your password is changed.", "info")
            return redirect(url_for("web.home"))
    forced = bool(getattr(current_user, "must_change_password", False))
    page = render_template("auth/password.html", form=form, forced=forced)
    return page, 400 if form.errors else 200


@bp.before_app_request
def _must_change_password():
    """A login with a temporary password may only choose a new one: pages redirect here,
    API requests made with its session get a 403 saying so."""
    if request.endpoint == "api.create_token":
        return None if not _token_for_temporary_password() else _api_refusal()
    if request.endpoint in ALLOWED_WHILE_MUST_CHANGE:
        return None
    if not getattr(current_user, "must_change_password", False):
        return None
    if request.path.startswith("/api/"):
        return _api_refusal()
    return redirect(url_for("auth.password"))


def _api_refusal():
    from observer_suite.errors import json_error

    return json_error(
        403, "password_change_required", "log in on the web and choose a new password first"
    )


def _token_for_temporary_password() -> bool:
    """A temporary password must not buy an API token that outlives the forced change.
    Refused only when the password is right, so the answer tells a stranger nothing."""
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    name, password = body.get("username"), body.get("password")
    if not isinstance(name, str) or not isinstance(password, str) or len(name) > 80:
        return False
    user = db.session.scalar(select(User).where(User.username == name.strip()))
    return bool(user and user.must_change_password and user.check_password(password))
