"""Team pages: list, automatic pairing, create/edit/dissolve, areas of responsibility."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from observer_suite.auth.current import current_user
from observer_suite.auth.permissions import Permission, mission_or_404, require
from observer_suite.errors import page_message, show_refusal
from observer_suite.models import Mission, Team, TeamKind
from observer_suite.registry.services import paginate
from observer_suite.teams import areas, queries, services
from observer_suite.teams.forms import ConfirmForm, PairForm, TeamForm, base_at_area, team_form
from observer_suite.transaction import abandon
from observer_suite.util.checked import present

bp = Blueprint("teams", __name__, url_prefix="/missions/<slug>/teams")

MAX_FLASHED = 5  # unpaired reasons shown after a run; the session cookie is small
FIELDS = {"observers": "first", "driver": "driver", "interpreter": "interpreter"}


def _team_or_404(mission: Mission, team_id: int) -> Team:
    team = queries.get_team(mission, team_id)
    if team is None:
        abort(404)
    return team


@bp.route("")
@require(Permission.VIEW_ROSTER)
def index(slug: str):
    mission = mission_or_404(slug)
    kind = request.args.get("kind", "", type=str)
    page = paginate(
        queries.team_query(mission, kind), request.args.get("page", 1, type=int) or 1, scalars=True
    )
    return render_template(
        "teams/index.html",
        mission=mission,
        page=page,
        kind=kind,
        warnings={team.id: queries.team_warnings(team) for team in page.items},
        waiting=queries.count_unteamed(mission),
        pair_form=PairForm(),
    )


@bp.route("/pair", methods=["POST"])
@require(Permission.MANAGE_TEAMS)
def pair(slug: str):
    mission = mission_or_404(slug)
    form = PairForm()
    if not form.validate_on_submit():
        flash("The seed must be a whole number from 0 to 2147483647.", "error")
        return redirect(url_for("teams.index", slug=slug))
    try:
        summary = services.auto_pair(mission, seed=present(form.seed.data))
    except services.TeamError as exc:
        show_refusal(exc)
        return redirect(url_for("teams.index", slug=slug))
    if summary.result.errors:
        abandon()  # nothing of a run with errors is kept
        for error in summary.result.errors:
            flash(error, "error")
    else:
        flash(f"Formed {len(summary.teams)} STO teams (seed {form.seed.data}).", "info")
    unpaired = summary.result.unpaired
    for item in unpaired[:MAX_FLASHED]:
        flash(f"{item.candidate.name} is not in a team: {item.reason}", "error")
    if len(unpaired) > MAX_FLASHED:
        flash(f"… and {len(unpaired) - MAX_FLASHED} more observers without a team.", "error")
    return redirect(url_for("teams.index", slug=slug))


def _save(mission: Mission, team: Team | None, form: TeamForm):
    """Call the service with the form's data; the response, or None to show the form again."""
    data = {
        "observer_ids": [form.first.data, form.second.data],
        "driver_id": form.driver.data or None,
        "interpreter_id": form.interpreter.data or None,
        "base_name": form.base_name.data,
        "base_lat": form.base_lat.data,
        "base_lon": form.base_lon.data,
        "code": form.code.data,
        "override": form.override.data,
    }
    data.update(base_at_area(form))
    try:
        if team is None:
            change = services.create_team(mission, kind=form.kind.data, **data)
        else:
            change = services.update_team(team, **data)
    except services.RuleBreak as exc:
        abandon()
        form.override.errors = [c.message for c in exc.breaks]
        return None
    except services.TeamError as exc:
        show_refusal(exc, form, default=form.first, names=FIELDS)
        return None
    flash(f"Team {change.team.code} saved.", "info")
    for warning in change.warnings:
        flash(f"{change.team.code}: {warning.message}", "error" if warning.hard else "info")
    return redirect(url_for("teams.index", slug=mission.slug))


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.MANAGE_TEAMS)
def create(slug: str):
    mission = mission_or_404(slug)
    form = team_form(mission)
    if form.validate_on_submit() and (done := _save(mission, None, form)):
        return done
    page = render_template("teams/form.html", mission=mission, form=form, team=None)
    return page, 400 if form.errors else 200


