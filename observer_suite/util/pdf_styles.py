"""One look for every PDF report: paragraph styles and the standard data table."""

import functools
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Table, TableStyle

from observer_suite.util.pdf_fonts import FontSet, report_fonts

INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#59636e")
RULE = colors.HexColor("#c9d1d9")
HEADER_BG = colors.HexColor("#e8edf2")
ZEBRA = colors.HexColor("#f6f8fa")
WARN = colors.HexColor("#b3261e")
WARN_BG = colors.HexColor("#fdecea")


@dataclass(frozen=True)
class ReportStyles:
    fonts: FontSet
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    head: ParagraphStyle
    figure: ParagraphStyle
    banner: ParagraphStyle
    problem: ParagraphStyle


@functools.cache
def report_styles(fonts: FontSet | None = None) -> ReportStyles:
    f = fonts or report_fonts()

    def style(name: str, **kw) -> ParagraphStyle:
        kw.setdefault("fontName", f.regular)
        kw.setdefault("textColor", INK)
        return ParagraphStyle(name, **kw)

    return ReportStyles(
        fonts=f,
        title=style("title", fontName=f.bold, fontSize=18, leading=22, spaceAfter=4),
        subtitle=style("subtitle", fontSize=10, leading=13, textColor=MUTED, spaceAfter=8),
        h1=style("h1", fontName=f.bold, fontSize=14, leading=18, spaceBefore=6, spaceAfter=6),
        h2=style("h2", fontName=f.bold, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4),
        body=style("body", fontSize=9, leading=12, spaceAfter=3),
        small=style("small", fontSize=7.5, leading=9.5, textColor=MUTED),
        cell=style("cell", fontSize=8, leading=10),
        cell_right=style("cell_right", fontSize=8, leading=10, alignment=TA_RIGHT),
        head=style("head", fontName=f.bold, fontSize=8, leading=10),
        figure=style("figure", fontName=f.bold, fontSize=15, leading=18),
        banner=style("banner", fontName=f.bold, fontSize=10, leading=13, textColor=WARN),
        problem=style("problem", fontSize=9, leading=12, leftIndent=10, bulletIndent=0),
    )


def data_table(
    rows: list[list],
    col_widths: list[float],
    fonts: FontSet,
    header_rows: int = 1,
    bold_last_row: bool = False,
    right_align_from: int | None = None,
    groups: list[tuple[int, int]] | None = None,
    page_height: float | None = None,
) -> Table:
    """A grid table with a shaded header row that repeats on every page it spans.

    `groups` are (first, last) row indices that belong together (e.g. one region's rows):
    a page break never falls inside a group that fits on one page (`page_height`); the
    total row (`bold_last_row`) always stays with the row above it.
    """
    commands = [
        ("FONT", (0, 0), (-1, -1), fonts.regular, 8, 10),
        ("FONT", (0, 0), (-1, header_rows - 1), fonts.bold, 8, 10),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_BG),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, MUTED),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if len(rows) > header_rows + 3:
        commands.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [None, ZEBRA]))
    if right_align_from is not None:
        commands.append(("ALIGN", (right_align_from, 0), (-1, -1), "RIGHT"))
    if bold_last_row:
        commands += [
            ("FONT", (0, -1), (-1, -1), fonts.bold, 8, 10),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, MUTED),
        ]
    table = Table(rows, colWidths=col_widths, repeatRows=header_rows, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    keep = []
    if groups and page_height:
        table.wrap(sum(col_widths), page_height)  # row heights, to keep only what fits
        # reportlab exposes no public accessor (nor does its stub know the attribute)
        heights = table._rowHeights  # pyright: ignore[reportAttributeAccessIssue]
        room = 0.9 * page_height - sum(heights[:header_rows])  # a fresh page, under the header
        keep = [(a, b) for a, b in groups if sum(heights[a : b + 1]) <= room]
    if bold_last_row and len(rows) > header_rows + 1:
        keep.append((len(rows) - 2, len(rows) - 1))
    for first, last in keep:
        if header_rows <= first < last < len(rows):
            table.setStyle([("NOSPLIT", (0, first), (-1, last))])
    return table
