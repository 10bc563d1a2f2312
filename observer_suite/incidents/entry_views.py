"""Incident pages for data entry and follow-up: enter one for a team, edit, comment.

Thin views over incidents/editing.py; a refusal writes nothing and shows why (400/403),
errors of the entry form beside their fields.
"""

from flask import flash, redirect, render_template, request, url_for

from observer_suite.auth.current import current_user
from observer_suite.auth.permissions import Permission, mission_or_404, require
from observer_suite.errors import RequestError, page_message
from observer_suite.incidents import editing, listing, workflow
from observer_suite.incidents.forms import StatusForm
from observer_suite.incidents.taxonomy import categories
from observer_suite.incidents.views import _row_or_404, _show, bp
from observer_suite.models import Severity
from observer_suite.observations import entry as observation_entry
from observer_suite.transaction import abandon


def _entry_page(mission, values: dict, errors: dict, status: int = 200):
    options = observation_entry.choices(mission)
    return (
        render_template(
            "incidents/new.html",
            mission=mission,
            teams=options["teams"],
            stations=options["stations"],
            categories=categories(mission),
            severities=[s.value for s in Severity],
            values=values,
            errors=errors,
            zone=listing.mission_zone(mission),
        ),
        status,
    )


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.ENTER_DATA)
def new(slug: str):
    mission = mission_or_404(slug)
    if request.method == "GET":
        return _entry_page(mission, {}, {})
    form = request.form
    values = dict(form.items())
    team = observation_entry.team_of(mission, form.get("team"))
    if team is None:
        return _entry_page(mission, values, {"team": "Choose the team."}, 400)
    station = (form.get("station_code") or "").strip()[:60]
    if not station:
        return _entry_page(mission, values, {"station_code": "is required"}, 400)
    try:
        outcome = editing.enter(
            current_user,
            mission,
            team,
            station,
            (form.get("category") or "")[:60],
            form.get("severity") or "",
            observation_entry.local_instant(mission, form.get("occurred_at")),
            form.get("title") or "",
            form.get("description") or "",
        )
    except RequestError as exc:
        abandon()  # the page shown again reads the database afresh
        return _entry_page(mission, values, observation_entry.field_errors(exc), 400)
    flash(f"Incident {outcome.id} stored for team {team.code}.", "info")
    return redirect(url_for(".show", slug=slug, incident_id=outcome.id))


def _refused(mission, incident_id: int, exc: workflow.WorkflowError):
    _field, message = page_message(exc)
    row = _row_or_404(mission, incident_id)
    return _show(mission, row, StatusForm(formdata=None), exc.status, message)


@bp.post("/<int:incident_id>/edit")
@require(Permission.EDIT_INCIDENTS)
def edit(slug: str, incident_id: int):
    mission = mission_or_404(slug)
    row = _row_or_404(mission, incident_id)
    assignee = request.form.get("assigned_to", "")
    try:
        editing.edit(
            row.Incident,
            current_user,
            request.form.get("category"),
            request.form.get("severity"),
            int(assignee) if assignee.isdigit() else None,
            request.form.get("comment"),
        )
    except workflow.WorkflowError as exc:
        return _refused(mission, incident_id, exc)
    flash(f"Incident {incident_id} changed.", "info")
    return redirect(url_for(".show", slug=slug, incident_id=incident_id))


@bp.post("/<int:incident_id>/comment")
@require(Permission.COMMENT_INCIDENTS)
def comment(slug: str, incident_id: int):
    mission = mission_or_404(slug)
    row = _row_or_404(mission, incident_id)
    try:
        editing.add_comment(row.Incident, current_user, request.form.get("comment"))
    except workflow.WorkflowError as exc:
        return _refused(mission, incident_id, exc)
    flash(f"Comment added to incident {incident_id}.", "info")
    return redirect(url_for(".show", slug=slug, incident_id=incident_id))
