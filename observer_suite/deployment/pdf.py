"""The deployment plan as a PDF: an overview for the core team, then one sheet per team.

Teams print their own sheet and carry it on election day where there may be no connectivity,
so each sheet stands alone (plan, members, base, route with times). The overview says what the
plan covers, which selection mode produced it, and what the planner could not satisfy.
"""

from reportlab.lib import colors
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from observer_suite.deployment.travel import known_point
from observer_suite.deployment.types import CoverageRow, PlanDocument, TeamSheet
from observer_suite.util.formatting import (
    CELL_LIMIT,
    MISSING,
    clean,
    esc,
    fmt_coords,
    fmt_int,
    fmt_km,
    fmt_share,
    para,
    shorten,
    unbroken,
    valid_point,
)
from observer_suite.util.geo import polygons
from observer_suite.util.mapdraw import LegendItem, MapArea, MapLine, MapMarker, draw_map
from observer_suite.util.palette import TEAM_COLOURS, team_colour
from observer_suite.util.pdf_document import OutlineEntry, PageSetup, build_pdf, frame_size
from observer_suite.util.pdf_fonts import report_fonts
from observer_suite.util.pdf_sampling_section import sampling_section
from observer_suite.util.pdf_styles import WARN, WARN_BG, ReportStyles, data_table, report_styles
from observer_suite.util.pdf_wording import Texts

MODE_NOTE = {
    "purposive": "Purposive selection: figures describe the planned stations only "
    "(\u201cN of M observed\u201d), not the whole country.",
    "sample": "Random sample: findings from these stations are estimates for the whole "
    "frame, with the margin of error below.",
}
ROLE_ORDER = {"observer": 0, "driver": 1, "interpreter": 2}
ROLE_LABEL = {"observer": "Observer", "driver": "Driver", "interpreter": "Interpreter"}
_PAD = 6  # data_table cells: 3 pt padding left and right
# Stop kinds by the phase the team observes there, named from the report texts' one
# `phases` table (a closing stop is where the team stays for closing and counting).
_EN = Texts("en")
KIND_LABEL = {
    "opening": _EN.label("phases", "opening"),
    "visit": _EN("stop_visit"),
    "closing": _EN.label("phases", "counting"),
}
_MAX_LABELLED_TEAMS = 30
_MAX_LABELLED_REGIONS = 60


def _status(doc: PlanDocument) -> str:
    return shorten(clean(doc.status).strip().lower(), 20) or "draft"


def render_plan_pdf(doc: PlanDocument) -> bytes:
    """The whole plan as PDF bytes: overview pages, then one section per team."""
    fonts = report_fonts()
    st = report_styles(fonts)
    status = _status(doc)
    setup = PageSetup(
        title=f"{doc.mission_name} \u2014 {doc.plan_name}",
        footer=f"{doc.mission_name} \u00b7 {doc.plan_name} \u00b7 {status.upper()} "
        f"\u00b7 generated {doc.generated_at}",
        fonts=fonts,
        author=doc.mission_name,
        subject=f"Deployment plan for election day {doc.election_day}",
        watermark="" if status == "published" else status.upper(),
    )
    width, height = frame_size(setup)
    story = _overview(doc, st, width, height)
    for index, team in enumerate(doc.teams):
        story.append(PageBreak())
        if index == 0:
            story.append(OutlineEntry("teams", "Teams", 0, closed=len(doc.teams) > 30))
        story += _team_section(doc, team, index, st, width)
    return build_pdf(story, setup)


# ---- overview ------------------------------------------------------------------------------


