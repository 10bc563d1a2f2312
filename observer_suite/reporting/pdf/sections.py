"""Election-day PDF sections about observations: cover, key figures, coverage, findings,
overall assessment and critical answers. Every number comes from the `ElectionDayStats`.
"""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from observer_suite.reporting.pdf.charts import share_bars, stacked_bars
from observer_suite.reporting.statistics.election_day_stats import (
    ElectionDayStats,
    IndicatorResult,
    Share,
)
from observer_suite.util.formatting import esc, para
from observer_suite.util.pdf_document import OutlineEntry
from observer_suite.util.pdf_styles import WARN, WARN_BG, ReportStyles, data_table
from observer_suite.util.pdf_wording import Texts

TABLE_INDICATORS = 3  # indicator columns per findings table
TABLE_AREAS = 5  # count columns (mission, areas) per critical-answers table
MAX_TEAM_CODES = 80


@dataclass(frozen=True)
class Ctx:
    stats: ElectionDayStats
    t: Texts
    st: ReportStyles
    width: float
    height: float
    # (form_id, question, code) -> label in the report's language (see `answer_labels`)
    answer_labels: dict = field(default_factory=dict)

    def answer(self, form_id: str, question: str, code: str) -> str:
        """An answer's label, never its code unless the form defines no label for it."""
        return self.answer_labels.get((form_id, question, code)) or code

    def local(self, moment: datetime | None, zone_name: bool = True) -> str:
        """A UTC time in the mission's zone, e.g. "2027-02-25 18:00 (Africa/Lagos)"."""
        if moment is None:
            return ""
        try:
            zone = ZoneInfo(self.stats.timezone or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")
        text = self.t.moment(moment.astimezone(zone))
        return f"{text} ({zone.key})" if zone_name else text

    def phase(self, kind: str, title: str = "", shared: bool = False) -> str:
        """A phase's one name, from the `phases` table of the report texts; the form's own
        title is added only to tell apart several forms of one phase (`shared`), and used
        alone for a kind the table does not know."""
        name = self.t.label("phases", kind)
        if name == kind:
            return title or kind
        return f"{name} \u2014 {title}" if shared and title and title != name else name

    def area_heading(self) -> str:
        level = self.stats.area_level or "area"
        label = self.t.label("levels", level)
        return label if label != level else level.replace("_", " ").capitalize()

    def share(self, share: Share) -> str:
        """`45.3% (12 of 27)`, with `±4.1` in sample mode; "no data" when N = 0."""
        if share.share is None or not share.total:
            return self.t("no_data")
        margin = self.t.margin(share.margin)
        value = self.t.pct(share.share) + (f" {margin}" if margin else "")
        return f"{value} ({self.t.n_of(share.n, share.total)})"


def heading(ctx: Ctx, key: str, title: str, level: int = 0) -> list:
    style = ctx.st.h1 if level == 0 else ctx.st.h2
    return [OutlineEntry(key, title, level), Paragraph(esc(title), style)]


def head_row(st: ReportStyles, texts, right_from: int = 1) -> list:
    """Header cells; numeric columns (from `right_from`) right-aligned like their values."""
    right = ParagraphStyle("head_right", parent=st.head, alignment=TA_RIGHT)
    return [para(text, st.head if i < right_from else right) for i, text in enumerate(texts)]


def _head(ctx: Ctx, texts, right_from: int = 1) -> list:
    return head_row(ctx.st, texts, right_from)


def whole(table) -> KeepTogether:
    """A table that moves to the next page rather than split, when it fits on one page (a
    region's row is never parted from the others and from the mission total); longer tables
    still split, under their repeated header."""
    return KeepTogether([table])


def _banner(text: str, ctx: Ctx) -> Table:
    table = Table([[Paragraph(esc(text), ctx.st.banner)]], colWidths=[ctx.width])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), WARN_BG),
                ("BOX", (0, 0), (-1, -1), 1, WARN),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def report_title(ctx: Ctx) -> str:
    s = ctx.stats
    if s.region is not None:
        return ctx.t("briefing_title", region=s.region.name)
    return ctx.t("report_title")


