"""The incident report: the incidents the incident list shows under the same filters, as PDF.

It reuses `incidents.listing.filtered`, so the report holds exactly the rows of the list (and
of its CSV/XLSX exports) for the same query string; the category × severity summary is one
GROUP BY over that query. All user text (titles, descriptions, places) goes through `para`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Spacer
from sqlalchemy import func, select

from observer_suite.reporting.pdf.incident_sections import category_severity_table
from observer_suite.reporting.statistics.election_day_stats import IncidentSummary
from observer_suite.util.formatting import MISSING, esc, fmt_coords, para
from observer_suite.util.pdf_document import OutlineEntry, PageSetup, build_pdf, frame_size
from observer_suite.util.pdf_fonts import report_fonts
from observer_suite.util.pdf_styles import report_styles
from observer_suite.util.pdf_wording import Texts

MAX_LISTED = 1000  # incidents printed one by one; the summary always counts all of them
DESCRIPTION_LIMIT = 3000
SEVERITIES = ("low", "medium", "high", "critical")


@dataclass(frozen=True)
class IncidentLine:
    id: int
    title: str
    category: str
    severity: str
    status: str
    occurred_at: str  # mission local time, formatted
    place: str
    team: str
    description: str


@dataclass(frozen=True)
class IncidentReport:
    mission_name: str
    lang: str
    generated_at: str  # mission local time, formatted
    filters: tuple[tuple[str, str], ...]  # (filter name, value as shown)
    summary: IncidentSummary  # counts only (areas, critical and points empty)
    incidents: tuple[IncidentLine, ...]  # at most MAX_LISTED, newest first


def render_incident_report_pdf(report: IncidentReport) -> bytes:
    t = Texts(report.lang)
    fonts = report_fonts()
    st = report_styles(fonts)
    title = t("incident_report_title")
    setup = PageSetup(
        title=f"{report.mission_name} \u2014 {title}",
        footer=f"{report.mission_name} \u00b7 {title} \u00b7 {t('classification_short')}"
        f" \u00b7 {t('generated')} {report.generated_at}",
        fonts=fonts,
        author=report.mission_name,
        subject=title,
        page_label=t("page_label"),
    )
    width, _ = frame_size(setup)
    entry = ParagraphStyle("incident", parent=st.body, spaceBefore=6, spaceAfter=2)
    groups = {"severity": "severities", "status": "statuses"}
    shown_filters = "; ".join(
        f"{t('filter_names.' + k)}: {t.label(groups[k], v) if k in groups else v}"
        for k, v in report.filters
    )
    story: list = [
        OutlineEntry("summary", t("sections.summary"), 0),
        para(report.mission_name, st.title),
        Paragraph(esc(title), st.h1),
        Paragraph(f"<b>{esc(t('generated'))}:</b> {esc(report.generated_at)}", st.body),
        Paragraph(f"<b>{esc(t('filters'))}:</b> {esc(shown_filters or t('no_filters'))}", st.body),
        Paragraph(esc(t("classification")), st.banner),
        Spacer(1, 6),
        Paragraph(esc(t("by_category")), st.h2),
        category_severity_table(report.summary, t, st, width),
        OutlineEntry("list", t("sections.list"), 0),
        Paragraph(esc(t("sections.list")), st.h1),
    ]
    if not report.incidents:
        story.append(Paragraph(esc(t("no_incidents")), st.body))
    elif len(report.incidents) < report.summary.total:
        more = t("list_more", shown=t.num(len(report.incidents)), total=t.num(report.summary.total))
        story.append(Paragraph(esc(more), st.small))
    for line in report.incidents:
        facts = [
            (t("category"), line.category),
            (t("severity"), t.label("severities", line.severity)),
            (t("status"), t.label("statuses", line.status)),
            (t("time"), line.occurred_at),
            (t("place"), line.place or MISSING),
            (t("team"), line.team or MISSING),
        ]
        # One paragraph per incident: a long report spends its time parsing paragraphs.
        text = (
            f'<font name="{fonts.bold}" size="10.5">#{line.id} \u00b7 {esc(line.title)}</font>'
            f'<br/><font size="7.5" color="#59636e">'
            + " \u00b7 ".join(f"<b>{esc(k)}:</b> {esc(v)}" for k, v in facts)
            + "</font>"
        )
        if line.description.strip():
            text += "<br/>" + esc(line.description, DESCRIPTION_LIMIT).replace("\n", "<br/>")
        story.append(Paragraph(text, entry))
    return build_pdf(story, setup)


# ---- loading (needs the app) -----------------------------------------------------------------


def _summary(mission, filters, lang: str) -> IncidentSummary:
    from observer_suite.extensions import db
    from observer_suite.incidents.listing import category_label, filtered
    from observer_suite.models import Incident, IncidentCategory

    grouped = (
        filtered(mission, filters)
        .with_only_columns(IncidentCategory.code, Incident.severity, func.count(Incident.id))
        .group_by(IncidentCategory.code, Incident.severity)
        .order_by(None)
    )
    counts: dict[str, dict[str, int]] = {}
    for code, severity, count in db.session.execute(grouped):
        counts.setdefault(code, {})[getattr(severity, "value", severity)] = count
    categories = db.session.execute(
        select(IncidentCategory.code, IncidentCategory.labels)
        .where(IncidentCategory.mission_id == mission.id)
        .order_by(IncidentCategory.position, IncidentCategory.id)
    ).all()
    codes = [c for c in categories if c.code in counts]
    matrix = tuple(tuple(counts[c.code].get(s, 0) for s in SEVERITIES) for c in codes)
    return IncidentSummary(
        categories=tuple(c.code for c in codes),
        category_labels=tuple(category_label(c.labels, c.code, lang) for c in codes),
        severities=SEVERITIES,
        counts=matrix,
        total=sum(sum(row) for row in matrix),
        areas=(),
        unplaced=0,
        critical=(),
        points=(),
    )


def _shown_filters(mission, filters, lang: str) -> tuple[tuple[str, str], ...]:
    """The active filters with ids and codes replaced by names (region, team, category)."""
    from observer_suite.extensions import db
    from observer_suite.incidents.listing import category_label, filter_choices
    from observer_suite.models import IncidentCategory

    args = filters.to_args()
    if "category" in args:
        labels = db.session.scalar(
            select(IncidentCategory.labels).where(
                IncidentCategory.mission_id == mission.id,
                IncidentCategory.code == str(args["category"]),
            )
        )
        if labels is not None:
            args["category"] = category_label(labels, str(args["category"]), lang)
    if "region" in args or "team" in args:
        choices = filter_choices(mission)
        regions, teams = dict(choices["regions"]), dict(choices["teams"])
        if "region" in args:
            args["region"] = regions.get(args["region"], args["region"])
        if "team" in args:
            args["team"] = teams.get(args["team"], args["team"])
    return tuple((k, str(v)) for k, v in args.items())


def _lines(rows: Iterable, zone, lang: str) -> Iterable[IncidentLine]:
    from observer_suite.incidents.listing import category_label, local, position

    for row in rows:
        incident = row.Incident
        lat, lon, source = position(row)
        station = " ".join(p for p in (row.station_code, row.station_name) if p)
        place = ", ".join(p for p in (station, row.region) if p)
        if not place and source:
            place = fmt_coords(lat, lon)
        moment = local(incident.occurred_at, zone)
        yield IncidentLine(
            id=incident.id,
            title=incident.title,
            category=category_label(row.category_labels, row.category_code, lang),
            severity=incident.severity.value,
            status=incident.status.value,
            occurred_at=moment.strftime("%Y-%m-%d %H:%M") if moment else "",
            place=place,
            team=row.team_code or "",
            description=incident.description or "",
        )


def incident_report(
    mission, filters, *, lang: str = "en", progress: Callable[[str], None] | None = None
) -> bytes:
    """Query the incidents under `filters` (an `IncidentFilters`) and render the report."""
    from observer_suite.extensions import db
    from observer_suite.incidents.listing import filtered, mission_zone

    Texts(lang)  # an unknown language fails before the queries run
    zone = mission_zone(mission)
    summary = _summary(mission, filters, lang)
    rows = db.session.execute(filtered(mission, filters).limit(MAX_LISTED))
    report = IncidentReport(
        mission_name=mission.name,
        lang=lang,
        generated_at=datetime.now(UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M %Z"),
        filters=_shown_filters(mission, filters, lang),
        summary=summary,
        incidents=tuple(_lines(rows, zone, lang)),
    )
    if progress:
        progress("statistics")
    pdf = render_incident_report_pdf(report)
    if progress:
        progress("pdf")
    return pdf