def _overview(doc: PlanDocument, st: ReportStyles, width: float, height: float) -> list:
    status = _status(doc)
    mode = (doc.mode or "").strip().lower()
    story: list = [
        OutlineEntry("overview", "Overview", 0),
        para(doc.mission_name, st.title),
        Paragraph(
            f"{esc(doc.plan_name)} \u00b7 deployment plan for election day "
            f"<b>{esc(doc.election_day)}</b>",
            st.subtitle,
        ),
        Paragraph(
            f"Status: <b>{esc(status.upper())}</b> \u00b7 Mode: <b>{esc(mode or MISSING)}</b>"
            f" \u00b7 Generated {esc(doc.generated_at)}",
            st.body,
        ),
    ]
    if status != "published":
        story.append(
            _banner(
                f"{status.upper()}: this plan is not published. Routes, times and team "
                "assignments may still change; do not distribute.",
                st,
                width,
            )
        )
    if mode in MODE_NOTE:
        story.append(Paragraph(esc(MODE_NOTE[mode]), st.small))
    story += [Spacer(1, 6), _key_figures(doc, st, width), Spacer(1, 8)]
    story += _map_section(doc, st, width, height * 0.55)
    story += _coverage_section(doc.coverage, st, width)
    story.append(Paragraph("Problems", st.h2))
    story += _bullets(doc.problems, st, "None: every requirement of the plan was met.")
    if mode == "sample" or doc.sampling:
        story += sampling_section(doc.sampling or {}, st, width)
    story += _team_summary(doc, st, width)
    return story


def _banner(text: str, st: ReportStyles, width: float) -> Table:
    table = Table([[Paragraph(esc(text), st.banner)]], colWidths=[width])
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


def _key_figures(doc: PlanDocument, st: ReportStyles, width: float) -> Table:
    planned_rows = sum(len(t.rows) for t in doc.teams)
    planned = sum(c.stations_planned for c in doc.coverage) if doc.coverage else planned_rows
    total = sum(c.stations_total for c in doc.coverage)
    # Team problems may also be listed plan-wide: count each distinct text once.
    problems = len(set(doc.problems).union(*(t.problems for t in doc.teams)))
    figures = [
        (fmt_int(len(doc.teams)), "teams"),
        (fmt_int(planned), f"stations planned of {fmt_int(total)}" if total else "stations"),
        (fmt_km(sum(t.travel_km for t in doc.teams)), "total road distance"),
        (fmt_int(problems), "problems reported"),
    ]
    cells = [
        [Paragraph(esc(v), st.figure), Paragraph(esc(label), st.small)] for v, label in figures
    ]
    table = Table([cells], colWidths=[width / 4] * 4, hAlign="LEFT")
    table.setStyle(TableStyle([("LINEBEFORE", (1, 0), (-1, -1), 0.5, colors.lightgrey)]))
    return table


def _map_section(doc: PlanDocument, st: ReportStyles, width: float, max_height: float) -> list:
    label_regions = len(doc.boundaries) <= _MAX_LABELLED_REGIONS
    areas = [
        MapArea(parts, label=name if label_regions else "")
        for name, geometry in doc.boundaries
        if (parts := polygons(geometry))
    ]
    n_stations = sum(len(t.rows) for t in doc.teams)
    dot = 2.0 if n_stations <= 300 else 1.4 if n_stations <= 1500 else 1.0
    square = 3.0 if len(doc.teams) <= 50 else 2.2
    lines, dots, bases, unmapped = [], [], [], 0
    for index, team in enumerate(doc.teams):
        colour = team_colour(index)
        route = []
        if valid_point(team.base_lat, team.base_lon):
            lat, lon = known_point(team.base_lat, team.base_lon)
            route.append((lon, lat))
            label = team.code if len(doc.teams) <= _MAX_LABELLED_TEAMS else ""
            bases.append(MapMarker(lon, lat, colour, "square", square, label))
        for row in team.rows:
            if valid_point(row.lat, row.lon):
                lat, lon = known_point(row.lat, row.lon)
                route.append((lon, lat))
                dots.append(MapMarker(lon, lat, colour, "dot", dot))
            else:
                unmapped += 1
        lines.append(MapLine(route, colour, 0.7 if len(doc.teams) <= 50 else 0.4))
    legend = [LegendItem("region boundary", "#eef2f6", "area")] if areas else []
    legend += [
        LegendItem("team base", "#59636e", "square"),
        LegendItem("route (base \u2192 stations)", "#59636e", "line"),
        LegendItem("polling station", "#59636e", "dot"),
    ]
    if len(doc.teams) <= 12:
        legend += [
            LegendItem(f"Team {t.code}", team_colour(i), "dot") for i, t in enumerate(doc.teams)
        ]
    drawing = draw_map(width, max_height, st.fonts, areas, lines, dots + bases, legend)
    story: list = [Paragraph("Map", st.h2)]
    if drawing is None:
        story.append(
            Paragraph("No coordinates are known for any base, station or region.", st.body)
        )
        return story
    story.append(drawing)
    notes = ["Colours mark teams."]
    if len(doc.teams) > len(TEAM_COLOURS):
        notes.append(f"Colours repeat every {len(TEAM_COLOURS)} teams; see each team sheet.")
    if unmapped:
        notes.append(f"{fmt_int(unmapped)} planned station(s) without coordinates are not shown.")
    story.append(Paragraph(esc(" ".join(notes)), st.small))
    return story