def mode_note(ctx: Ctx) -> str:
    if ctx.stats.mode == "sample":
        return ctx.t("note_sample", confidence=ctx.t.pct(ctx.stats.confidence or 0.95, 0))
    return ctx.t("note_purposive")


def cover(ctx: Ctx) -> list:
    s, t, st = ctx.stats, ctx.t, ctx.st
    rows = [
        (t("mission"), s.mission_name),
        (t("election_date"), s.election_date.isoformat()),
        (t("cutoff"), ctx.local(s.until)),
        (t("generated"), ctx.local(s.generated_at)),
        (t("mode"), t("mode_sample") if s.mode == "sample" else t("mode_purposive")),
        (t("plan"), s.plan.name if s.plan else t("no_plan")),
    ]
    if s.region is not None:
        rows.insert(1, (t("region"), s.region.name))
    facts = Table(
        [[para(label, st.head), para(value, st.body)] for label, value in rows],
        colWidths=[0.3 * ctx.width, 0.7 * ctx.width],
        hAlign="LEFT",
    )
    facts.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [
        OutlineEntry("cover", t("sections.cover"), 0),
        Spacer(1, 0.18 * ctx.height),
        para(s.mission_name, st.title),
        Paragraph(esc(report_title(ctx)), st.h1),
        Spacer(1, 12),
        facts,
        Spacer(1, 18),
        _banner(t("classification"), ctx),
        Spacer(1, 8),
        Paragraph(esc(mode_note(ctx)), st.small),
        PageBreak(),
    ]


def key_figures(ctx: Ctx) -> list:
    s, t, st = ctx.stats, ctx.t, ctx.st
    severities = s.incidents.severities
    critical = (
        sum(row[severities.index("critical")] for row in s.incidents.counts)
        if "critical" in severities
        else 0
    )
    figures = [
        (
            t.num(s.coverage.stations_observed),
            t("stations_observed"),
            t(
                "of_planned",
                seen=t.num(s.coverage.planned_observed),
                planned=t.num(s.coverage.stations_planned),
            ),
        ),
        (t.num(s.coverage.observations), t("observations"), ""),
        (t.num(s.incidents.total), t("incidents"), t("of_which_critical", n=t.num(critical))),
        (t.num(len(s.teams_without_opening)), t("teams_without_opening"), ""),
    ]
    cells = [
        [Paragraph(esc(value), st.figure), Paragraph(esc(f"{label} {extra}".strip()), st.small)]
        for value, label, extra in figures
    ]
    table = Table([cells], colWidths=[ctx.width / 4] * 4, hAlign="LEFT")
    table.setStyle(TableStyle([("LINEBEFORE", (1, 0), (-1, -1), 0.5, colors.lightgrey)]))
    story = [*heading(ctx, "key-figures", t("sections.key_figures")), table, Spacer(1, 6)]
    counts = s.counts
    if counts and (counts.observations_rejected or counts.incidents_rejected):
        left_out = t(
            "rejected_not_counted",
            observations=t.num(counts.observations_rejected),
            incidents=t.num(counts.incidents_rejected),
            critical=t.num(counts.critical_rejected),
        )
        story += [Paragraph(esc(left_out), st.small), Spacer(1, 4)]
    headline = [i for i in s.indicators if i.mission.total][:8]
    if headline:
        rows = [(i.label, i.mission.share, ctx.share(i.mission)) for i in headline]
        story += [share_bars(rows, ctx.width, st.fonts), Spacer(1, 4)]
    return [*story, Paragraph(esc(mode_note(ctx)), st.small)]


