"""Review pages: the filtered list, one observation with its history, review, exports."""

from datetime import UTC, datetime

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from sqlalchemy import select

from observer_suite.auth.current import current_user
from observer_suite.auth.permissions import Permission, can, mission_or_404, require
from observer_suite.errors import show_refusal
from observer_suite.extensions import db
from observer_suite.models import ObservationReview
from observer_suite.observations import correction, export, listing, queue, review
from observer_suite.observations.answers import answer_rows
from observer_suite.observations.forms import ReviewForm
from observer_suite.registry.services import paginate
from observer_suite.util.checked import present

bp = Blueprint("observations", __name__, url_prefix="/missions/<slug>/observations")


@bp.route("/")
@require(Permission.VIEW_OBSERVATIONS)
def index(slug: str):
    mission = mission_or_404(slug)
    filters = listing.Filters.from_args(request.args)
    page = paginate(
        listing.base_query(mission, current_user, filters),
        request.args.get("page", 1, type=int) or 1,
    )
    return render_template(
        "observations/index.html",
        mission=mission,
        page=page,
        filters=filters,
        args=filters.to_args(),
        counts=listing.status_counts(mission, current_user, filters),
        choices=listing.filter_choices(mission),
        zone=listing.mission_zone(mission),
        local=listing.local,
        may_enter=can(current_user, Permission.ENTER_DATA),
    )


def _row_or_404(mission, observation_id: int):
    row = listing.get_observation(mission, current_user, observation_id)
    if row is None:
        abort(404)
    return row


def _show(mission, row, form: ReviewForm, status: int = 200):
    observation = row.Observation
    history = db.session.scalars(
        select(ObservationReview)
        .where(ObservationReview.observation_id == observation.id)
        .order_by(ObservationReview.at, ObservationReview.id)
    ).all()
    if not form.is_submitted():
        form.status.data = observation.review_status.value
    form.seen.data = str(len(history))
    page = render_template(
        "observations/show.html",
        mission=mission,
        row=row,
        observation=observation,
        rows=answer_rows(
            observation.form.definition, observation.answers or {}, observation.critical
        ),
        history=history,
        form=form,
        may_review=can(current_user, Permission.REVIEW_OBSERVATIONS),
        may_correct=can(current_user, Permission.CORRECT_OBSERVATIONS),
        may_see_station=can(current_user, Permission.VIEW_REGISTRY),
        next_flagged=queue.next_in_queue(mission, current_user, observation.id, "flagged"),
        next_unreviewed=queue.next_in_queue(mission, current_user, observation.id, "unreviewed"),
        versions=correction.versions(observation),
        zone=listing.mission_zone(mission),
        local=listing.local,
    )
    return page, status


@bp.route("/<int:observation_id>")
@require(Permission.VIEW_OBSERVATIONS)
def show(slug: str, observation_id: int):
    mission = mission_or_404(slug)
    return _show(mission, _row_or_404(mission, observation_id), ReviewForm(formdata=None))


@bp.route("/<int:observation_id>/review", methods=["POST"])
@require(Permission.REVIEW_OBSERVATIONS)
def set_review(slug: str, observation_id: int):
    mission = mission_or_404(slug)
    row = _row_or_404(mission, observation_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _show(mission, row, form, 400)
    seen = int(present(form.seen.data)) if (form.seen.data or "").isdigit() else None
    try:
        review.set_review(
            row.Observation, form.status.data, form.comment.data, current_user.username, seen
        )
    except review.ReviewError as exc:
        show_refusal(exc, form)  # beside the field it is about, else flashed
        return _show(mission, _row_or_404(mission, observation_id), form, exc.status)
    flash(f"Observation {observation_id} is now {form.status.data}.", "info")
    go = request.form.get("then", "")
    if go in queue.QUEUES:
        following = queue.next_in_queue(mission, current_user, observation_id, go)
        if following is not None:
            return redirect(url_for(".show", slug=slug, observation_id=following))
    return redirect(url_for(".show", slug=slug, observation_id=observation_id))


def _filename(mission, extension: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return f"observations-{mission.slug}-{stamp}.{extension}"


@bp.route("/export.csv")
@require(Permission.VIEW_OBSERVATIONS)
def export_csv(slug: str):
    mission = mission_or_404(slug)
    data = export.Export(mission, current_user, listing.Filters.from_args(request.args), _labels())
    response = Response(stream_with_context(export.csv_chunks(data)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename={_filename(mission, 'csv')}"
    return response


@bp.route("/export.xlsx")
@require(Permission.VIEW_OBSERVATIONS)
def export_xlsx(slug: str):
    mission = mission_or_404(slug)
    data = export.Export(mission, current_user, listing.Filters.from_args(request.args), _labels())
    return send_file(
        export.xlsx_file(data),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=_filename(mission, "xlsx"),
    )


def _labels() -> bool:
    return request.args.get("labels", "") in {"1", "true", "yes", "on"}


# The entry and correction pages share this blueprint.
from observer_suite.observations import entry_views  # noqa: E402, F401
