"""A mission's logins page: list, create staff logins, reset, deactivate, reactivate."""

from flask import abort, flash, redirect, render_template, request, url_for

from observer_suite.auth import logins
from observer_suite.auth.current import current_user
from observer_suite.auth.login_forms import LoginActionForm, StaffLoginForm
from observer_suite.auth.permissions import Permission, mission_or_404, require
from observer_suite.auth.services import UserError
from observer_suite.errors import show_refusal
from observer_suite.missions.views import bp
from observer_suite.util.checked import present


def _page(mission, form, status=200, temporary=None):
    page = render_template(
        "missions/logins.html",
        mission=mission,
        rows=logins.mission_logins(mission),
        form=form,
        action_form=LoginActionForm(),
        temporary=temporary,
    )
    return page, status


@bp.route("/<slug>/logins", methods=["GET", "POST"])
@require(Permission.MANAGE_LOGINS)
def logins_page(slug: str):
    mission = mission_or_404(slug)
    form = StaffLoginForm(logins.STAFF_ROLES)
    if form.validate_on_submit():
        try:
            user = logins.create_staff_login(
                mission, present(form.username.data), present(form.password.data), form.role.data
            )
        except UserError as exc:
            show_refusal(exc, form, default=form.username)
        else:
            flash(f"Login {user.username} ({user.role.value}) created.", "info")
            return redirect(url_for("missions.logins_page", slug=slug))
    return _page(mission, form, 400 if form.errors else 200)


def _target(mission, user_id: int):
    if not LoginActionForm().validate_on_submit():
        abort(400)
    user = logins.login_of(mission, user_id)
    if user is None:
        abort(404)
    problem = logins.may_manage(current_user, user)
    if problem is not None:
        flash(f"{user.username}: {problem}.", "error")
        return user, False
    return user, True


@bp.route("/<slug>/logins/<int:user_id>/reset", methods=["POST"])
@require(Permission.MANAGE_LOGINS)
def login_reset(slug: str, user_id: int):
    """The temporary password is shown on this answer only (no-store), never stored plain."""
    mission = mission_or_404(slug)
    user, allowed = _target(mission, user_id)
    if not allowed:
        return redirect(url_for("missions.logins_page", slug=slug))
    password = logins.reset_password(user)
    return _page(mission, StaffLoginForm(logins.STAFF_ROLES), temporary=(user.username, password))


@bp.route("/<slug>/logins/<int:user_id>/active", methods=["POST"])
@require(Permission.MANAGE_LOGINS)
def login_active(slug: str, user_id: int):
    mission = mission_or_404(slug)
    user, allowed = _target(mission, user_id)
    if allowed:
        active = request.form.get("action") == "reactivate"
        if logins.set_active(user, active):
            if active:
                flash(f"{user.username} can log in again.", "info")
            else:
                flash(
                    f"{user.username} is deactivated: its sessions and API tokens no longer work.",
                    "info",
                )
    return redirect(url_for("missions.logins_page", slug=slug))
