"""Bar charts for the election-day PDF, drawn with reportlab.graphics shapes.

Drawn by hand rather than with reportlab's chart classes so long indicator labels can sit left
of the bars (truncated to fit), every bar carries its value, and "no data" never shows as 0 %.
"""

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from observer_suite.util.formatting import clean, truncate
from observer_suite.util.mapdraw import shape_style
from observer_suite.util.pdf_fonts import FontSet

BAR_COLOUR = "#3b6ea5"
ASSESSMENT_COLOURS = ("#1a7f37", "#8cc084", "#f0a04b", "#b3261e")  # very good … very bad
GRID = colors.HexColor("#c9d1d9")
MUTED = colors.HexColor("#59636e")
_ROW = 13.0
_SIZE = 7.0


def share_bars(
    rows: Sequence[tuple[str, float | None, str]],
    width: float,
    fonts: FontSet,
    colour: str = BAR_COLOUR,
) -> Drawing:
    """One horizontal bar per (label, share 0..1 or None, value text), on a 0–100 % axis."""
    label_w = min(0.42 * width, max(stringWidth(clean(r[0]), fonts.regular, _SIZE) for r in rows))
    value_w = max(stringWidth(clean(r[2]), fonts.regular, _SIZE) for r in rows) + 6
    bar_x = label_w + 6
    bar_w = max(width - bar_x - value_w, 40)
    height = len(rows) * _ROW + 12
    drawing = Drawing(width, height)
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = bar_x + tick * bar_w
        drawing.add(Line(x, 10, x, height, **shape_style(strokeColor=GRID, strokeWidth=0.3)))
        drawing.add(
            String(
                x,
                2,
                f"{int(tick * 100)}%",
                fontName=fonts.regular,
                fontSize=5.5,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    for index, (label, share, value) in enumerate(rows):
        y = height - (index + 1) * _ROW
        text = truncate(clean(label), fonts.regular, _SIZE, label_w)
        drawing.add(String(0, y + 3, text, fontName=fonts.regular, fontSize=_SIZE))
        length = 0.0 if share is None else max(0.0, min(1.0, share)) * bar_w
        if length:
            drawing.add(
                Rect(
                    bar_x,
                    y + 1,
                    length,
                    _ROW - 4,
                    **shape_style(fillColor=colors.HexColor(colour), strokeColor=None),
                )
            )
        drawing.add(
            String(
                bar_x + length + 3,
                y + 3,
                clean(value),
                fontName=fonts.regular,
                fontSize=_SIZE,
                fillColor=MUTED if share is None else colors.black,
            )
        )
    return drawing


def stacked_bars(
    rows: Sequence[tuple[str, Sequence[int]]],
    scale_labels: Sequence[str],
    width: float,
    fonts: FontSet,
    palette: Sequence[str] = ASSESSMENT_COLOURS,
) -> Drawing:
    """100 % stacked bars, one per (label, counts aligned with the scale), with a legend."""
    label_w = min(0.3 * width, max(stringWidth(clean(r[0]), fonts.regular, _SIZE) for r in rows))
    bar_x = label_w + 6
    bar_w = max(width - bar_x - 4, 40)
    legend_h = 14.0
    height = len(rows) * _ROW + legend_h
    drawing = Drawing(width, height)
    x = bar_x
    for index, label in enumerate(scale_labels):
        colour = colors.HexColor(palette[index % len(palette)])
        drawing.add(Rect(x, 3, 8, 6, **shape_style(fillColor=colour, strokeColor=None)))
        drawing.add(String(x + 11, 3, clean(label), fontName=fonts.regular, fontSize=_SIZE))
        x += 11 + stringWidth(clean(label), fonts.regular, _SIZE) + 10
    for index, (label, counts) in enumerate(rows):
        y = height - (index + 1) * _ROW
        text = truncate(clean(label), fonts.regular, _SIZE, label_w)
        drawing.add(String(0, y + 3, text, fontName=fonts.regular, fontSize=_SIZE))
        total = sum(counts)
        if not total:
            drawing.add(
                Rect(
                    bar_x,
                    y + 1,
                    bar_w,
                    _ROW - 4,
                    **shape_style(fillColor=None, strokeColor=GRID, strokeWidth=0.5),
                )
            )
            continue
        x = bar_x
        for slot, count in enumerate(counts):
            part = bar_w * count / total
            if part > 0:
                colour = colors.HexColor(palette[slot % len(palette)])
                drawing.add(
                    Rect(
                        x, y + 1, part, _ROW - 4, **shape_style(fillColor=colour, strokeColor=None)
                    )
                )
            x += part
    return drawing
