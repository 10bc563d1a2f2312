"""Election-day dashboard and the mission's indicator definitions (pages).

The dashboard renders what the stats API answers (it calls the API's own service,
`statistics.endpoint.stats_json`: `election_day_stats()` through `stats_to_json()`), so the first,
server-rendered snapshot (the page works without JavaScript) and every refresh by
static/js/dashboard.js show the same numbers as the API and the PDF.
The few presentation helpers below have twins in dashboard.js; keep them in step.
"""

import json
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlencode

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length, Optional, Regexp

from observer_suite.auth.current import current_user
from observer_suite.auth.permissions import Permission, can, mission_or_404, require
from observer_suite.extensions import db
from observer_suite.models import Area
from observer_suite.observations.instants import in_zone
from observer_suite.observations.listing import local, mission_zone
from observer_suite.reporting.statistics import indicators
from observer_suite.reporting.statistics.compute import LANGUAGES
from observer_suite.reporting.statistics.endpoint import StatsArgumentError, stats_json
from observer_suite.reporting.statistics.headline_counts import mission_counts
from observer_suite.transaction import abandon

bp = Blueprint("reporting", __name__, url_prefix="/missions/<slug>")


@bp.app_context_processor
def _headline_counts():
    """For the incident list (templates/incidents/index.html): the mission's incidents as the
    dashboard, the PDF and the stats API count them (the list itself shows every status,
    rejected included). Reporting lends it, so incidents need not import reporting."""
    return {"headline_counts": mission_counts}


STATS_API = "/api/v1/stats/indicators"
DEFAULT_REFRESH_SECONDS = 30
LATEST_INCIDENTS = 10  # critical incidents listed on the dashboard (newest first)
MAX_ARG = 80
MAX_DEFINITION = 500_000  # characters of indicator JSON (200 indicators fit easily)


# ---- presentation helpers (twins in static/js/dashboard.js) ----


