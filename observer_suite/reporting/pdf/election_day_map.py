"""The election-day map: areas shaded by one indicator, incident points coloured by severity.

The page must not grow with the data: beyond MAX_POINTS incident locations, points are
aggregated on a grid (one dot per cell and severity, sized by count) and the legend says so.
"""

import math
from collections import Counter
from collections.abc import Sequence

from observer_suite.errors import ServiceError
from observer_suite.reporting.statistics.election_day_stats import ElectionDayStats, IndicatorResult
from observer_suite.util.checked import present
from observer_suite.util.formatting import valid_point
from observer_suite.util.geo import bounds, polygons
from observer_suite.util.mapdraw import LegendItem, MapArea, MapMarker, draw_map
from observer_suite.util.pdf_fonts import FontSet
from observer_suite.util.pdf_wording import Texts

MAX_POINTS = 1500
GRID_CELLS = 60  # cells along the longer side of the points' extent
SEVERITY_COLOURS = {
    "low": "#4c8bd6",
    "medium": "#e3b21b",
    "high": "#e8702a",
    "critical": "#a50f15",
}
SHADES = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")  # 0–20 % … 80–100 %
NO_DATA = "#e5e5e5"
MAX_LABELLED_AREAS = 60


class UnknownIndicator(ServiceError):
    """No indicator with the key asked for."""


def choose_indicator(stats: ElectionDayStats, key: str | None) -> IndicatorResult | None:
    """The indicator named by `key`, else the first "bad or very bad" overall one, else the
    first; None when the mission defines none. An unknown key raises UnknownIndicator."""
    if key:
        for indicator in stats.indicators:
            if indicator.key == key:
                return indicator
        known = ", ".join(i.key for i in stats.indicators) or "none"
        raise UnknownIndicator(f"no indicator {key!r} (known: {known})", field="indicator")
    for indicator in stats.indicators:
        if set(indicator.answers) == {"bad", "very_bad"}:
            return indicator
    return stats.indicators[0] if stats.indicators else None


def shade(share: float | None) -> str:
    if share is None:
        return NO_DATA
    return SHADES[min(int(max(share, 0.0) * len(SHADES)), len(SHADES) - 1)]


def _points(
    raw: Sequence[tuple[float, float, str]],
) -> tuple[list[MapMarker], bool]:
    """Markers for the incident points; aggregated on a grid when there are many."""
    points = [(lat, lon, sev) for lat, lon, sev in raw if valid_point(lat, lon)]
    order = {s: i for i, s in enumerate(SEVERITY_COLOURS)}
    if len(points) <= MAX_POINTS:
        points.sort(key=lambda p: order.get(p[2], 0))  # critical drawn last, on top
        size = 1.8 if len(points) <= 300 else 1.2
        return [
            MapMarker(lon, lat, SEVERITY_COLOURS.get(sev, "#59636e"), "dot", size)
            for lat, lon, sev in points
        ], False
    west, south, east, north = present(bounds((lon, lat) for lat, lon, _ in points))
    step = max(east - west, north - south, 1e-6) / GRID_CELLS
    cells = Counter(
        (math.floor((lat - south) / step), math.floor((lon - west) / step), sev)
        for lat, lon, sev in points
    )
    markers = [
        MapMarker(
            west + (col + 0.5) * step,
            south + (row + 0.5) * step,
            SEVERITY_COLOURS.get(sev, "#59636e"),
            "dot",
            min(1.0 + 0.6 * math.sqrt(count), 6.0),
        )
        for (row, col, sev), count in sorted(cells.items(), key=lambda c: order.get(c[0][2], 0))
    ]
    return markers, True


def election_day_map(
    stats: ElectionDayStats,
    boundaries: dict[int, dict] | None,
    indicator: IndicatorResult | None,
    t: Texts,
    width: float,
    max_height: float,
    fonts: FontSet,
):
    """(Drawing or None, notes): the map and the sentences to print under it."""
    boundaries = boundaries or {}
    label = len(stats.areas) <= MAX_LABELLED_AREAS
    areas = []
    for index, area in enumerate(stats.areas):
        parts = polygons(boundaries.get(area.id))
        if not parts:
            continue
        share = indicator.areas[index].share if indicator else None
        areas.append(MapArea(parts, label=area.name if label else "", fill=shade(share)))
    markers, aggregated = _points(stats.incidents.points)
    legend = []
    notes = []
    if indicator and areas:
        step = 100 // len(SHADES)
        legend += [
            LegendItem(f"{i * step}\u2013{(i + 1) * step}%", colour, "area")
            for i, colour in enumerate(SHADES)
        ]
        legend.append(LegendItem(t("map_no_data"), NO_DATA, "area"))
        notes.append(t("map_shaded", indicator=indicator.label))
    legend += [
        LegendItem(t("map_points", severity=t.label("severities", s)), colour, "dot")
        for s, colour in SEVERITY_COLOURS.items()
    ]
    if aggregated:
        notes.append(t("map_aggregated", points=t.num(len(stats.incidents.points))))
    drawing = draw_map(width, max_height, fonts, areas, (), markers, legend)
    return drawing, notes
