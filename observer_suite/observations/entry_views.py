"""Entry and correction pages: an observation typed in for a team, answers corrected.

Both render the checklist as fields (entry.fields) and show the intake's or the
correction's messages beside each field; a refusal writes nothing and answers 400.
"""

from flask import abort, flash, redirect, render_template, request, url_for

from observer_suite.auth.current import current_user
from observer_suite.auth.permissions import Permission, mission_or_404, require
from observer_suite.errors import RequestError
from observer_suite.observations import correction, entry, listing
from observer_suite.observations.views import bp
from observer_suite.transaction import abandon


def _entry_page(mission, form, values: dict, errors: dict, status: int = 200):
    return (
        render_template(
            "observations/new.html",
            mission=mission,
            options=entry.choices(mission),
            form=form,
            fields=entry.fields(form.definition) if form else [],
            values=values,
            errors=errors,
            zone=listing.mission_zone(mission),
        ),
        status,
    )


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.ENTER_DATA)
def new(slug: str):
    """GET ?form=<id>: the questions of that form; POST: store the observation."""
    mission = mission_or_404(slug)
    source = request.form if request.method == "POST" else request.args
    form = entry.form_of(mission, source.get("form"))
    values = dict(source.items())
    if request.method == "GET" or form is None:
        errors = {"form": "Choose a form."} if request.method == "POST" else {}
        return _entry_page(mission, form, values, errors, 400 if errors else 200)
    answers = entry.answers_from(form.definition, request.form)
    values.update(entry.posted_values(form.definition, answers))
    team = entry.team_of(mission, request.form.get("team"))
    if team is None:
        return _entry_page(mission, form, values, {"team": "Choose the team."}, 400)
    try:
        outcome = entry.enter(
            current_user,
            mission,
            team,
            form,
            (request.form.get("station_code") or "").strip()[:60],
            answers,
            entry.local_instant(mission, request.form.get("arrived_at")),
            entry.local_instant(mission, request.form.get("departed_at")),
        )
    except RequestError as exc:
        abandon()  # the page shown again reads the database afresh
        return _entry_page(mission, form, values, entry.field_errors(exc), 400)
    flags = f", {len(outcome.flags)} check(s) failing" if outcome.flags else ""
    flash(f"Observation {outcome.id} stored for team {team.code}{flags}.", "info")
    return redirect(url_for(".show", slug=slug, observation_id=outcome.id))


def _correct_page(mission, row, values: dict, errors: dict, status: int = 200):
    observation = row.Observation
    return (
        render_template(
            "observations/correct.html",
            mission=mission,
            row=row,
            observation=observation,
            fields=entry.fields(observation.form.definition),
            values=values,
            errors=errors,
        ),
        status,
    )


@bp.route("/<int:observation_id>/correct", methods=["GET", "POST"])
@require(Permission.CORRECT_OBSERVATIONS)
def correct(slug: str, observation_id: int):
    mission = mission_or_404(slug)
    row = listing.get_observation(mission, current_user, observation_id)
    if row is None:
        abort(404)
    observation = row.Observation
    definition = observation.form.definition
    if request.method == "GET":
        values = entry.posted_values(definition, observation.answers or {})
        values["seen"] = str(observation.version)
        return _correct_page(mission, row, values, {})
    answers = entry.answers_from(definition, request.form)
    values = {**dict(request.form.items()), **entry.posted_values(definition, answers)}
    seen = request.form.get("seen", "")
    try:
        changed = correction.correct(
            observation,
            answers,
            current_user,
            request.form.get("note", ""),
            int(seen) if seen.isdigit() else None,
        )
    except correction.CorrectionError as exc:
        abandon()  # the page shown again reads the database afresh
        errors = {
            (entry.PREFIX + k if k not in {"note", "_form"} else k): v
            for k, v in exc.fields.items()
        }
        row = listing.get_observation(mission, current_user, observation_id)
        return _correct_page(mission, row, values, errors, exc.status)
    flash(
        f"Observation {observation_id} corrected: version {observation.version} "
        f"({len(changed)} answer(s) changed).",
        "info",
    )
    return redirect(url_for(".show", slug=slug, observation_id=observation_id))
