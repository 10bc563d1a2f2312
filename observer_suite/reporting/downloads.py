"""PDF report downloads: election-day report, regional briefing, incident report.

Thin views: parse the query string, call one report service, send the bytes as an attachment.
A bad parameter is a 400 page naming it, never a 500.
"""

from datetime import UTC, datetime

from flask import Blueprint, Response, render_template, request

from observer_suite.auth.permissions import Permission, mission_or_404, require
from observer_suite.errors import ServiceError, described
from observer_suite.incidents.listing import IncidentFilters, mission_zone
from observer_suite.reporting.pdf.election_day import election_day_report, parse_until
from observer_suite.reporting.pdf.incident_report import incident_report
from observer_suite.util.pdf_wording import LANGS, UnknownLanguage

bp = Blueprint("report_files", __name__, url_prefix="/missions/<slug>/reports")

MAX_ARG = 80


def _bad_request(exc: Exception | str):
    """The 400 page; a refusal is shown as "field: message", the argument being in the URL."""
    if isinstance(exc, Exception):
        exc = described(exc) if isinstance(exc, ServiceError) else str(exc)
    message = exc
    return (
        render_template("error.html", code=400, name="Bad Request", description=message),
        400,
    )


def _lang() -> str:
    lang = (request.args.get("lang") or "en").strip().lower()
    if lang not in LANGS:
        raise UnknownLanguage(f"{lang[:MAX_ARG]!r} is not one of {', '.join(LANGS)}", field="lang")
    return lang


def _pdf(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _stamp(mission, moment: datetime | None) -> str:
    return (moment or datetime.now(UTC)).astimezone(mission_zone(mission)).strftime("%Y%m%d-%H%M")


@bp.get("/election-day.pdf")
@require(Permission.VIEW_REPORTS)
def election_day(slug: str):
    mission = mission_or_404(slug)
    region = (request.args.get("region") or "").strip()[:MAX_ARG] or None
    indicator = (request.args.get("indicator") or "").strip()[:MAX_ARG] or None
    try:
        lang = _lang()
        until = parse_until(request.args.get("until"), mission.timezone)
        data = election_day_report(
            mission, until=until, region=region, lang=lang, indicator_key=indicator
        )
    except (ValueError, LookupError) as exc:  # bad cut-off, region, language or indicator
        return _bad_request(exc)
    kind = f"briefing-{region}" if region else "election-day"
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in f"{kind}-{mission.slug}")
    return _pdf(data, f"{safe}-{_stamp(mission, until)}-{lang}.pdf")


@bp.get("/incidents.pdf")
@require(Permission.VIEW_INCIDENTS)
def incidents(slug: str):
    mission = mission_or_404(slug)
    filters = IncidentFilters.from_args(request.args)
    try:
        lang = _lang()
    except ValueError as exc:
        return _bad_request(exc)
    if filters.messages:
        return _bad_request(" ".join(filters.messages))
    data = incident_report(mission, filters, lang=lang)
    return _pdf(data, f"incidents-{mission.slug}-{_stamp(mission, None)}-{lang}.pdf")