def num(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def pct(n: int, total: int) -> str:
    """Same text as the PDF's Texts.pct(n / total): one decimal, Python's rounding."""
    return f"{100 * (n / total):.1f}%"


def margin(value: float | None) -> str:
    return "" if value is None else f"±{100 * value:.1f}"


def when(iso: str | None, zone, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """An ISO time from the JSON in the mission's zone (naive: UTC, as dashboard.js reads it);
    "" when there is none or it cannot be shown (as dashboard.js, which shows nothing)."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return ""
    shown = in_zone(moment, zone)
    return shown.strftime(pattern) if shown else ""


def team_rows(forms: list[dict]) -> list[dict]:
    """One row per team across the forms, the teams furthest behind plan first."""
    rows: dict[int, dict] = {}
    for index, form in enumerate(forms):
        for team in form["teams"]:
            row = rows.setdefault(
                team["team_id"],
                {
                    "code": team["team_code"],
                    "area": team["area_name"],
                    "cells": [None] * len(forms),
                    "behind": 0,
                },
            )
            row["cells"][index] = team
            if team["expected"] is not None:
                row["behind"] += max(team["expected"] - (team["on_plan"] or 0), 0)
    return sorted(rows.values(), key=lambda r: (-r["behind"], r["code"]))


# ---- dashboard ----


def _region_choices(mission) -> Sequence:
    return db.session.execute(
        select(Area.code, Area.name)
        .where(Area.mission_id == mission.id, Area.level == 0, Area.code.is_not(None))
        .order_by(Area.name)
    ).all()


def _controls(args) -> dict:
    def arg(name: str) -> str:
        return (args.get(name) or "").strip()[:MAX_ARG]

    return {
        "until": arg("until"),
        "lang": arg("lang").lower() or "en",
        "region": arg("region"),
        "indicator": arg("indicator"),
    }


def _stats_url(mission, data: dict, controls: dict) -> str:
    query = {"mission": mission.slug, "lang": data["lang"]}
    if controls["until"]:  # a fixed cut-off; without one every refresh is "now"
        query["until"] = data["until"]
    if data["region"] is not None:
        query["region"] = data["region"]["code"]
    return f"{STATS_API}?{urlencode(query)}"


def _refresh_seconds() -> float:
    """DASHBOARD_REFRESH_SECONDS, at least one second; a bad setting falls back to 30 s."""
    value = current_app.config.get("DASHBOARD_REFRESH_SECONDS", DEFAULT_REFRESH_SECONDS)
    try:
        return max(float(value), 1.0)
    except (TypeError, ValueError):
        return float(DEFAULT_REFRESH_SECONDS)


@bp.get("/dashboard")
@require(Permission.VIEW_REPORTS)
def dashboard(slug: str):
    mission = mission_or_404(slug)
    controls = _controls(request.args)
    page = {
        "mission": mission,
        "controls": controls,
        "languages": LANGUAGES,
        "regions": _region_choices(mission),
        "zone": mission_zone(mission),
        "indicator_choices": indicators.load_indicators(mission),
    }
    try:
        data = stats_json(mission, request.args)  # what the stats API answers
    except StatsArgumentError as exc:  # bad cut-off, language or region: say which
        return render_template("reporting/dashboard.html", error=str(exc), data=None, **page), 400
    return render_template(
        "reporting/dashboard.html",
        error=None,
        data=data,
        stats_url=_stats_url(mission, data, controls),
        refresh_seconds=_refresh_seconds(),
        teams=team_rows(data["forms"]),
        latest=data["incidents"]["critical"][:LATEST_INCIDENTS],
        latest_limit=LATEST_INCIDENTS,
        when=when,
        num=num,
        pct=pct,
        margin=margin,
        **page,
    )


# ---- indicator definitions ----


class IndicatorsForm(FlaskForm):
    definition = TextAreaField(
        "Indicator definitions (JSON)", validators=[Length(max=MAX_DEFINITION)]
    )
    version = HiddenField(validators=[Optional(), Regexp(r"^\d{1,9}$")])


class ResetForm(FlaskForm):
    """A button and its CSRF token."""


def _definition_text(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def _indicator_page(mission, form: IndicatorsForm, errors: list[str]):
    stored = indicators.stored_definition(mission)
    rows = indicators.indicator_data(mission)
    if not form.is_submitted():
        form.definition.data = _definition_text(rows)
        form.version.data = str(stored.version if stored is not None else 0)
    return render_template(
        "reporting/indicators.html",
        mission=mission,
        rows=rows,
        stored=stored,
        zone=mission_zone(mission),
        local=local,
        form=form,
        reset_form=ResetForm(formdata=None),
        errors=errors,
        may_edit=can(current_user, Permission.MANAGE_REPORTS),
    )


@bp.get("/indicators")
@require(Permission.VIEW_REPORTS)
def indicator_definitions(slug: str):
    mission = mission_or_404(slug)
    return _indicator_page(mission, IndicatorsForm(formdata=None), [])


@bp.post("/indicators")
@require(Permission.MANAGE_REPORTS)
def save_indicator_definitions(slug: str):
    mission = mission_or_404(slug)
    form = IndicatorsForm()
    if not form.validate_on_submit():
        errors = [f"{name}: {e}" for name, found in form.errors.items() for e in found]
        return _indicator_page(mission, form, errors)
    version = int(form.version.data) if form.version.data else None
    try:
        errors = indicators.save_indicators(
            mission, form.definition.data or "", current_user.username, expected_version=version
        )
    except StaleDataError:  # saved by someone else between our read and our write
        errors = ["version: someone saved meanwhile; reload and edit again"]
    if errors:
        abandon()  # the page shown again reads the definitions afresh
        return _indicator_page(mission, form, errors)
    flash("Indicator definitions saved.", "success")
    return redirect(url_for("reporting.indicator_definitions", slug=mission.slug))


@bp.post("/indicators/reset")
@require(Permission.MANAGE_REPORTS)
def reset_indicator_definitions(slug: str):
    mission = mission_or_404(slug)
    if not ResetForm().validate_on_submit():
        return _indicator_page(mission, IndicatorsForm(formdata=None), ["The form expired."])
    indicators.reset_indicators(mission)
    flash("Indicator definitions reset to the suite's defaults.", "success")
    return redirect(url_for("reporting.indicator_definitions", slug=mission.slug))