@bp.route("/<int:team_id>/edit", methods=["GET", "POST"])
@require(Permission.MANAGE_TEAMS)
def edit(slug: str, team_id: int):
    from observer_suite.deployment.revisions import plans_routing

    mission = mission_or_404(slug)
    team = _team_or_404(mission, team_id)
    form = team_form(mission, team)
    if form.validate_on_submit() and (done := _save(mission, team, form)):
        return done
    page = render_template(
        "teams/form.html",
        mission=mission,
        form=form,
        team=team,
        warnings=queries.team_warnings(team),
        published_plans=plans_routing(team.id),
    )
    return page, 400 if form.errors else 200


@bp.route("/<int:team_id>/dissolve", methods=["GET", "POST"])
@require(Permission.MANAGE_TEAMS)
def dissolve(slug: str, team_id: int):
    mission = mission_or_404(slug)
    team = _team_or_404(mission, team_id)
    form = ConfirmForm()
    error = None
    if form.validate_on_submit():
        from observer_suite.deployment.revisions import release_team
        from observer_suite.deployment.services import PlanError

        try:
            revised = []
            if request.form.get("release") == "1":  # the one step: revise the plans, then go
                revised = release_team(team, current_user.username)
            code = services.dissolve_team(team)
        except (services.TeamError, PlanError) as exc:
            error = page_message(exc)[1]
        else:
            for plan in revised:
                flash(f"Published {plan.name} without team {code}.", "info")
            flash(f"Team {code} dissolved; its members are free again.", "info")
            return redirect(url_for("teams.index", slug=slug))
    page = render_template(
        "teams/dissolve.html",
        mission=mission,
        team=team,
        form=form,
        plans=services.planned_stops(team),
        error=error,
    )
    return page, 400 if error else 200


def _level(mission: Mission) -> int:
    level = request.values.get("level", 0, type=int)
    return level if 0 <= level < len(mission.area_levels) else 0


@bp.route("/areas")
@require(Permission.VIEW_ROSTER)
def coverage(slug: str):
    mission = mission_or_404(slug)
    level = _level(mission)
    rows = areas.coverage_by_area(mission, level)
    return render_template(
        "teams/areas.html",
        mission=mission,
        level=level,
        rows=rows,
        gaps=sum(row.gap for row in rows),
        lto_teams=queries.teams_of(mission, TeamKind.LTO),
        sto_teams=queries.teams_of(mission, TeamKind.STO),
    )


@bp.route("/areas/lto", methods=["POST"])
@require(Permission.MANAGE_TEAMS)
def assign_areas(slug: str):
    mission = mission_or_404(slug)
    team = _team_or_404(mission, request.form.get("team", 0, type=int))
    try:
        warnings = areas.assign_areas(team, request.form.getlist("areas", type=int))
    except services.TeamError as exc:
        show_refusal(exc)
    else:
        flash(f"Areas of {team.code} saved.", "info")
        for warning in warnings:
            flash(warning, "info")
    return redirect(url_for("teams.coverage", slug=slug, level=_level(mission)))


@bp.route("/areas/sto", methods=["POST"])
@require(Permission.MANAGE_TEAMS)
def assign_ltos(slug: str):
    mission = mission_or_404(slug)
    choice = {}
    for key in request.form:
        if key.startswith("lto-") and key[4:].isdigit():
            choice[int(key[4:])] = request.form.get(key, 0, type=int) or None
    try:
        moved = areas.assign_ltos(mission, choice)
    except services.TeamError as exc:
        show_refusal(exc)
    else:
        flash(f"{moved} STO team{'' if moved == 1 else 's'} moved.", "info")
    return redirect(url_for("teams.coverage", slug=slug, level=_level(mission)))
