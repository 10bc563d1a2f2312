"""The findings choropleth: areas shaded by an indicator's share, grey hatching for no data.

Pure: AreaFinding rows and boundary shapes in, an HTML document out. Fixed class breaks
(rather than quantiles) so the same colour means the same share on every map and report.
"""

import itertools

from observer_suite.maps.boundaries import AreaShape
from observer_suite.maps.findings import AreaFinding
from observer_suite.util.folium_map import AssetUrl, Line, MapDocument, MapPage, add_boundaries, fit

BREAKS = (0.05, 0.10, 0.20, 0.40)  # upper bounds of the first four classes
COLOURS = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")  # as in maps.css
NO_DATA = "#c8ccd1"


def format_share(share: float | None) -> str:
    return "no data" if share is None else f"{100 * share:.1f}%"


def share_class(share: float | None) -> int | None:
    """0–4 by BREAKS, None for no data."""
    if share is None:
        return None
    return next((i for i, bound in enumerate(BREAKS) if share < bound), len(BREAKS))


def class_labels() -> list[str]:
    bounds = [0.0, *BREAKS, 1.0]
    return [
        f"{100 * low:.0f}–{100 * high:.0f}%" if i < len(BREAKS) else f"{100 * low:.0f}% or more"
        for i, (low, high) in enumerate(itertools.pairwise(bounds))
    ]


def tooltip_lines(finding: AreaFinding) -> list[Line]:
    """Tooltip text: name in bold, share, n of N (or no data)."""
    name = (finding.name, "")
    if finding.share is None:
        return [name, "no data (no observations)"]
    return [
        name,
        f"{format_share(finding.share)} "
        f"({finding.matching:,} of {finding.observed:,} observations)",
    ]


def _legend() -> str:
    """Code-written legend; its title is user text, filled in by map-labels.js."""
    rows = [
        f'<div class="os-legend-row"><span class="os-swatch os-class-{i}"></span>{label}</div>'
        for i, label in enumerate(class_labels())
    ]
    rows.append(
        '<div class="os-legend-row"><span class="os-swatch os-no-data"></span>no data</div>'
    )
    return (
        '<div class="os-legend os-legend-findings"><strong data-os-text="legend-title"></strong>'
        + "".join(rows)
        + "</div>"
    )


def render_findings_map(
    rows: list[AreaFinding],
    shapes: list[AreaShape],
    asset_url: AssetUrl,
    *,
    title: str,
    tiles_url: str | None = None,
    attribution: str = "",
) -> MapPage:
    """The choropleth document; areas without a boundary are simply not drawn."""
    by_area = {row.area_id: row for row in rows}
    doc = MapDocument(asset_url, tiles_url=tiles_url, attribution=attribution)

    def style(shape: AreaShape) -> dict:
        row = by_area.get(shape.area_id)
        klass = share_class(row.share if row else None)
        if klass is None:
            return {"color": "#4b5563", "weight": 1, "fillColor": NO_DATA, "fillOpacity": 0.55,
                    "dashArray": "3 3"}  # fmt: skip
        return {"color": "#4b5563", "weight": 1, "fillColor": COLOURS[klass], "fillOpacity": 0.8}

    def tooltip(shape: AreaShape) -> list[Line]:
        row = by_area.get(shape.area_id)
        empty = AreaFinding(shape.area_id, shape.name, shape.code, 0, 0, None)
        return tooltip_lines(row or empty)

    drawn = [s for s in shapes if s.area_id in by_area]
    points, _layer = add_boundaries(doc, drawn, style=style, tooltip=tooltip)
    doc.add_body(_legend(), "findings_legend")
    doc.text("legend-title", title)
    fit(doc, points)
    return doc.render()
