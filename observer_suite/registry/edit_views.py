"""One station or one observer added or corrected from the web (coordinators, admins)."""

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from observer_suite.auth.permissions import Permission, mission_or_404, require
from observer_suite.errors import show_refusal
from observer_suite.extensions import db
from observer_suite.models import Observer, PollingStation
from observer_suite.registry import editing
from observer_suite.registry.forms import ObserverForm, StationForm
from observer_suite.registry.views import bp


def _in_mission(model, mission, item_id):
    found = db.session.scalar(
        select(model).where(model.id == item_id, model.mission_id == mission.id)
    )
    if found is None:
        abort(404)
    return found


def _values(form) -> dict:
    return {name: field.data for name, field in form._fields.items() if name != "csrf_token"}


@bp.route("/stations/new", methods=["GET", "POST"], endpoint="station_new")
@bp.route("/stations/<int:station_id>/edit", methods=["GET", "POST"], endpoint="station_edit")
@require(Permission.IMPORT_DATA)
def station_form(slug: str, station_id: int | None = None):
    mission = mission_or_404(slug)
    station = _in_mission(PollingStation, mission, station_id) if station_id else None
    form = StationForm()
    if request.method == "GET" and station is not None:
        form.process(obj=station)
        form.area.data = station.area.path
        for key in ("registered_voters", "latitude", "longitude"):
            value = getattr(station, key)
            getattr(form, key).data = "" if value is None else str(value)
    if form.validate_on_submit():
        try:
            saved = editing.save_station(mission, _values(form), station)
        except editing.EditError as exc:
            show_refusal(exc, form)
        else:
            flash(f"Station {saved.code} {'saved' if station else 'added'}.", "info")
            return redirect(url_for("registry.station", slug=slug, station_id=saved.id))
    page = render_template(
        "registry/station_form.html", mission=mission, form=form, station=station
    )
    return page, 400 if form.errors else 200


@bp.route("/observers/new", methods=["GET", "POST"], endpoint="observer_new")
@bp.route("/observers/<int:observer_id>/edit", methods=["GET", "POST"], endpoint="observer_edit")
@require(Permission.IMPORT_DATA)
def observer_form(slug: str, observer_id: int | None = None):
    mission = mission_or_404(slug)
    person = _in_mission(Observer, mission, observer_id) if observer_id else None
    form = ObserverForm()
    if request.method == "GET" and person is not None:
        form.process(obj=person)
        form.role.data = person.role.value
        form.gender.data = person.gender.value if person.gender else ""
        form.languages.data = ", ".join(person.languages or [])
        form.previous_missions.data = str(person.previous_missions or 0)
    if form.validate_on_submit():
        try:
            saved = editing.save_observer(mission, _values(form), person)
        except editing.EditError as exc:
            show_refusal(exc, form)
        else:
            flash(f"{saved.name} {'saved' if person else 'added to the roster'}.", "info")
            return redirect(url_for("registry.observer", slug=slug, observer_id=saved.id))
    page = render_template("registry/observer_form.html", mission=mission, form=form, person=person)
    return page, 400 if form.errors else 200
