"""The election-day PDF report and the regional briefing, built from one `ElectionDayStats`.

The PDF reads only the aggregated stats object (never raw observations), so its size and
build time depend on the number of areas, indicators and critical incidents, not on how many
observations came in; and its numbers are the numbers the dashboard and the API show.
"""

import re
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from observer_suite.errors import ServiceError
from observer_suite.reporting.pdf.election_day_map import UnknownIndicator, choose_indicator
from observer_suite.reporting.pdf.incident_sections import (
    annex,
    incidents,
    map_section,
    methodology,
)
from observer_suite.reporting.pdf.sections import (
    Ctx,
    assessments,
    cover,
    coverage,
    critical_answers,
    findings,
    key_figures,
    report_title,
)
from observer_suite.reporting.statistics.election_day_stats import ElectionDayStats
from observer_suite.util.pdf_document import PageSetup, build_pdf, frame_size
from observer_suite.util.pdf_fonts import report_fonts
from observer_suite.util.pdf_styles import report_styles
from observer_suite.util.pdf_wording import Texts

__all__ = [
    "STAGES",
    "BadCutoff",
    "UnknownIndicator",
    "election_day_report",
    "parse_until",
    "render_election_day_pdf",
]

Progress = Callable[[str], None]
STAGES = ("statistics", "boundaries", "layout", "pdf")  # one `progress(stage)` call each


# "+01:00" in an unencoded query string arrives as " 01:00"
_PLUS_AS_SPACE = re.compile(r"(T\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d:?\d\d)$")


class BadCutoff(ServiceError):
    """The `until` cut-off cannot be read."""


def parse_until(value: str | None, timezone: str) -> datetime | None:
    """The data cut-off from user input: empty → None (now); `YYYY-MM-DDTHH:MM` (a
    datetime-local field) is the mission's local time; ISO 8601 with an offset is taken as is."""
    text = _PLUS_AS_SPACE.sub(r"\1+\2", (value or "").strip())
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        message = f"{text[:40]!r} is not a date and time like 2027-02-25T18:00"
        raise BadCutoff(message, field="until") from None
    if not 1900 <= moment.year <= 2200:
        raise BadCutoff(f"{text[:40]!r} is out of range", field="until")
    if moment.tzinfo is None:
        try:
            zone = ZoneInfo(timezone or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def render_election_day_pdf(
    stats: ElectionDayStats,
    boundaries: dict[int, dict] | None,
    indicator_key: str | None = None,
    progress: Progress | None = None,
    answer_labels: dict | None = None,
) -> bytes:
    """The report as PDF bytes. `boundaries` maps area id → GeoJSON geometry (for the map);
    `indicator_key` picks the indicator that shades the map (UnknownIndicator if unknown);
    `answer_labels` maps (form_id, question, code) to the label printed for that answer."""
    indicator = choose_indicator(stats, indicator_key)
    t = Texts(stats.lang)
    fonts = report_fonts()
    draft = Ctx(stats, t, report_styles(fonts), 0, 0)
    title = report_title(draft)
    setup = PageSetup(
        title=f"{stats.mission_name} \u2014 {title}",
        footer=f"{stats.mission_name} \u00b7 {title} \u00b7 {t('classification_short')}"
        f" \u00b7 {t('cutoff')} {draft.local(stats.until, zone_name=False)}",
        fonts=fonts,
        author=stats.mission_name,
        subject=f"{title} {stats.election_date.isoformat()}",
        page_label=t("page_label"),
    )
    width, height = frame_size(setup)
    ctx = Ctx(stats, t, report_styles(fonts), width, height, answer_labels or {})
    story = cover(ctx) + key_figures(ctx) + coverage(ctx)
    story += findings(ctx) + assessments(ctx) + critical_answers(ctx)
    story += incidents(ctx) + map_section(ctx, boundaries, indicator)
    story += annex(ctx) + methodology(ctx)
    if progress:
        progress("layout")
    pdf = build_pdf(story, setup)
    if progress:
        progress("pdf")
    return pdf


def area_boundaries(area_ids) -> dict[int, dict]:
    """{area id: GeoJSON geometry} of the areas that have a boundary."""
    from observer_suite.extensions import db
    from observer_suite.models import Area

    ids = list(area_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Area.id, Area.boundary).where(Area.id.in_(ids), Area.boundary.is_not(None))
    )
    return {area_id: boundary for area_id, boundary in rows if boundary}


def answer_labels(mission_id: int, form_ids, lang: str) -> dict[tuple[str, str, str], str]:
    """{(form_id, question, code): label} from the active version of each form, in `lang`,
    else the form's default language (a report never prints a raw choice code it can name)."""
    from observer_suite.checklists.definition import choices_for, text_in
    from observer_suite.extensions import db
    from observer_suite.models import Form

    ids = sorted(form_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Form.form_id, Form.definition)
        .where(Form.mission_id == mission_id, Form.form_id.in_(ids))
        .order_by(Form.active, Form.id)  # the active (then newest) version wins
    )
    labels: dict[tuple[str, str, str], str] = {}
    for form_id, definition in rows:
        if not isinstance(definition, dict):
            continue
        default = str(definition.get("default_language") or "en")
        for question in definition.get("questions") or []:
            if not isinstance(question, dict) or "name" not in question:
                continue
            for choice in choices_for(definition, question):
                if isinstance(choice, dict) and choice.get("name") is not None:
                    text = text_in(choice.get("label"), lang, default)
                    if text:
                        labels[(form_id, str(question["name"]), str(choice["name"]))] = text
    return labels


def election_day_report(
    mission,
    *,
    until=None,
    region: str | None = None,
    lang: str = "en",
    indicator_key: str | None = None,
    progress: Progress | None = None,
) -> bytes:
    """Load the statistics and area boundaries for `mission` and render the PDF.

    Used by the download view and the CLI; errors in the arguments surface as ValueError
    subclasses from the stats service (unknown region), Texts (language) or the indicator.
    """
    from observer_suite.reporting.statistics.compute import election_day_stats

    Texts(lang)  # an unknown language fails before the queries run
    stats = election_day_stats(mission, until=until, region=region, lang=lang)
    if progress:
        progress("statistics")
    boundaries = area_boundaries(area.id for area in stats.areas)
    if progress:
        progress("boundaries")
    form_ids = {row.form_id for row in stats.critical_answers}
    form_ids |= {dist.form_id for dist in stats.assessments}
    labels = answer_labels(mission.id, form_ids, lang)
    return render_election_day_pdf(stats, boundaries, indicator_key, progress, labels)
