"""What every map document shares: a folium map on local Leaflet, boundaries, JSON data.

Like deployment/mapview.py: folium's CDN links are replaced by the suite's own static files,
user text reaches folium only escaped, and geometry only as validated numbers. Data for our
own scripts travels in a `<script type="application/json">` block, which browsers never run,
so it needs no CSP hash, and `<`, `>`, `&` are escaped so no text can close the block.
"""

import base64
import hashlib
import json
import re
from collections.abc import Callable, Iterable

import folium

from observer_suite.deployment.mapview import FAVICON, LEAFLET_CSS, LEAFLET_JS, escape_html
from observer_suite.maps.boundaries import AreaShape
from observer_suite.reporting.geo import bounds, clean_geojson, polygons

AssetUrl = Callable[[str], str]
MAPS_CSS = "js/maps/maps.css"
_PAD_DEG = 0.02
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.S | re.I)
_NOT_JS = re.compile(r"""\b(src\s*=|type\s*=\s*["']?application/json)""", re.I)
_JSON_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def base_map(
    asset_url: AssetUrl,
    *,
    tiles_url: str | None,
    attribution: str = "",
    scripts: Iterable[str] = (),
    styles: Iterable[str] = (),
) -> folium.Map:
    """An empty folium map whose scripts and styles all come from our static folder."""
    m = folium.Map(tiles=None, prefer_canvas=True, control_scale=True, zoom_start=2, maxZoom=18)
    m.default_js = [("leaflet", asset_url(LEAFLET_JS))] + [
        (f"js{i}", asset_url(path)) for i, path in enumerate(scripts)
    ]
    m.default_css = [("leaflet_css", asset_url(LEAFLET_CSS))] + [
        (f"css{i}", asset_url(path)) for i, path in enumerate([*styles, MAPS_CSS])
    ]
    icon = escape_html(asset_url(FAVICON))  # else browsers ask for /favicon.ico
    m.get_root().header.add_child(folium.Element(f'<link rel="icon" href="{icon}">'), "favicon")
    if tiles_url:
        folium.TileLayer(
            tiles=tiles_url,
            attr=escape_html(attribution) or "&nbsp;",
            name="Background",
            control=False,
            max_zoom=18,
        ).add_to(m)
    return m


def add_script(m: folium.Map, asset_url: AssetUrl, path: str) -> None:
    """Our own script, deferred: it runs after folium's inline script has made the map."""
    src = escape_html(asset_url(path))
    m.get_root().header.add_child(
        folium.Element(f'<script defer src="{src}"></script>'), name=f"defer_{path}"
    )


def json_script(element_id: str, data: object) -> str:
    """A JSON data block that no string inside can end early."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False).translate(_JSON_ESCAPES)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def add_html(m: folium.Map, html: str, name: str) -> None:
    m.get_root().html.add_child(folium.Element(html), name=name)


def boundary_style(_feature) -> dict:
    return {"color": "#59636e", "weight": 1.2, "fillColor": "#9fb3c8", "fillOpacity": 0.08}


def add_boundaries(
    m: folium.Map,
    shapes: list[AreaShape],
    *,
    group_name: str = "Boundaries",
    style: Callable[[AreaShape], dict] | None = None,
    tooltip: Callable[[AreaShape], str] | None = None,
) -> tuple[list[tuple[float, float]], str | None]:
    """Each area's outline with its (escaped) tooltip, as one layer.

    Returns the (lon, lat) points, for bounds, and the layer's JavaScript name (or None).
    """
    points: list[tuple[float, float]] = []
    if not shapes:
        return points, None
    group = folium.FeatureGroup(name=escape_html(group_name))
    for shape in shapes:
        parts = polygons(shape.geometry)
        if not parts:
            continue
        points += [p for polygon in parts for p in polygon[0]]
        area_style = style(shape) if style else boundary_style(None)
        folium.GeoJson(
            clean_geojson(parts),
            style_function=lambda _f, s=area_style: s,
            tooltip=folium.Tooltip(tooltip(shape) if tooltip else escape_html(shape.name)),
            zoom_on_click=False,
        ).add_to(group)
    group.add_to(m)
    return points, group.get_name()


def fit(m: folium.Map, points: list[tuple[float, float]]) -> None:
    """Zoom to (lon, lat) points with a margin, so a single point is not street level."""
    extent = bounds(points)
    if extent is not None:
        west, south, east, north = extent
        m.fit_bounds(
            [[south - _PAD_DEG, west - _PAD_DEG], [north + _PAD_DEG, east + _PAD_DEG]],
            padding=(12, 12),
        )


def _hash(body: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()


def script_hashes(page: str) -> list[str]:
    """Hashes of the inline scripts that run (JSON data blocks and src= scripts excluded)."""
    bodies = [body for attrs, body in _SCRIPT.findall(page) if not _NOT_JS.search(attrs)]
    return list(dict.fromkeys(_hash(b) for b in bodies))


def style_hashes(page: str) -> list[str]:
    return list(dict.fromkeys(_hash(b) for b in _STYLE.findall(page)))
