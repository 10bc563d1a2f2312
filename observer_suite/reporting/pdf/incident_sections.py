"""Election-day PDF sections about incidents, plus the map, the annex and the methodology."""

from reportlab.platypus import CondPageBreak, PageBreak, Paragraph, Spacer

from observer_suite.reporting.pdf.election_day_map import election_day_map
from observer_suite.reporting.pdf.sections import Ctx, head_row, heading, mode_note, whole
from observer_suite.reporting.statistics.election_day_stats import IncidentSummary, IndicatorResult
from observer_suite.util.formatting import MISSING, esc, para, unbroken
from observer_suite.util.pdf_sampling_section import sampling_section
from observer_suite.util.pdf_styles import ReportStyles, data_table
from observer_suite.util.pdf_wording import Texts

MAX_ANNEX = 500  # critical incidents listed in the annex, newest first


def category_severity_table(summary: IncidentSummary, t: Texts, st: ReportStyles, width: float):
    """Categories × severities with row and column totals (rows with no incident left out)."""
    heads = [t("category"), *(t.label("severities", s).capitalize() for s in summary.severities)]
    rows: list[list] = [head_row(st, [*heads, t("total")])]
    column_totals = [0] * len(summary.severities)
    for label, counts in zip(summary.category_labels, summary.counts, strict=False):
        column_totals = [a + b for a, b in zip(column_totals, counts, strict=False)]
        if sum(counts):
            rows.append([para(label, st.cell), *(t.num(c) for c in counts), t.num(sum(counts))])
    rows.append([t("total"), *(t.num(c) for c in column_totals), t.num(summary.total)])
    first = 0.36 * width
    rest = (width - first) / (len(summary.severities) + 1)
    widths = [first] + [rest] * (len(summary.severities) + 1)
    return data_table(rows, widths, st.fonts, 1, True, right_align_from=1)


def incidents(ctx: Ctx) -> list:
    s, t, st = ctx.stats, ctx.t, ctx.st
    summary = s.incidents
    story = [PageBreak(), *heading(ctx, "incidents", t("sections.incidents"))]
    story += [
        *heading(ctx, "incidents-category", t("by_category"), 1),
        whole(category_severity_table(summary, t, st, ctx.width)),
        Spacer(1, 6),
        *heading(ctx, "incidents-area", t("by_area"), 1),
    ]
    rows: list[list] = [head_row(st, [ctx.area_heading(), t("incidents").capitalize()])]
    for area, count in zip(s.areas, summary.areas, strict=False):
        rows.append([para(area.name, st.cell), t.num(count)])
    if summary.unplaced:
        rows.append([para(t("unplaced"), st.cell), t.num(summary.unplaced)])
    rows.append([t("whole_mission"), t.num(summary.total)])
    story.append(
        whole(
            data_table(
                rows, [0.6 * ctx.width, 0.2 * ctx.width], st.fonts, 1, True, right_align_from=1
            )
        )
    )
    return story


def map_section(ctx: Ctx, boundaries, indicator: IndicatorResult | None) -> list:
    t, st = ctx.t, ctx.st
    story = [CondPageBreak(0.5 * ctx.height), *heading(ctx, "map", t("sections.map"), 1)]
    drawing, notes = election_day_map(
        ctx.stats, boundaries, indicator, t, ctx.width, 0.62 * ctx.height, st.fonts
    )
    if drawing is None:
        return [*story, Paragraph(esc(t("map_missing")), st.body)]
    return [*story, drawing, Spacer(1, 3), *(Paragraph(esc(note), st.small) for note in notes)]


def annex(ctx: Ctx) -> list:
    s, t, st = ctx.stats, ctx.t, ctx.st
    critical = s.incidents.critical
    story = [PageBreak(), *heading(ctx, "annex", t("sections.annex"))]
    if not critical:
        return [*story, Paragraph(esc(t("annex_none")), st.body)]
    shown = critical[:MAX_ANNEX]
    if len(shown) < len(critical):
        story.append(
            Paragraph(
                esc(t("annex_more", shown=t.num(len(shown)), total=t.num(len(critical)))),
                st.small,
            )
        )
    heads = [t("time"), t("title"), t("category"), t("place"), t("status")]
    fractions = [0.15, 0.37, 0.17, 0.19, 0.12]
    rows: list[list] = [head_row(st, heads, len(heads))]
    # By area (in the report's area order, no area last), newest first within each, so a
    # region's incidents read together and stay on one page where they fit.
    order = {area.name: index for index, area in enumerate(s.areas)}
    shown = sorted(shown, key=lambda i: order.get(i.area_name, len(order)))
    groups: list[tuple[int, int]] = []
    for index, incident in enumerate(shown, start=1):
        if index > 1 and incident.area_name == shown[index - 2].area_name:
            groups[-1] = (groups[-1][0], index)
        else:
            groups.append((index, index))
    for incident in shown:
        # The station code on a line of its own, never broken; the area name wraps below it.
        place: list = [unbroken(incident.station_code, st.cell, fractions[3] * ctx.width - 6)]
        if not incident.station_code:
            place = [para(incident.area_name, st.cell, MISSING)]
        elif incident.area_name:
            place.append(para(incident.area_name, st.cell))
        rows.append(
            [
                para(ctx.local(incident.occurred_at, zone_name=False), st.cell),
                para(incident.title, st.cell),
                para(incident.category, st.cell),
                place,
                para(t.label("statuses", incident.status), st.cell),
            ]
        )
    widths = [f * ctx.width for f in fractions]
    story.append(data_table(rows, widths, st.fonts, groups=groups, page_height=ctx.height))
    return story


def methodology(ctx: Ctx) -> list:
    s, t, st = ctx.stats, ctx.t, ctx.st
    story = [PageBreak(), *heading(ctx, "methodology", t("sections.methodology"))]
    story.append(Paragraph(esc(t("methodology_rules_title")), st.h2))
    story += [
        Paragraph(esc(rule), st.problem, bulletText="\u2022") for rule in t.raw("methodology_rules")
    ]
    if s.mode == "sample":
        confidence = t.pct(s.confidence or 0.95, 0)
        story += [
            Paragraph(esc(t("methodology_sample_title")), st.h2),
            Paragraph(esc(t("methodology_sample", confidence=confidence)), st.body),
            *sampling_section(s.sampling or {}, st, ctx.width, t.raw("sampling_record")),
        ]
    else:
        story += [
            Paragraph(esc(t("methodology_purposive_title")), st.h2),
            Paragraph(esc(t("methodology_purposive")), st.body),
        ]
    story += [Spacer(1, 8), Paragraph(esc(mode_note(ctx)), st.small)]
    return story