def coverage(ctx: Ctx) -> list:
    s, t, st = ctx.stats, ctx.t, ctx.st
    story = heading(ctx, "coverage", t("sections.coverage"))
    heads = [ctx.area_heading(), t("observed"), t("planned"), t("total")]
    heads += [t("observed_of_planned"), t("observations").capitalize()]
    rows: list[list] = [_head(ctx, heads)]
    named = [(a.name, c) for a, c in zip(s.areas, s.area_coverage, strict=False)]
    for name, c in [*named, (t("whole_mission"), s.coverage)]:
        share = c.planned_observed / c.stations_planned if c.stations_planned else None
        rows.append(
            [
                para(name, st.cell),
                t.num(c.stations_observed),
                t.num(c.stations_planned),
                t.num(c.stations_total),
                t.pct(share) if share is not None else t("no_data"),
                t.num(c.observations),
            ]
        )
    fractions = [0.3, 0.12, 0.12, 0.12, 0.17, 0.17]
    story.append(
        whole(
            data_table(
                rows, [f * ctx.width for f in fractions], st.fonts, 1, True, right_align_from=1
            )
        )
    )
    if s.forms:
        story.append(Paragraph(esc(t("forms_received")), st.h2))
        heads = [t("form"), t("received"), t("expected"), t("on_plan"), t("share")]
        rows = [_head(ctx, heads)]
        kinds = [form.kind for form in s.forms]
        for form in s.forms:
            expected, covered = form.mission.expected, form.mission.on_plan
            rows.append(
                [
                    para(ctx.phase(form.kind, form.title, kinds.count(form.kind) > 1), st.cell),
                    t.num(form.mission.received),
                    t.num(expected),
                    t.num(covered) if expected is not None else "n/a",
                    t.pct(covered / expected) if expected and covered is not None else "n/a",
                ]
            )
        fractions = [0.36, 0.15, 0.15, 0.19, 0.15]
        story.append(
            whole(
                data_table(rows, [f * ctx.width for f in fractions], st.fonts, right_align_from=1)
            )
        )
    if s.teams_without_opening:
        codes = [team.code for team in s.teams_without_opening[:MAX_TEAM_CODES]]
        more = len(s.teams_without_opening) - len(codes)
        text = ", ".join(codes) + (f" (+{t.num(more)})" if more > 0 else "")
        story.append(Paragraph(esc(t("teams_missing_list", teams=text)), st.body))
    return story


def _phases(indicators) -> list[tuple[str, list[IndicatorResult]]]:
    groups: dict[str, list[IndicatorResult]] = {}
    for indicator in indicators:
        groups.setdefault(indicator.phase, []).append(indicator)
    return list(groups.items())


def findings(ctx: Ctx) -> list:
    s, t, st = ctx.stats, ctx.t, ctx.st
    story = [PageBreak(), *heading(ctx, "findings", t("sections.findings"))]
    if not s.indicators:
        return [*story, Paragraph(esc(t("no_findings")), st.body)]
    story.append(Paragraph(esc(mode_note(ctx)), st.small))
    if s.mode == "sample":
        confidence = t.pct(s.confidence or 0.95, 0)
        story.append(Paragraph(esc(t("margin_note", confidence=confidence)), st.small))
    for phase, indicators in _phases(s.indicators):
        title = ctx.phase(phase)
        chart_rows = [(i.label, i.mission.share, ctx.share(i.mission)) for i in indicators]
        story += [
            CondPageBreak(0.25 * ctx.height),
            *heading(ctx, f"phase-{phase}", title, 1),
            share_bars(chart_rows, ctx.width, st.fonts),
            Paragraph(esc(t("chart_caption")), st.small),
            Spacer(1, 4),
        ]
        for start in range(0, len(indicators), TABLE_INDICATORS):
            story += [whole(_findings_table(ctx, indicators[start : start + TABLE_INDICATORS]))]
            story.append(Spacer(1, 6))
    return story


