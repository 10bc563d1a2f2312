"""Deployment plan pages: list and create plans, see and edit one, its map and its PDF."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from observer_suite.auth.current import current_user
from observer_suite.auth.permissions import Permission, can, mission_or_404, require
from observer_suite.deployment import plan_sheets, services
from observer_suite.deployment.forms import EditForm, MoveForm, PlanForm, PublishForm
from observer_suite.errors import page_message, show_refusal
from observer_suite.extensions import db
from observer_suite.models import DeploymentPlan, PlanStop, PollingStation, Team
from observer_suite.transaction import abandon
from observer_suite.util.checked import present

bp = Blueprint("plans", __name__, url_prefix="/missions/<slug>/plans")


@bp.app_context_processor
def _mission_page():
    """For the mission's page (templates/missions/show.html): the published plan and the
    user's own route. Deployment lends them, so missions need not import deployment."""
    return {"published_plan": services.published_plan, "my_route": plan_sheets.my_route}


def _plan(mission, plan_id: int) -> DeploymentPlan:
    plan = db.session.scalar(
        select(DeploymentPlan).where(
            DeploymentPlan.id == plan_id, DeploymentPlan.mission_id == mission.id
        )
    )
    if plan is None:
        abort(404)
    return plan


@bp.route("/", methods=["GET", "POST"])
@require(Permission.VIEW_PLANS)
def index(slug: str):
    mission = mission_or_404(slug)
    form = PlanForm()
    if request.method == "POST":
        if not can(current_user, Permission.MANAGE_PLANS):
            abort(403)
        if form.validate_on_submit():
            try:
                plan = services.create_plan(
                    mission,
                    form.mode.data,
                    form.plan_options(),
                    form.sample_options(),
                    name=form.name.data or "",
                    created_by=current_user.username,
                )
            except services.PlanError as exc:
                show_refusal(exc)
            else:
                flash(f"Draft plan created with {len(plan.problems)} problem(s) to review.")
                return redirect(url_for("plans.show", slug=slug, plan_id=plan.id))
    plans = db.session.execute(
        select(DeploymentPlan, func.count(PlanStop.id))
        .outerjoin(PlanStop, PlanStop.plan_id == DeploymentPlan.id)
        .where(DeploymentPlan.mission_id == mission.id)
        .group_by(DeploymentPlan.id)
        .order_by(DeploymentPlan.created_at.desc())
    ).all()
    teams = db.session.scalar(
        select(func.count(Team.id)).where(Team.mission_id == mission.id, Team.kind == "sto")
    )
    status = 400 if request.method == "POST" else 200
    return render_template(
        "deployment/index.html", mission=mission, plans=plans, form=form, teams=teams
    ), status


@bp.route("/<int:plan_id>")
@require(Permission.VIEW_PLANS)
def show(slug: str, plan_id: int):
    mission = mission_or_404(slug)
    plan = _plan(mission, plan_id)
    sheets = plan_sheets.team_sheets(plan)
    move = MoveForm(version=plan.version)
    move.to_team.choices = [(s.team_id, s.code) for s in sheets]
    return render_template(
        "deployment/show.html",
        mission=mission,
        plan=plan,
        sheets=sheets,
        coverage=plan_sheets.coverage_by_region(plan),
        locked={lock.team_id for lock in plan.locked_teams if lock.locked},
        edit=EditForm(version=plan.version),
        move=move,
    )


@bp.route("/<int:plan_id>/teams/<int:team_id>")
@require(Permission.VIEW_PLANS)
def team(slug: str, plan_id: int, team_id: int):
    mission = mission_or_404(slug)
    plan = _plan(mission, plan_id)
    sheets = plan_sheets.team_sheets(plan, [team_id])
    if not sheets:
        abort(404)
    return render_template(
        "deployment/team.html",
        mission=mission,
        plan=plan,
        sheet=sheets[0],
        locked=team_id in {lock.team_id for lock in plan.locked_teams if lock.locked},
        edit=EditForm(version=plan.version),
    )


def _edit(slug: str, plan_id: int, action, team_id: int | None = None):
    """Run one edit against the version the editor saw; conflicts answer 409."""
    mission = mission_or_404(slug)
    plan = _plan(mission, plan_id)
    form = MoveForm() if action in ("move", "add") else EditForm()
    if isinstance(form, MoveForm):
        form.to_team.choices = [
            (t.id, t.code)
            for t in db.session.scalars(select(Team).where(Team.mission_id == mission.id))
        ]
    if not form.validate_on_submit():
        abort(400)
    breaks: list[str] = []
    try:
        version = int(present(form.version.data))
        if isinstance(form, MoveForm):
            station = db.session.scalar(
                select(PollingStation).where(
                    PollingStation.mission_id == mission.id,
                    PollingStation.code == present(form.station_code.data).strip(),
                )
            )
            if station is None:
                raise services.PlanError("no station with that code", field="station")
            edit = services.move_station if action == "move" else services.add_station
            team_id = present(form.to_team.data)
            breaks = edit(plan, station.id, team_id, version)
        elif action == "remove":
            team_id, breaks = services.remove_station(
                plan, int(present(form.station_id.data)), version
            )
        elif action == "step":
            breaks = services.move_within_route(
                plan,
                present(team_id),
                int(present(form.station_id.data)),
                int(present(form.step.data)),
                version,
            )
        elif action == "lock":
            services.set_lock(plan, present(team_id), form.locked.data == "1", version)
        elif action == "replan":
            services.replan(plan, version)
        db.session.flush()  # a concurrent change shows here, as StaleDataError
    except (services.PlanConflict, StaleDataError) as exc:
        abandon()
        message = (
            str(exc)
            if isinstance(exc, services.PlanConflict)
            else ("This plan was changed by someone else at the same moment. Reload and try again.")
        )
        return render_template(
            "deployment/conflict.html", mission=mission, plan=plan, message=message
        ), 409
    except services.PlanError as exc:
        show_refusal(exc)
    except ValueError as exc:  # a form value that is not a number
        abandon()
        flash(str(exc), "error")
    else:
        if breaks:
            flash(f"This change breaks {len(breaks)} rule(s): " + "; ".join(breaks), "error")
    if team_id is not None and action != "replan":
        return redirect(url_for("plans.team", slug=slug, plan_id=plan_id, team_id=team_id))
    return redirect(url_for("plans.show", slug=slug, plan_id=plan_id))


