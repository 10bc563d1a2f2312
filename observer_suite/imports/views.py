"""Upload pages for station and observer imports; the work is in `service.run_import`."""

from flask import Blueprint, flash, redirect, render_template, url_for
from sqlalchemy.exc import IntegrityError

from observer_suite.auth.permissions import Permission, mission_or_404, require
from observer_suite.extensions import db
from observer_suite.imports.columns import OBSERVER_FIELDS, STATION_FIELDS, level_fields
from observer_suite.imports.forms import ImportForm
from observer_suite.imports.service import run_import

bp = Blueprint("imports", __name__, url_prefix="/missions/<slug>/import")

TARGETS = {"stations": "registry.stations", "observers": "registry.observers"}


@bp.route("/stations", methods=["GET", "POST"])
@require(Permission.IMPORT_DATA)
def stations(slug: str):
    return _upload("stations", slug)


@bp.route("/observers", methods=["GET", "POST"])
@require(Permission.IMPORT_DATA)
def observers(slug: str):
    return _upload("observers", slug)


def _upload(kind: str, slug: str):
    mission = mission_or_404(slug)
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = run_import(
                kind, mission, upload.read(), upload.filename or "", dry_run=form.dry_run.data
            )
        except IntegrityError:  # another import of the same mission committed first
            db.session.rollback()
            form.file.errors = ["Someone else imported at the same time; upload again."]
        else:
            if result.applied:
                db.session.commit()
                for line in result.summary_lines():
                    flash(line, "info")
                return redirect(url_for(TARGETS[kind], slug=mission.slug))
            db.session.rollback()
    fields = (
        level_fields(mission.area_levels) + STATION_FIELDS
        if kind == "stations"
        else OBSERVER_FIELDS
    )
    failed = bool(form.errors) or (result is not None and not result.ok)
    page = render_template(
        "imports/upload.html", mission=mission, kind=kind, form=form, result=result, fields=fields
    )
    return page, 400 if failed else 200