def _findings_table(ctx: Ctx, indicators: list[IndicatorResult]) -> Table:
    st = ctx.st
    heads = [ctx.area_heading(), *(i.label for i in indicators)]
    rows: list[list] = [_head(ctx, heads, right_from=len(heads))]
    for index, area in enumerate(ctx.stats.areas):
        cells = [para(ctx.share(i.areas[index]), st.cell) for i in indicators]
        rows.append([para(area.name, st.cell), *cells])
    cells = [para(ctx.share(i.mission), st.head) for i in indicators]
    rows.append([para(ctx.t("whole_mission"), st.head), *cells])
    first = 0.25 * ctx.width
    rest = (ctx.width - first) / TABLE_INDICATORS
    return data_table(rows, [first] + [rest] * len(indicators), st.fonts, 1, True)


def assessments(ctx: Ctx) -> list:
    s, t, st = ctx.stats, ctx.t, ctx.st
    story = [CondPageBreak(0.3 * ctx.height), *heading(ctx, "assessment", t("sections.assessment"))]
    if not s.assessments:
        return [*story, Paragraph(esc(t("no_assessments")), st.body)]
    kinds = [dist.kind for dist in s.assessments]
    for index, dist in enumerate(s.assessments):
        labelled = [(t("whole_mission"), dist.mission)]
        labelled += [(a.name, counts) for a, counts in zip(s.areas, dist.areas, strict=False)]
        title = ctx.phase(dist.kind, dist.title, kinds.count(dist.kind) > 1)
        scale = [
            ctx.answer_labels.get((dist.form_id, dist.question, code)) or label
            for code, label in zip(dist.scale, dist.scale_labels, strict=False)
        ]
        rows: list[list] = [_head(ctx, [ctx.area_heading(), *scale, t("total")])]
        for name, counts in labelled[1:] + labelled[:1]:
            total = sum(counts)
            cells = [f"{t.num(c)} ({t.pct(c / total)})" if total else t.num(c) for c in counts]
            rows.append([para(name, st.cell), *cells, t.num(total)])
        n = len(dist.scale)
        first = 0.25 * ctx.width
        rest = (ctx.width - first) / (n + 1)
        table = data_table(rows, [first] + [rest] * (n + 1), st.fonts, 1, True, right_align_from=1)
        # Heading, chart and table on one page where they fit: the chart explains the table.
        story.append(
            KeepTogether(
                [
                    *heading(ctx, f"assessment-{index}", title, 1),
                    stacked_bars(labelled, scale, ctx.width, st.fonts),
                    Spacer(1, 4),
                    table,
                ]
            )
        )
    return story


def critical_answers(ctx: Ctx) -> list:
    s, t, st = ctx.stats, ctx.t, ctx.st
    story = [CondPageBreak(0.3 * ctx.height), *heading(ctx, "critical", t("sections.critical"))]
    if not s.critical_answers or not any(row.mission for row in s.critical_answers):
        return [*story, Paragraph(esc(t("no_critical")), st.body)]
    columns = [(t("whole_mission"), None)] + [(a.name, i) for i, a in enumerate(s.areas)]
    for start in range(0, len(columns), TABLE_AREAS):
        chunk = columns[start : start + TABLE_AREAS]
        rows: list[list] = [_head(ctx, [t("question"), *(name for name, _ in chunk)])]
        for row in s.critical_answers:
            answers = ", ".join(ctx.answer(row.form_id, row.question, a) for a in row.answers)
            label = f"{row.label} [{ctx.phase(row.kind)}: {answers}]"
            values = [row.mission if i is None else row.areas[i] for _, i in chunk]
            rows.append([para(label, st.cell), *(t.num(v) for v in values)])
        first = 0.3 * ctx.width
        rest = (ctx.width - first) / TABLE_AREAS
        story += [
            whole(data_table(rows, [first] + [rest] * len(chunk), st.fonts, right_align_from=1)),
            Spacer(1, 6),
        ]
    return story
