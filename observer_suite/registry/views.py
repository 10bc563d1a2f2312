from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from observer_suite.auth.current import current_user
from observer_suite.auth.permissions import Permission, can, mission_or_404, require
from observer_suite.auth.services import UserError, create_observer_login
from observer_suite.errors import show_refusal
from observer_suite.extensions import db
from observer_suite.models import Observer, PollingStation, User
from observer_suite.registry import services
from observer_suite.registry.forms import ObserverLoginForm
from observer_suite.util.checked import present

bp = Blueprint("registry", __name__, url_prefix="/missions/<slug>")


def _page() -> int:
    return request.args.get("page", 1, type=int) or 1


def _text() -> str:
    return request.args.get("q", "", type=str).strip()[:100]


@bp.route("/areas")
@require(Permission.VIEW_REGISTRY)
def areas(slug: str):
    mission = mission_or_404(slug)
    level = request.args.get("level", type=int)
    if level is not None and not 0 <= level < len(mission.area_levels):
        level = None
    parent = services.get_area(mission, request.args.get("parent", type=int))
    if parent is not None and level is None:
        level = parent.level + 1
    if parent is None and level is None and not _text():
        level = 0
    page = services.paginate(services.area_query(mission, level, _text(), parent), _page())
    return render_template(
        "registry/areas.html",
        mission=mission,
        page=page,
        level=level,
        parent=parent,
        trail=services.ancestors(parent) if parent else [],
        q=_text(),
    )


@bp.route("/stations")
@require(Permission.VIEW_REGISTRY)
def stations(slug: str):
    mission = mission_or_404(slug)
    area = services.get_area(mission, request.args.get("area", type=int))
    page = services.paginate(services.station_query(mission, _text(), area), _page())
    return render_template(
        "registry/stations.html",
        mission=mission,
        page=page,
        area=area,
        trail=services.ancestors(area) if area else [],
        q=_text(),
    )


@bp.route("/stations/<int:station_id>")
@require(Permission.VIEW_REGISTRY)
def station(slug: str, station_id: int):
    mission = mission_or_404(slug)
    station = db.session.scalar(
        select(PollingStation).where(
            PollingStation.id == station_id, PollingStation.mission_id == mission.id
        )
    )
    if station is None:
        abort(404)
    trail = services.ancestors(station.area)
    boundary = next((a.boundary for a in reversed(trail) if a.boundary), None)
    return render_template(
        "registry/station.html", mission=mission, station=station, trail=trail, boundary=boundary
    )


@bp.route("/observers")
@require(Permission.VIEW_ROSTER)
def observers(slug: str):
    mission = mission_or_404(slug)
    role = request.args.get("role", "", type=str)
    page = services.paginate(services.observer_query(mission, _text(), role), _page(), scalars=True)
    return render_template(
        "registry/observers.html", mission=mission, page=page, role=role, q=_text()
    )


@bp.route("/observers/<int:observer_id>", methods=["GET", "POST"])
@require(Permission.VIEW_ROSTER)
def observer(slug: str, observer_id: int):
    mission = mission_or_404(slug)
    person = db.session.scalar(
        select(Observer).where(Observer.id == observer_id, Observer.mission_id == mission.id)
    )
    if person is None:
        abort(404)
    account = db.session.scalar(select(User).where(User.observer_id == person.id))
    form = ObserverLoginForm()
    if request.method == "POST":
        if not can(current_user, Permission.MANAGE_LOGINS):
            abort(403)
        if form.validate_on_submit():
            try:
                account = create_observer_login(
                    person, present(form.username.data), present(form.password.data)
                )
            except UserError as exc:
                show_refusal(exc)
                return render_template(
                    "registry/observer.html",
                    mission=mission,
                    observer=person,
                    account=account,
                    form=form,
                ), 400
            else:
                flash(f"{person.name} can now log in as {account.username}.", "info")
                return redirect(url_for("registry.observer", slug=slug, observer_id=person.id))
    return render_template(
        "registry/observer.html", mission=mission, observer=person, account=account, form=form
    ), 400 if form.errors else 200


from observer_suite.registry import edit_views  # noqa: E402, F401  (routes on this blueprint)
