"""Team bases from the web: upload a bases file, or deploy the teams without a base."""

from flask import Blueprint, render_template

from observer_suite.auth.permissions import Permission, mission_or_404, require
from observer_suite.errors import show_refusal
from observer_suite.imports.services import clean_filename
from observer_suite.teams.base_forms import BasesForm, DeployForm
from observer_suite.teams.bases import deploy_teams, import_bases
from observer_suite.teams.services import TeamError
from observer_suite.transaction import abandon
from observer_suite.util.checked import present

bp = Blueprint("team_bases", __name__, url_prefix="/missions/<slug>/teams")


def _page(mission, status: int = 200, **context):
    context.setdefault("bases_form", BasesForm())
    context.setdefault("deploy_form", DeployForm())
    return render_template("teams/bases.html", mission=mission, **context), status


@bp.route("/bases", methods=["GET", "POST"])
@require(Permission.MANAGE_TEAMS)
def bases(slug: str):
    mission = mission_or_404(slug)
    form = BasesForm()
    if not form.validate_on_submit():
        return _page(mission, 400 if form.errors else 200, bases_form=form)
    upload = form.file.data
    filename = clean_filename(upload.filename or "")
    result = import_bases(mission, upload.read(), filename, dry_run=form.dry_run.data)
    if not result.ok or form.dry_run.data:
        abandon()  # a dry run, or a file with errors, keeps nothing
    status = 200 if result.ok else 400
    return _page(
        mission, status, bases_form=form, result=result, filename=filename,
        dry_run=form.dry_run.data,
    )  # fmt: skip


@bp.route("/deploy", methods=["POST"])
@require(Permission.MANAGE_TEAMS)
def deploy(slug: str):
    mission = mission_or_404(slug)
    form = DeployForm()
    if not form.validate_on_submit():
        return _page(mission, 400, deploy_form=form)
    regions = [r.strip() for r in (form.regions.data or "").split(",") if r.strip()] or None
    try:
        deployments = deploy_teams(mission, regions, present(form.seed.data), form.dry_run.data)
    except TeamError as exc:
        form.regions.errors = []
        show_refusal(exc, default=form.regions)
        return _page(mission, 400, deploy_form=form)
    if form.dry_run.data or not deployments:
        abandon()  # a dry run keeps nothing
    return _page(
        mission, deploy_form=form, deployments=deployments, dry_run=form.dry_run.data,
        seed=form.seed.data,
    )  # fmt: skip