@bp.route("/<int:plan_id>/move", methods=["POST"])
@require(Permission.MANAGE_PLANS)
def move(slug: str, plan_id: int):
    return _edit(slug, plan_id, "move")


@bp.route("/<int:plan_id>/add", methods=["POST"])
@require(Permission.MANAGE_PLANS)
def add(slug: str, plan_id: int):
    return _edit(slug, plan_id, "add")


@bp.route("/<int:plan_id>/remove", methods=["POST"])
@require(Permission.MANAGE_PLANS)
def remove(slug: str, plan_id: int):
    return _edit(slug, plan_id, "remove")


@bp.route("/<int:plan_id>/teams/<int:team_id>/step", methods=["POST"])
@require(Permission.MANAGE_PLANS)
def step(slug: str, plan_id: int, team_id: int):
    return _edit(slug, plan_id, "step", team_id)


@bp.route("/<int:plan_id>/teams/<int:team_id>/lock", methods=["POST"])
@require(Permission.MANAGE_PLANS)
def lock(slug: str, plan_id: int, team_id: int):
    return _edit(slug, plan_id, "lock", team_id)


@bp.route("/<int:plan_id>/replan", methods=["POST"])
@require(Permission.MANAGE_PLANS)
def replan(slug: str, plan_id: int):
    return _edit(slug, plan_id, "replan")


@bp.route("/<int:plan_id>/publish", methods=["GET", "POST"])
@require(Permission.MANAGE_PLANS)
def publish(slug: str, plan_id: int):
    """Publishing is a confirm step: what changes on the tablets, and an override if needed."""
    from observer_suite.deployment.checks import rule_breaks
    from observer_suite.deployment.revisions import publish_preview

    mission = mission_or_404(slug)
    plan = _plan(mission, plan_id)
    if plan.status.value != "draft":
        flash("This plan is not a draft; make a new revision to change it.", "error")
        return redirect(url_for("plans.show", slug=slug, plan_id=plan_id))
    form = PublishForm(version=plan.version)
    error, status = "", 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            services.publish(plan, int(present(form.version.data)), form.override_reason.data)
            db.session.flush()  # a concurrent change shows here, as StaleDataError
        except (services.PlanConflict, StaleDataError):
            abandon()
            message = "This plan was changed since you reviewed it. Review it again."
            return render_template(
                "deployment/conflict.html", mission=mission, plan=plan, message=message
            ), 409
        except services.PlanError as exc:
            error, status = page_message(exc)[1], 400
        except ValueError as exc:  # a version that is not a number
            abandon()
            error, status = str(exc), 400
        else:
            flash("Published: the tablets get the new routes at their next sync.")
            return redirect(url_for("plans.show", slug=slug, plan_id=plan_id))
    current, changes = publish_preview(plan)
    return render_template(
        "deployment/publish.html",
        mission=mission,
        plan=plan,
        current=current,
        changes=changes,
        breaks=rule_breaks(plan),
        form=form,
        error=error,
    ), status


@bp.route("/<int:plan_id>/revise", methods=["POST"])
@require(Permission.MANAGE_PLANS)
def revise(slug: str, plan_id: int):
    """New revision: a draft copy of a published plan, which the tablets keep following."""
    from observer_suite.deployment.revisions import new_revision

    mission = mission_or_404(slug)
    plan = _plan(mission, plan_id)
    if not EditForm().validate_on_submit():
        abort(400)
    try:
        copy = new_revision(plan, current_user.username)
    except services.PlanError as exc:
        show_refusal(exc)
        return redirect(url_for("plans.show", slug=slug, plan_id=plan_id))
    flash(f"Draft revision {copy.revision} created; the tablets keep the published plan.")
    return redirect(url_for("plans.show", slug=slug, plan_id=copy.id))


@bp.route("/<int:plan_id>/deployment.pdf")
@require(Permission.VIEW_PLANS)
def pdf(slug: str, plan_id: int):
    from observer_suite.deployment.pdf import render_plan_pdf

    mission = mission_or_404(slug)
    plan = _plan(mission, plan_id)
    data = render_plan_pdf(plan_sheets.plan_document(plan))
    filename = f"deployment-{mission.slug}-{plan.id}.pdf"
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/<int:plan_id>/map")
@require(Permission.VIEW_PLANS)
def map_frame(slug: str, plan_id: int):
    """The folium map, served under a CSP that admits only its own inline scripts by hash."""
    from observer_suite.deployment.mapview import render_plan_map
    from observer_suite.util.map_tiles import map_csp, tile_attribution, tile_url

    mission = mission_or_404(slug)
    plan = _plan(mission, plan_id)
    tiles = tile_url(mission)  # the mission's tile server, the app's, or none
    page = render_plan_map(
        plan_sheets.plan_document(plan),
        lambda path: url_for("static", filename=path),
        tiles_url=tiles,
        tiles_attribution=tile_attribution(tiles),
    )
    response = Response(page.html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = map_csp(
        tiles, page.script_hashes, page.style_hashes
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
