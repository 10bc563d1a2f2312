from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from observer_suite.auth.permissions import Permission, mission_or_404, require
from observer_suite.extensions import db
from observer_suite.missions import services
from observer_suite.missions.forms import MissionForm

bp = Blueprint("missions", __name__, url_prefix="/missions")


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.CREATE_MISSION)
def create():
    form = MissionForm()
    if form.validate_on_submit():
        try:
            mission = services.create_mission(
                slug=form.slug.data,
                name=form.name.data,
                country=form.country.data,
                election_date=form.election_date.data,
                second_round_date=form.second_round_date.data,
                timezone=form.timezone.data.strip(),
                languages=form.languages.data,
                levels=form.levels.data,
                creator=current_user,
            )
        except services.MissionError as exc:
            db.session.rollback()
            field, _, message = str(exc).partition(": ")
            getattr(form, field, form.slug).errors.append(message)
        else:
            db.session.commit()
            flash(f"Mission {mission.name} created.", "info")
            return redirect(url_for("missions.show", slug=mission.slug))
    return render_template("missions/new.html", form=form), 400 if form.errors else 200


@bp.route("/<slug>")
@require(Permission.VIEW_MISSION)
def show(slug: str):
    mission = mission_or_404(slug)
    from observer_suite.deployment.document import my_route
    from observer_suite.deployment.services import published_plan

    return render_template(
        "missions/show.html",
        mission=mission,
        summary=services.summarise(mission),
        route=my_route(current_user, mission),
        published=published_plan(mission),
    )
