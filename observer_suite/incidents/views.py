"""Coordinator pages for incidents: list, incident page, triage, alerts, exports, taxonomy.

Thin views: parse the request, call one service (listing, workflow, export, alerts,
taxonomy), render or redirect, and commit here at the request boundary.
"""

from datetime import UTC, datetime

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from observer_suite.auth.current import current_user
from observer_suite.auth.permissions import Permission, can, mission_or_404, require
from observer_suite.errors import page_message, show_refusal
from observer_suite.extensions import db
from observer_suite.incidents import alerts, editing, export, listing, taxonomy, workflow
from observer_suite.incidents import station_activity as activity
from observer_suite.incidents.forms import (
    ActionForm,
    MoveForm,
    StatusForm,
    add_form,
    labels_form,
    labels_of,
)
from observer_suite.models import Incident, IncidentPhoto, Severity
from observer_suite.registry.services import paginate
from observer_suite.transaction import abandon
from observer_suite.util.checked import add_error, present

bp = Blueprint("incidents", __name__, url_prefix="/missions/<slug>/incidents")

INLINE_IMAGES = {"image/jpeg", "image/png", "image/webp"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ID = 2**31 - 1  # larger ids cannot exist, and PostgreSQL refuses to compare them


@bp.url_value_preprocessor
def _ids_in_range(endpoint, values):
    if any(isinstance(v, int) and v > MAX_ID for v in (values or {}).values()):
        abort(404)


def _common(mission) -> dict:
    zone = listing.mission_zone(mission)
    return {"mission": mission, "zone": zone, "local": listing.local, "wf": workflow}


@bp.app_context_processor
def _station_activity():
    """For the station's page (templates/observations/_station_activity.html)."""

    def station_activity(mission, station):
        zone = listing.mission_zone(mission)

        def when(value):
            moment = listing.local(value, zone)
            return f"{moment:%Y-%m-%d %H:%M} {zone.key}" if moment else "–"

        return {**activity.station_activity(mission, current_user, station), "when": when}

    return {"station_activity": station_activity}


@bp.get("/")
@require(Permission.VIEW_INCIDENTS)
def index(slug: str):
    mission = mission_or_404(slug)
    filters = listing.IncidentFilters.from_args(request.args)
    page = paginate(listing.filtered(mission, filters), request.args.get("page", 1, type=int) or 1)
    return render_template(
        "incidents/index.html",
        page=page,
        filters=filters,
        args=filters.to_args(),
        choices=listing.filter_choices(mission),
        pending=alerts.pending(mission),
        position=listing.position,
        category_label=listing.category_label,
        may_enter=can(current_user, Permission.ENTER_DATA),
        assignees=editing.assignable(mission),
        **_common(mission),
    )


def _row_or_404(mission, incident_id: int):
    row = listing.get_incident(mission, incident_id)
    if row is None:
        abort(404)
    return row


def _show(mission, row, form: StatusForm, status: int = 200, error: str | None = None):
    incident = row.Incident
    may_triage = can(current_user, Permission.TRIAGE_INCIDENTS)
    if may_triage:
        form.offer(incident.status)
    page = render_template(
        "incidents/show.html",
        row=row,
        incident=incident,
        position=listing.position(row),
        category=listing.category_label(row.category_labels, row.category_code),
        history=incident.history,
        photos=incident.photos,
        form=form,
        may_triage=may_triage,
        may_edit=can(current_user, Permission.EDIT_INCIDENTS),
        may_comment=can(current_user, Permission.COMMENT_INCIDENTS),
        categories=taxonomy.categories(mission),
        severities=[s.value for s in Severity],
        assignees=editing.assignable(mission),
        error=error,
        **_common(mission),
    )
    return page, status


@bp.get("/<int:incident_id>")
@require(Permission.VIEW_INCIDENTS)
def show(slug: str, incident_id: int):
    mission = mission_or_404(slug)
    return _show(mission, _row_or_404(mission, incident_id), StatusForm(formdata=None))


@bp.post("/<int:incident_id>/status")
@require(Permission.TRIAGE_INCIDENTS)
def set_status(slug: str, incident_id: int):
    mission = mission_or_404(slug)
    row = _row_or_404(mission, incident_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return _show(mission, row, form, 400, "The form was incomplete or expired; try again.")
    try:
        workflow.change_status(
            row.Incident,
            form.status.data,
            current_user,
            form.comment.data,
            present(form.expected.data),
        )
    except workflow.StaleStatus as exc:
        _field, message = page_message(exc)
        page = render_template(
            "incidents/conflict.html", incident_id=incident_id, message=message, mission=mission
        )
        return page, 409
    except workflow.WorkflowError as exc:
        _field, message = page_message(exc)
        return _show(mission, _row_or_404(mission, incident_id), form, exc.status, message)
    flash(f"Incident {incident_id} is now {workflow.label(form.status.data).lower()}.", "info")
    return redirect(url_for(".show", slug=slug, incident_id=incident_id))


@bp.get("/<int:incident_id>/photos/<int:photo_id>")
@require(Permission.VIEW_INCIDENTS)
def photo(slug: str, incident_id: int, photo_id: int):
    """The stored bytes as an image of this mission's incident, never as a page."""
    mission = mission_or_404(slug)
    found = db.session.scalar(
        select(IncidentPhoto)
        .join(Incident, IncidentPhoto.incident_id == Incident.id)
        .where(
            IncidentPhoto.id == photo_id,
            Incident.id == incident_id,
            Incident.mission_id == mission.id,
        )
    )
    if found is None:
        abort(404)
    inline = found.content_type in INLINE_IMAGES
    response = Response(
        found.data, mimetype=found.content_type if inline else "application/octet-stream"
    )
    name = f"incident-{incident_id}-photo-{photo_id}"
    response.headers["Content-Disposition"] = (
        "inline" if inline else f'attachment; filename="{name}"'
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/alerts.json")
@require(Permission.VIEW_INCIDENTS)
def alerts_json(slug: str):
    """What the banner script polls: pending critical incidents, new ones since `since`."""
    mission = mission_or_404(slug)
    since = min(max(0, request.args.get("since", 0, type=int) or 0), MAX_ID)
    found = alerts.pending(mission, since)
    response = jsonify(
        count=found.count,
        latest=found.latest,
        ids=found.ids,
        list_url=url_for(".index", slug=slug, severity="critical", status="reported"),
        incidents=[
            {
                "id": a.id,
                "title": a.title,
                "category": a.category,
                "station": a.station,
                "occurred_at": a.occurred_at,
                "url": url_for(".show", slug=slug, incident_id=a.id),
            }
            for a in found.new
        ],
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _filename(mission, extension: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return f"incidents-{mission.slug}-{stamp}.{extension}"


def _download(chunks, mimetype: str, filename: str) -> Response:
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    return response


@bp.get("/export.csv")
@require(Permission.VIEW_INCIDENTS)
def export_csv(slug: str):
    mission = mission_or_404(slug)
    chunks = export.csv_chunks(mission, listing.IncidentFilters.from_args(request.args))
    return _download(chunks, "text/csv", _filename(mission, "csv"))


@bp.get("/export.geojson")
@require(Permission.VIEW_INCIDENTS)
def export_geojson(slug: str):
    mission = mission_or_404(slug)
    chunks = export.geojson_chunks(mission, listing.IncidentFilters.from_args(request.args))
    return _download(chunks, "application/geo+json", _filename(mission, "geojson"))


@bp.get("/export.xlsx")
@require(Permission.VIEW_INCIDENTS)
def export_xlsx(slug: str):
    mission = mission_or_404(slug)
    data = export.xlsx_file(mission, listing.IncidentFilters.from_args(request.args))
    return send_file(
        data, mimetype=XLSX, as_attachment=True, download_name=_filename(mission, "xlsx")
    )


# ---- taxonomy: /categories ----


def _taxonomy_page(mission, form=None, status: int = 200, error: tuple | None = None):
    languages = taxonomy.label_languages(mission)
    # Makes the defaults once: committed with a page under 400 at the request boundary.
    items = taxonomy.categories(mission, include_retired=True)
    page = render_template(
        "incidents/categories.html",
        categories=items,
        usage=taxonomy.usage(mission),
        languages=languages,
        form=form or add_form(languages, formdata=None),
        error=error,  # (category id, message) of a refused row change
        **_common(mission),
    )
    return page, status


def _category_or_404(mission, category_id: int):
    category = taxonomy.get_category(mission, category_id)
    if category is None:
        abort(404)
    return category


@bp.get("/categories")
@require(Permission.MANAGE_TAXONOMY)
def categories(slug: str):
    return _taxonomy_page(mission_or_404(slug))


@bp.post("/categories")
@require(Permission.MANAGE_TAXONOMY)
def add_category(slug: str):
    mission = mission_or_404(slug)
    languages = taxonomy.label_languages(mission)
    form = add_form(languages)
    if not form.validate_on_submit():
        return _taxonomy_page(mission, form, 400)
    try:
        category = taxonomy.add_category(
            mission, present(form.code.data), labels_of(form, languages)
        )
        db.session.flush()  # a code added at the same moment shows here
    except taxonomy.TaxonomyError as exc:
        show_refusal(exc, form, default=form.code)
        return _taxonomy_page(mission, form, 400)
    except IntegrityError:  # the same code added at the same moment by someone else
        abandon()
        add_error(form.code, "This mission already has a category with this code.")
        return _taxonomy_page(mission, form, 400)
    flash(f"Category {category.code} added.", "info")
    return redirect(url_for(".categories", slug=slug))


def _form_error(form) -> str:
    if "csrf_token" in form.errors:
        return "The form expired; reload the page and try again."
    name, messages = next(iter(form.errors.items()))
    return f"{getattr(form, name).label.text}: {messages[0]}"


def _change(slug: str, category_id: int, form, action, done: str):
    """Check the form (CSRF included), apply `action(mission, category)`, commit, redirect."""
    mission = mission_or_404(slug)
    category = _category_or_404(mission, category_id)
    if not form.validate_on_submit():
        return _taxonomy_page(mission, status=400, error=(category_id, _form_error(form)))
    try:
        action(mission, category)
    except taxonomy.TaxonomyError as exc:
        _field, message = page_message(exc)
        return _taxonomy_page(mission, status=409, error=(category_id, message))
    flash(done, "info")
    return redirect(url_for(".categories", slug=slug))


@bp.post("/categories/<int:category_id>/labels")
@require(Permission.MANAGE_TAXONOMY)
def rename_category(slug: str, category_id: int):
    languages = taxonomy.label_languages(mission_or_404(slug))
    form = labels_form(languages)

    def rename(mission, category):
        taxonomy.rename_category(category, mission, labels_of(form, languages))

    return _change(slug, category_id, form, rename, "Labels saved.")


@bp.post("/categories/<int:category_id>/move")
@require(Permission.MANAGE_TAXONOMY)
def move_category(slug: str, category_id: int):
    form = MoveForm()

    def move(mission, category):
        taxonomy.move_category(category, mission, -1 if form.direction.data == "up" else 1)

    return _change(slug, category_id, form, move, "Order saved.")


@bp.post("/categories/<int:category_id>/retire")
@require(Permission.MANAGE_TAXONOMY)
def retire_category(slug: str, category_id: int):
    def retire(mission, category):
        taxonomy.set_active(category, False)

    return _change(slug, category_id, ActionForm(), retire, "Category retired.")


@bp.post("/categories/<int:category_id>/restore")
@require(Permission.MANAGE_TAXONOMY)
def restore_category(slug: str, category_id: int):
    def restore(mission, category):
        taxonomy.set_active(category, True)

    return _change(slug, category_id, ActionForm(), restore, "Category restored.")


@bp.post("/categories/<int:category_id>/delete")
@require(Permission.MANAGE_TAXONOMY)
def delete_category(slug: str, category_id: int):
    def delete(mission, category):
        taxonomy.delete_category(category)

    return _change(slug, category_id, ActionForm(), delete, "Category deleted.")


# Entry, edit and comment pages share this blueprint.
from observer_suite.incidents import entry_views  # noqa: E402, F401
