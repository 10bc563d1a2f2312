from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from observer_suite.auth.current import current_user
from observer_suite.auth.permissions import Permission, mission_or_404, require
from observer_suite.errors import show_refusal
from observer_suite.missions import services, settings
from observer_suite.missions.archive import refuse_writes_to_archived
from observer_suite.missions.forms import ArchiveForm, MissionForm
from observer_suite.util.checked import present

bp = Blueprint("missions", __name__, url_prefix="/missions")


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.CREATE_MISSION)
def create():
    form = MissionForm()
    if form.validate_on_submit():
        try:
            mission = services.create_mission(
                slug=present(form.slug.data),
                name=present(form.name.data),
                country=present(form.country.data),
                election_date=present(form.election_date.data),
                second_round_date=form.second_round_date.data,
                timezone=present(form.timezone.data).strip(),
                languages=present(form.languages.data),
                levels=present(form.levels.data),
                creator=current_user,
            )
        except services.MissionError as exc:
            show_refusal(exc, form, default=form.slug)
        else:
            flash(f"Mission {mission.name} created.", "info")
            return redirect(url_for("missions.show", slug=mission.slug))
    return render_template("missions/new.html", form=form), 400 if form.errors else 200


@bp.route("/<slug>")
@require(Permission.VIEW_MISSION)
def show(slug: str):
    mission = mission_or_404(slug)
    # The published plan and the user's route come from deployment's template helpers.
    return render_template(
        "missions/show.html", mission=mission, summary=services.summarise(mission)
    )


def _settings_form(mission):
    from observer_suite.missions.forms import MissionSettingsForm

    form = MissionSettingsForm()
    if request.method == "GET":
        form.name.data = mission.name
        form.election_date.data = mission.election_date
        form.second_round_date.data = mission.second_round_date
        form.timezone.data = mission.timezone
        form.languages.data = ",".join(mission.languages or [])
        form.tiles.data = mission.map_tiles or settings.DEFAULT_TILES
        form.levels.data = ",".join(mission.area_levels or [])
    return form


@bp.route("/<slug>/settings", methods=["GET", "POST"])
@require(Permission.CREATE_MISSION)
def settings_page(slug: str):
    """Name, dates, time zone, languages, tiles and area levels; archive or restore."""
    mission = mission_or_404(slug)
    form = _settings_form(mission)
    if form.validate_on_submit():
        try:
            changed = settings.update_mission(
                mission,
                name=form.name.data,
                election_date=form.election_date.data,
                second_round_date=form.second_round_date.data,
                timezone=form.timezone.data,
                languages=form.languages.data,
                tiles=form.tiles.data,
                levels=form.levels.data,
            )
        except services.MissionError as exc:
            show_refusal(exc, form, default=form.name)
        else:
            shown = ", ".join(name.replace("_", " ") for name in changed) or "nothing"
            flash(f"Settings saved (changed: {shown}).", "info")
            return redirect(url_for("missions.settings_page", slug=slug))
    return render_template(
        "missions/settings.html",
        mission=mission,
        form=form,
        archive_form=ArchiveForm(),
        levels_locked=settings.has_areas(mission),
    ), 400 if form.errors else 200


@bp.route("/<slug>/archive", methods=["POST"])
@require(Permission.CREATE_MISSION)
def archive(slug: str):
    mission = mission_or_404(slug)
    form = ArchiveForm()
    if not form.validate_on_submit():
        abort(400)
    if request.form.get("action") == "restore":
        settings.restore(mission)
        message = f"{mission.name} is restored: it can be changed again."
    else:
        settings.archive(mission)
        message = f"{mission.name} is archived: read-only and hidden from the mission list."
    flash(message, "info")
    return redirect(url_for("missions.settings_page", slug=slug))


bp.before_app_request(refuse_writes_to_archived)

from observer_suite.missions import logins_views  # noqa: E402, F401  (routes on this blueprint)
