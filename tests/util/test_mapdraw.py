"""The vector map: fits its box, keeps proportions, copes with missing data."""

from reportlab.graphics.shapes import Circle, Path, PolyLine, Rect, String

from observer_suite.util.mapdraw import (
    LegendItem,
    MapArea,
    MapLine,
    MapMarker,
    draw_map,
)
from observer_suite.util.pdf_fonts import HELVETICA


def _shapes(drawing, kind):
    return [s for s in drawing.contents if isinstance(s, kind)]


def test_nothing_to_draw_gives_none():
    assert draw_map(400, 300, HELVETICA) is None
    assert draw_map(400, 300, HELVETICA, areas=[MapArea([])], lines=[MapLine([], "#000")]) is None


def test_fits_width_and_max_height_with_legend():
    ring = [(0.0, 0.0), (10.0, 0.0), (10.0, 40.0), (0.0, 40.0)]  # tall
    legend = [LegendItem(f"item {i}", "#123456", "dot") for i in range(30)]  # wraps
    drawing = draw_map(400, 300, HELVETICA, areas=[MapArea([[ring]], "R")], legend=legend)
    assert drawing.width == 400 and drawing.height <= 300
    for x0, y0, x1, y1 in [p.getBounds() for p in _shapes(drawing, Path)]:
        assert 0 <= x0 <= x1 <= 400 and 0 <= y0 <= y1 <= drawing.height


def test_longitude_is_scaled_by_cos_latitude():
    # One degree by one degree at 60°N is twice as tall as it is wide.
    square = [(10.0, 59.5), (11.0, 59.5), (11.0, 60.5), (10.0, 60.5)]
    drawing = draw_map(400, 1000, HELVETICA, areas=[MapArea([[square]])])
    x0, y0, x1, y1 = _shapes(drawing, Path)[0].getBounds()
    assert abs((y1 - y0) / (x1 - x0) - 2.0) < 0.05


def test_markers_lines_and_a_single_point():
    markers = [
        MapMarker(7.0, 9.0, "#ff0000", "dot", 2),
        MapMarker(7.1, 9.1, "#00ff00", "square", 3, label="<T1>"),
    ]
    line = MapLine([(7.0, 9.0), (7.1, 9.1)], "#0000ff")
    drawing = draw_map(300, 300, HELVETICA, lines=[line], markers=markers)
    assert len(_shapes(drawing, Circle)) == 1
    assert len(_shapes(drawing, PolyLine)) == 1
    assert [s.text for s in _shapes(drawing, String)] == ["<T1>"]  # canvas text: literal
    assert len(_shapes(drawing, Rect)) == 2  # frame + base
    single = draw_map(300, 300, HELVETICA, markers=[MapMarker(7.0, 9.0, "#000000")])
    (dot,) = _shapes(single, Circle)
    assert 0 < dot.cx < 300 and 0 < dot.cy < single.height