def _coverage_section(coverage: list[CoverageRow], st: ReportStyles, width: float) -> list:
    story: list = [Paragraph("Coverage by region", st.h2)]
    if not coverage:
        return [*story, Paragraph("No coverage figures.", st.body)]
    heads = ["Region", "Stations planned", "Stations total", "Share", "Voters covered"]
    heads += ["Voters total", "Share"]
    rows: list[list] = [[Paragraph(esc(h), st.head) for h in heads]]
    known = [c for c in coverage if c.voters_total]
    rows.extend(
        [
            para(c.region, st.cell, MISSING),
            fmt_int(c.stations_planned),
            fmt_int(c.stations_total),
            fmt_share(c.stations_planned, c.stations_total),
            fmt_int(c.voters_planned) if c.voters_total else "n/a",
            fmt_int(c.voters_total) if c.voters_total else "n/a",
            fmt_share(c.voters_planned, c.voters_total),
        ]
        for c in coverage
    )
    planned, total = (
        sum(c.stations_planned for c in coverage),
        sum(c.stations_total for c in coverage),
    )
    v_planned, v_total = sum(c.voters_planned for c in known), sum(c.voters_total for c in known)
    rows.append(
        [
            "All regions",
            fmt_int(planned),
            fmt_int(total),
            fmt_share(planned, total),
            fmt_int(v_planned) if known else "n/a",
            fmt_int(v_total) if known else "n/a",
            fmt_share(v_planned, v_total),
        ]
    )
    fractions = [0.28, 0.12, 0.12, 0.09, 0.15, 0.15, 0.09]
    story.append(  # whole on the next page when it fits: no region parted from the total
        KeepTogether(
            [
                data_table(
                    rows, [f * width for f in fractions], st.fonts, 1, True, right_align_from=1
                )
            ]
        )
    )
    if known and len(known) < len(coverage):
        story.append(
            Paragraph(
                "Registered voters are unknown in regions marked n/a; the total voter share "
                "counts only regions where they are known.",
                st.small,
            )
        )
    return story


def _bullets(items: list[str], st: ReportStyles, empty: str) -> list:
    if not items:
        return [Paragraph(esc(empty), st.body)]
    return [Paragraph(esc(item), st.problem, bulletText="\u2022") for item in items]


def _team_summary(doc: PlanDocument, st: ReportStyles, width: float) -> list:
    if not doc.teams:
        return [Paragraph("Teams", st.h2), Paragraph("No teams in this plan.", st.body)]
    heads = ["Team", "Observers", "Base", "Stations", "Road km", "Problems"]
    fractions = [0.11, 0.35, 0.22, 0.10, 0.11, 0.11]
    rows: list[list] = [heads]
    for team in doc.teams:
        observers = "; ".join(m.name for m in team.members if m.role == "observer")
        rows.append(
            [
                unbroken(team.code, st.cell, fractions[0] * width - _PAD),
                para(observers, st.cell, MISSING),
                para(team.base_name, st.cell, MISSING),
                fmt_int(len(team.rows)),
                f"{team.travel_km:,.1f}",
                fmt_int(len(team.problems)),
            ]
        )
    table = data_table(rows, [f * width for f in fractions], st.fonts, right_align_from=3)
    return [Paragraph("Teams", st.h2), table]


