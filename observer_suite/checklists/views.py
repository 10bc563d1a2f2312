"""Form pages: the list of versions, one form's questions, XLSForm upload, standard forms."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlalchemy.exc import IntegrityError

from observer_suite.auth.permissions import Permission, mission_or_404, require
from observer_suite.checklists import services
from observer_suite.checklists.definition import (
    ANSWERED_TYPES,
    FormFileError,
    choices_for,
    text_in,
)
from observer_suite.checklists.forms import LoadStandardForms, XLSFormUpload
from observer_suite.errors import page_message
from observer_suite.transaction import abandon
from observer_suite.util.checked import present

bp = Blueprint("checklists", __name__, url_prefix="/missions/<slug>/forms")


@bp.route("/")
@require(Permission.VIEW_REGISTRY)
def index(slug: str):
    mission = mission_or_404(slug)
    return render_template(
        "checklists/index.html",
        mission=mission,
        rows=services.form_rows(mission),
        load_form=LoadStandardForms(),
        answered=ANSWERED_TYPES,
    )


@bp.route("/<int:form_pk>")
@require(Permission.VIEW_REGISTRY)
def show(slug: str, form_pk: int):
    mission = mission_or_404(slug)
    form = services.get_form(mission, form_pk)
    if form is None:
        abort(404)
    return render_template(
        "checklists/show.html",
        mission=mission,
        form=form,
        definition=form.definition,
        choices_for=choices_for,
        text_in=text_in,
    )


@bp.route("/upload", methods=["GET", "POST"])
@require(Permission.IMPORT_DATA)
def upload(slug: str):
    mission = mission_or_404(slug)
    form = XLSFormUpload()
    errors: list[str] = []
    filename = ""
    if form.validate_on_submit():
        file = form.file.data
        filename = file.filename or "upload.xlsx"
        try:
            outcome = services.import_xlsform(mission, file.read(), filename)
        except IntegrityError:  # the same version was imported at the same moment
            abandon()
            errors = ["Someone else imported this form version at the same time; upload again."]
        else:
            if outcome.ok:
                verb = "Imported" if outcome.created else "Already there, unchanged:"
                imported = present(outcome.form)
                flash(f"{verb} {imported.form_id} version {imported.version}.", "info")
                return redirect(url_for("checklists.show", slug=slug, form_pk=imported.id))
            abandon()
            errors = outcome.errors
    page = render_template(
        "checklists/upload.html", mission=mission, form=form, errors=errors, filename=filename
    )
    return page, 400 if (errors or form.errors) else 200


@bp.route("/load-standard", methods=["POST"])
@require(Permission.IMPORT_DATA)
def load_standard(slug: str):
    mission = mission_or_404(slug)
    if not LoadStandardForms().validate_on_submit():
        abort(400)
    try:
        forms = services.load_standard_forms(mission)
    except FormFileError as exc:  # a broken file in forms/: say which, do not 500
        flash(f"Standard forms not loaded: {page_message(exc)[1]}", "error")
    else:
        flash(f"Standard forms loaded: {', '.join(f.form_id for f in forms)}.", "info")
    return redirect(url_for("checklists.index", slug=slug))
