"""Vector maps for PDF reports, drawn with reportlab.graphics.

A printed overview must not depend on tile servers or network access, and vectors stay sharp
at any zoom. The projection is equirectangular with longitudes scaled by cos(latitude) at the
centre: accurate enough at the scale of one country, and trivial to reason about.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.shapes import (
    # reportlab has it; the reportlab stub bundled with pyright leaves it out
    FILL_EVEN_ODD,  # pyright: ignore[reportAttributeAccessIssue]
    Circle,
    Drawing,
    Line,
    Path,
    PolyLine,
    Rect,
    String,
)
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from observer_suite.util.checked import present
from observer_suite.util.formatting import clean, shorten
from observer_suite.util.geo import LonLat, Polygon, bounds
from observer_suite.util.pdf_fonts import FontSet

MIN_EXTENT_DEG = 0.05  # a single point still gets a few km of context
PAD = 6.0
LEGEND_ROW = 12.0
_LABEL_SIZE = 6.0


def shape_style(**style: Any) -> dict[str, Any]:
    """A reportlab shape's keyword arguments (fillColor, strokeColor, strokeWidth…), passed as
    **shape_style(…). The reportlab stubs bundled with pyright annotate every shape's **kw as
    the TypedDict itself rather than Unpack[…], so each keyword written out fails the type
    check though reportlab takes it; reportlab checks the values itself when drawing."""
    return style


@dataclass
class MapArea:
    polygons: list[Polygon]
    label: str = ""
    fill: str = "#eef2f6"
    stroke: str = "#8a96a3"


@dataclass
class MapLine:
    points: list[LonLat]
    colour: str
    width: float = 0.8


@dataclass
class MapMarker:
    lon: float
    lat: float
    colour: str
    shape: str = "dot"  # "dot" | "square"
    size: float = 2.0  # radius / half side, in points
    label: str = ""


@dataclass
class LegendItem:
    label: str
    colour: str
    shape: str  # "dot" | "square" | "line" | "area"


class _Projection:
    def __init__(self, box: tuple[float, float, float, float], extent) -> None:
        west, south, east, north = extent
        self.k = max(math.cos(math.radians((south + north) / 2)), 0.05)
        self.cx, self.cy = (west + east) / 2, (south + north) / 2
        geo_w = max((east - west) * self.k, MIN_EXTENT_DEG)
        geo_h = max(north - south, MIN_EXTENT_DEG)
        x, y, w, h = box
        self.scale = min(w / geo_w, h / geo_h)
        self.x0, self.y0 = x + w / 2, y + h / 2

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            self.x0 + (lon - self.cx) * self.k * self.scale,
            self.y0 + (lat - self.cy) * self.scale,
        )


def _aspect(extent) -> float:
    """Height / width of the projected extent."""
    west, south, east, north = extent
    k = max(math.cos(math.radians((south + north) / 2)), 0.05)
    return max(north - south, MIN_EXTENT_DEG) / max((east - west) * k, MIN_EXTENT_DEG)


def _thin(points: list[tuple[float, float]], tolerance: float = 0.4):
    """Drop vertices closer than `tolerance` points to the last kept one (file size, speed)."""
    kept = [points[0]]
    for x, y in points[1:]:
        if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= tolerance:
            kept.append((x, y))
    return kept


def _legend_rows(items: Sequence[LegendItem], width: float, font: str) -> list[list]:
    rows: list[list] = [[]]
    x = PAD
    for item in items:
        item_w = 14 + stringWidth(clean(item.label), font, 7) + 10
        if rows[-1] and x + item_w > width - PAD:
            rows.append([])
            x = PAD
        rows[-1].append((x, item))
        x += item_w
    return rows if rows[0] else []


def _legend_symbol(drawing: Drawing, x: float, y: float, item: LegendItem) -> None:
    colour = colors.HexColor(item.colour)
    if item.shape == "line":
        drawing.add(
            Line(x, y + 3, x + 10, y + 3, **shape_style(strokeColor=colour, strokeWidth=1.5))
        )
    elif item.shape == "square":
        drawing.add(Rect(x + 2, y, 6, 6, **shape_style(fillColor=colour, strokeColor=colors.black)))
    elif item.shape == "area":
        drawing.add(Rect(x, y, 10, 6, **shape_style(fillColor=colour, strokeColor=colors.grey)))
    else:
        drawing.add(Circle(x + 5, y + 3, 2.5, **shape_style(fillColor=colour, strokeColor=None)))


def draw_map(
    width: float,
    max_height: float,
    fonts: FontSet,
    areas: Sequence[MapArea] = (),
    lines: Sequence[MapLine] = (),
    markers: Sequence[MapMarker] = (),
    legend: Sequence[LegendItem] = (),
) -> Drawing | None:
    """A map fitted into `width` x at most `max_height`; None when nothing has coordinates."""
    points: list[LonLat] = [(m.lon, m.lat) for m in markers]
    points += [p for line in lines for p in line.points]
    points += [p for a in areas for polygon in a.polygons for p in polygon[0]]
    extent = bounds(points)
    if extent is None:
        return None
    rows = _legend_rows(legend, width, fonts.regular)
    legend_h = len(rows) * LEGEND_ROW + (4 if rows else 0)
    inner_w = width - 2 * PAD
    map_h = min(max_height - legend_h, inner_w * _aspect(extent) + 2 * PAD)
    project = _Projection((PAD, legend_h + PAD, inner_w, map_h - 2 * PAD), extent)
    drawing = Drawing(width, map_h + legend_h)
    drawing.add(
        Rect(
            0,
            legend_h,
            width,
            map_h,
            **shape_style(fillColor=None, strokeColor=colors.HexColor("#c9d1d9")),
        )
    )
    _draw_areas(drawing, areas, project, fonts)
    _draw_lines(drawing, lines, project)
    _draw_markers(drawing, markers, project, fonts)
    for row_index, row in enumerate(rows):
        y = legend_h - (row_index + 1) * LEGEND_ROW + 2
        for x, item in row:
            _legend_symbol(drawing, x, y, item)
            drawing.add(String(x + 14, y, clean(item.label), fontName=fonts.regular, fontSize=7))
    return drawing


def _draw_areas(drawing: Drawing, areas: Sequence[MapArea], project, fonts: FontSet) -> None:
    """Area polygons (holes by the even-odd rule), then their names above all of them."""
    labels = []
    for area in areas:
        path = Path(
            **shape_style(
                fillColor=colors.HexColor(area.fill),
                strokeColor=colors.HexColor(area.stroke),
                strokeWidth=0.5,
                fillMode=FILL_EVEN_ODD,
            )
        )
        for polygon in area.polygons:
            for ring in polygon:
                xy = _thin([project(lon, lat) for lon, lat in ring])
                if len(xy) < 3:
                    continue
                path.moveTo(*xy[0])
                for x, y in xy[1:]:
                    path.lineTo(x, y)
                path.closePath()
        drawing.add(path)
        if area.label and area.polygons:
            ring = max((p[0] for p in area.polygons), key=len)
            w, s, e, n = present(bounds(ring))  # a polygon's outer ring has points
            labels.append((project((w + e) / 2, (s + n) / 2), shorten(clean(area.label), 40)))
    for (x, y), text in labels:
        drawing.add(
            String(
                x,
                y,
                text,
                fontName=fonts.regular,
                fontSize=_LABEL_SIZE,
                fillColor=colors.HexColor("#59636e"),
                textAnchor="middle",
            )
        )


def _draw_lines(drawing: Drawing, lines: Sequence[MapLine], project) -> None:
    for line in lines:
        if len(line.points) >= 2:
            flat = [c for lon, lat in line.points for c in project(lon, lat)]
            drawing.add(
                PolyLine(
                    flat,
                    **shape_style(
                        strokeColor=colors.HexColor(line.colour),
                        strokeWidth=line.width,
                        strokeLineJoin=1,
                    ),
                )
            )


def _draw_markers(drawing: Drawing, markers: Sequence[MapMarker], project, fonts: FontSet) -> None:
    # Dots first, squares (bases) on top, labels last so nothing hides them.
    for marker in sorted(markers, key=lambda m: m.shape == "square"):
        x, y = project(marker.lon, marker.lat)
        colour = colors.HexColor(marker.colour)
        if marker.shape == "square":
            s = marker.size
            drawing.add(
                Rect(
                    x - s,
                    y - s,
                    2 * s,
                    2 * s,
                    **shape_style(fillColor=colour, strokeColor=colors.black, strokeWidth=0.6),
                )
            )
        else:
            drawing.add(
                Circle(x, y, marker.size, **shape_style(fillColor=colour, strokeColor=None))
            )
    for marker in markers:
        if marker.label:
            x, y = project(marker.lon, marker.lat)
            drawing.add(
                String(
                    x + marker.size + 1.5,
                    y + marker.size,
                    shorten(clean(marker.label), 40),
                    fontName=fonts.bold,
                    fontSize=_LABEL_SIZE,
                )
            )