# ---- team sheets ---------------------------------------------------------------------------


def _team_section(
    doc: PlanDocument, team: TeamSheet, index: int, st: ReportStyles, width: float
) -> list:
    heading = Table(
        [["", Paragraph(f"Team {esc(team.code, CELL_LIMIT)}", st.h1)]], colWidths=[12, width - 12]
    )
    heading.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (0, 0), colors.HexColor(team_colour(index))),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (1, 0), (1, 0), 8),
            ]
        )
    )
    members = sorted(team.members, key=lambda m: ROLE_ORDER.get(m.role, 9))
    by_role = {role: [m for m in members if m.role == role] for role in ("driver", "interpreter")}
    facts = [
        ("Base", para(team.base_name, st.cell, MISSING)),
        ("Base coordinates", fmt_coords(team.base_lat, team.base_lon)),
        ("Stations", fmt_int(len(team.rows))),
        ("Total road distance", fmt_km(team.travel_km)),
        ("Driver", para("; ".join(m.name for m in by_role["driver"]), st.cell, "none assigned")),
        (
            "Interpreter",
            para("; ".join(m.name for m in by_role["interpreter"]), st.cell, "none assigned"),
        ),
    ]
    facts_table = Table(
        [[Paragraph(label, st.head), value] for label, value in facts],
        colWidths=[0.25 * width, 0.75 * width],
        hAlign="LEFT",
    )
    facts_table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), st.fonts.regular, 8, 10),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    story: list = [
        OutlineEntry(f"team-{index}", f"Team {team.code}", 1),
        heading,
        Paragraph(
            f"{esc(doc.mission_name)} \u00b7 {esc(doc.plan_name)} \u00b7 election day "
            f"{esc(doc.election_day)}",
            st.subtitle,
        ),
        facts_table,
        Paragraph("Members", st.h2),
        KeepTogether([_members_table(members, st, width)]),
    ]
    if team.problems:
        story += [Paragraph("Problems", st.h2), *_bullets(team.problems, st, "")]
    story += [Paragraph("Route", st.h2), _route_table(team, st, width)]
    return story


def _members_table(members, st: ReportStyles, width: float):
    if not members:
        return Paragraph("No members assigned.", st.body)
    heads = ["Name", "Role", "Nationality", "Gender", "Phone", "E-mail"]
    fractions = [0.25, 0.12, 0.13, 0.09, 0.16, 0.25]
    rows: list[list] = [heads]
    for m in members:
        role = ROLE_LABEL.get(m.role, m.role)
        rows.append(
            [
                para(m.name, st.cell),
                para(role, st.cell),
                para(m.nationality, st.cell, MISSING),
                para(m.gender, st.cell, MISSING),
                unbroken(m.phone, st.cell, fractions[4] * width - _PAD, MISSING),
                unbroken(m.email, st.cell, fractions[5] * width - _PAD, MISSING),
            ]
        )
    return data_table(rows, [f * width for f in fractions], st.fonts)


def _route_table(team: TeamSheet, st: ReportStyles, width: float):
    if not team.rows:
        return Paragraph("No stations assigned.", st.body)
    heads = ["#", "Kind", "Station", "Name", "Area", "Coordinates", "Arrival"]
    fractions = [0.04, 0.14, 0.13, 0.24, 0.16, 0.20, 0.09]
    rows: list[list] = [heads]
    rows.extend(
        [
            str(r.position),
            para(KIND_LABEL.get(r.kind, r.kind), st.cell),
            unbroken(r.station_code, st.cell, fractions[2] * width - _PAD),
            para(r.station_name, st.cell, MISSING),
            para(r.area_name, st.cell, MISSING),
            fmt_coords(r.lat, r.lon),
            para(r.arrival, st.cell, MISSING),
        ]
        for r in sorted(team.rows, key=lambda r: r.position)
    )
    return data_table(rows, [f * width for f in fractions], st.fonts)
