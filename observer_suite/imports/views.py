"""Upload pages for station and observer imports; the work is in `service.run_import`.

Upload → the file is kept under a random token (uploads.py) → the page proposes a column
mapping from the aliases, previews with it, and the person corrects the selects, previews
again, and presses "Import now" without choosing the file again. Problems are grouped by
reason with the full list as a CSV; with "skip invalid rows" the refused rows are a CSV too.
"""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from observer_suite.auth.current import current_user
from observer_suite.auth.permissions import Permission, mission_or_404, require
from observer_suite.extensions import db
from observer_suite.imports import uploads
from observer_suite.imports.downloads import problems_csv, rejects_csv
from observer_suite.imports.errors import ImportFileError, Problems
from observer_suite.imports.forms import ImportForm, chosen_mapping, mapping_form
from observer_suite.imports.mapping import FileColumns, fields_for, inspect_file
from observer_suite.imports.services import clean_filename, limits, run_import
from observer_suite.transaction import abandon
from observer_suite.util.checked import present

bp = Blueprint("imports", __name__, url_prefix="/missions/<slug>/import")

TARGETS = {"stations": "registry.stations", "observers": "registry.observers"}
KIND = "<any(stations, observers):kind>"


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
    if not form.validate_on_submit():
        return _page(mission, kind, form, status=400 if form.errors else 200)
    file = form.file.data
    data, filename = file.read(), clean_filename(file.filename or "")
    header, note = not form.no_header.data, None
    try:
        columns = inspect_file(kind, mission, data, filename, header, limits())
    except ImportFileError:
        columns = None  # run_import says what is wrong with the file
    if columns is not None and columns.first_row_is_data:
        header = False
        note = "The first row looks like data, not column names: it is read as data. Map the "
        note += "columns below (untick “No header row” if it does name them)."
    owner = _owner(mission, kind)
    settings = {"mapping": None, "header": header, "skip_invalid": form.skip_invalid.data}
    token = uploads.store(data, {**owner, "filename": filename, **settings})
    dry_run = form.dry_run.data or note is not None
    return _run(mission, kind, token, settings, dry_run, note=note)


@bp.route(f"/{KIND}/<token>", methods=["POST"])
@require(Permission.IMPORT_DATA)
def mapped(slug: str, kind: str, token: str):
    """The mapping form: "Preview" checks with the chosen mapping, "Import now" writes."""
    mission = mission_or_404(slug)
    stored, data = _stored(mission, kind, token)
    fields = fields_for(kind, mission)
    header = bool(stored["header"])
    columns = _columns(kind, mission, data, stored["filename"], header)
    form = mapping_form(fields, columns.headers, columns.examples, posted=True)
    if not form.validate_on_submit():
        abort(400)
    settings = {
        "mapping": chosen_mapping(form, fields),
        "header": not form.no_header.data,
        "skip_invalid": form.skip_invalid.data,
    }
    wants_import = request.form.get("action") == "import"
    note = None
    if wants_import and stored.get("previewed") != settings:
        wants_import, note = False, "The mapping changed since the preview: check it again."
    return _run(mission, kind, token, settings, dry_run=not wants_import, note=note)


@bp.route(f"/{KIND}/<token>/problems.csv")
@require(Permission.IMPORT_DATA)
def problems(slug: str, kind: str, token: str):
    mission = mission_or_404(slug)
    stored, data = _stored(mission, kind, token)
    result = _check(mission, kind, data, stored, stored)
    found = result.refused if result.refused is not None else result.errors
    return _csv(problems_csv(found, result.file_error), stored, "problems")


@bp.route(f"/{KIND}/<token>/rejects.csv")
@require(Permission.IMPORT_DATA)
def refused(slug: str, kind: str, token: str):
    """After a skip-invalid import the kept file; before it, what the preview refuses."""
    mission = mission_or_404(slug)
    stored = uploads.record(token, _owner(mission, kind)) or abort(404)
    content = uploads.rejects(token)
    if content is None:
        data = uploads.data(token) or abort(404)
        result = _check(mission, kind, data, stored, {**stored, "skip_invalid": True})
        content = rejects_csv(
            result.refused or Problems(), data, stored["filename"], stored["header"], limits()
        )
    return _csv(content, stored, "rejects")


def _owner(mission, kind: str) -> dict:
    return {"user_id": current_user.id, "mission_id": mission.id, "kind": kind}


def _stored(mission, kind: str, token: str) -> tuple[dict, bytes]:
    stored = uploads.record(token, _owner(mission, kind))
    data = uploads.data(token) if stored else None
    if data is None:
        flash("That upload has expired or was already imported; choose the file again.", "error")
        abort(redirect(url_for(f"imports.{kind}", slug=mission.slug)))
    return present(stored), data  # data is only there with its record


def _columns(kind, mission, data: bytes, filename: str, header: bool):
    try:
        return inspect_file(kind, mission, data, filename, header, limits())
    except ImportFileError:
        return FileColumns([], [], {}, False, header)


def _check(mission, kind: str, data: bytes, stored: dict, settings: dict):
    result = run_import(
        kind,
        mission,
        data,
        stored["filename"],
        dry_run=True,
        mapping=settings.get("mapping"),
        header=settings.get("header", True),
        skip_invalid=settings.get("skip_invalid", False),
    )
    abandon()  # a preview writes nothing
    return result


def _run(mission, kind: str, token: str, settings: dict, dry_run: bool, note=None):
    stored = uploads.record(token, _owner(mission, kind)) or abort(404)
    data = uploads.data(token) or abort(404)
    mapping = settings["mapping"]
    try:
        result = run_import(
            kind,
            mission,
            data,
            stored["filename"],
            dry_run=dry_run,
            mapping=mapping,
            header=settings["header"],
            skip_invalid=settings["skip_invalid"],
        )
    except IntegrityError:  # another import of the same mission committed first
        abandon()
        flash("Someone else imported at the same time; preview again.", "error")
        return redirect(url_for(f"imports.{kind}", slug=mission.slug))
    stored.update(settings, previewed=settings if dry_run and result.ok else None)
    uploads.update(token, stored)
    if result.applied:
        if result.refused:
            content = rejects_csv(result.refused, data, stored["filename"], settings["header"])
            uploads.save_rejects(token, content)
        # Committed here rather than at the request boundary: the upload is deleted next,
        # and must stay for another try when the import could not be saved.
        db.session.commit()
        uploads.discard(token)
        for line in result.summary_lines():
            flash(line, "info")
        if not result.refused:
            return redirect(url_for(TARGETS[kind], slug=mission.slug))
    else:
        abandon()  # a dry run, or refused lines without skip_invalid: nothing is kept
    return _page(mission, kind, ImportForm(formdata=None), result, token, settings, note)


def _page(
    mission,
    kind,
    form,
    result=None,
    token=None,
    settings: dict | None = None,
    note=None,
    status=None,
):
    fields = fields_for(kind, mission)
    mapping = None
    if token is not None and not (result and result.applied):
        settings = present(settings)  # given with every token
        data = uploads.data(token)
        stored = uploads.record(token, _owner(mission, kind)) or {}
        columns = _columns(
            kind, mission, data or b"", stored.get("filename", ""), settings["header"]
        )
        if not columns.headers:  # the file cannot be read: nothing to map
            return _render(mission, kind, form, result, None, None, note, status)
        chosen = settings["mapping"] or columns.mapping
        defaults = {f"map_{key}": "" if pos is None else str(pos) for key, pos in chosen.items()}
        mapping = mapping_form(
            fields,
            columns.headers,
            columns.examples,
            posted=False,
            no_header=not settings["header"],
            skip_invalid=settings["skip_invalid"],
            **defaults,
        )
    return _render(mission, kind, form, result, token, mapping, note, status)


def _render(mission, kind, form, result, token, mapping, note, status):
    if status is None:
        status = 400 if result is not None and not result.ok else 200
    page = render_template(
        "imports/upload.html",
        mission=mission,
        kind=kind,
        form=form,
        result=result,
        fields=fields_for(kind, mission),
        token=token,
        mapping=mapping,
        note=note,
    )
    return page, status


def _csv(content: bytes, stored: dict, what: str) -> Response:
    stem = stored["filename"].rsplit(".", 1)[0] or "import"
    name = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in stem)[:80]
    return Response(
        content,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.{what}.csv"'},
    )
