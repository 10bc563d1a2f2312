"""The deployment plan as an interactive web map (folium/Leaflet), served without any CDN.

Leaflet comes from the suite's own static files: folium's default CDN links (jQuery, Bootstrap,
Font Awesome) are replaced, so only folium features that need nothing but Leaflet are used
here. folium.Popup needs jQuery, so details go into tooltips, which Leaflet also opens on tap.

Tooltip and layer names are HTML that folium places inside JavaScript template literals, so
user text is escaped for both (see `escape_html`). Boundaries are rebuilt from validated
coordinates so nothing else from imported GeoJSON reaches the script block.
"""

import base64
import hashlib
import html
import re
from collections.abc import Callable

import folium

from observer_suite.deployment.types import PlanDocument, RouteRow, TeamSheet
from observer_suite.reporting.geo import bounds, clean_geojson, polygons
from observer_suite.reporting.palette import TEAM_COLOURS, team_colour, team_colour_index
from observer_suite.reporting.text import clean, fmt_coords, valid_point

LEAFLET_JS = "vendor/leaflet/leaflet.js"
LEAFLET_CSS = "vendor/leaflet/leaflet.css"
FAVICON = "favicon.svg"
KIND_LABEL = {"opening": "opening", "visit": "visit", "closing": "closing"}
_PAD_DEG = 0.02  # so a single point does not zoom to street level
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.S | re.I)
_SRC = re.compile(r"\bsrc\s*=", re.I)


def escape_html(value: object) -> str:
    """HTML-escape text bound for a folium tooltip or layer name.

    html.escape covers the HTML side. folium writes tooltips into JS template literals, where
    a backtick ends the string, "${" starts code and a stray backslash is a syntax error, so
    those become character references too (they display unchanged).
    """
    text = html.escape(clean(value), quote=True)
    return text.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def _lines(*parts: str) -> str:
    return "<br>".join(p for p in parts if p)


def _style_block() -> str:
    """Classes for team colours: inline style attributes would need 'unsafe-inline' CSS."""
    rules = [
        ".os-base{border:2px solid #1b1f24;border-radius:2px;box-sizing:border-box}",
        ".os-swatch{display:inline-block;width:10px;height:10px;margin:0 4px 0 2px;"
        "border-radius:2px;vertical-align:-1px}",
        ".os-region{display:inline-block;width:10px;height:10px;margin:0 4px 0 2px;"
        "border:1px solid #59636e;background:#eef2f6;vertical-align:-1px}",
    ]
    rules += [f".os-team-{i}{{background:{c}}}" for i, c in enumerate(TEAM_COLOURS)]
    return "<style>" + "".join(rules) + "</style>"


def render_plan_map(
    doc: PlanDocument,
    asset_url: Callable[[str], str],
    *,
    tiles_url: str | None = None,
    tiles_attribution: str = "",
) -> str:
    """A standalone HTML page with the plan's map; `asset_url` maps a static path to a URL.

    Without `tiles_url` the map has no background tiles (no network use at all); the page then
    shows region boundaries, bases, routes and stations on a plain background.
    """
    m = folium.Map(tiles=None, prefer_canvas=True, control_scale=True, zoom_start=2)
    m.default_js = [("leaflet", asset_url(LEAFLET_JS))]
    m.default_css = [("leaflet_css", asset_url(LEAFLET_CSS))]
    header = m.get_root().header
    header.add_child(folium.Element(_style_block()), name="observer_suite_css")
    icon = html.escape(asset_url(FAVICON), quote=True)  # else browsers ask for /favicon.ico
    header.add_child(folium.Element(f'<link rel="icon" href="{icon}">'), name="favicon")
    if tiles_url:
        folium.TileLayer(
            tiles=tiles_url,
            attr=escape_html(tiles_attribution) or "&nbsp;",
            name="Background",
            control=False,
            max_zoom=18,
        ).add_to(m)
    points = _add_boundaries(m, doc)
    for index, team in enumerate(doc.teams):
        points += _add_team(m, team, index)
    folium.LayerControl(collapsed=len(doc.teams) > 8).add_to(m)
    extent = bounds(points)
    if extent is not None:
        west, south, east, north = extent
        m.fit_bounds(
            [[south - _PAD_DEG, west - _PAD_DEG], [north + _PAD_DEG, east + _PAD_DEG]],
            padding=(12, 12),
        )
    return m.get_root().render()


def _add_boundaries(m: folium.Map, doc: PlanDocument) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    if not doc.boundaries:
        return points
    group = folium.FeatureGroup(name='<span class="os-region"></span>Region boundaries')
    for name, geometry in doc.boundaries:
        parts = polygons(geometry)
        if not parts:
            continue
        points += [p for polygon in parts for p in polygon[0]]
        folium.GeoJson(
            clean_geojson(parts),
            style_function=lambda _feature: {
                "color": "#59636e",
                "weight": 1.5,
                "fillColor": "#9fb3c8",
                "fillOpacity": 0.12,
            },
            tooltip=folium.Tooltip(escape_html(name)),
            zoom_on_click=False,
        ).add_to(group)
    group.add_to(m)
    return points


def _station_tooltip(team: TeamSheet, row: RouteRow) -> str:
    kind = KIND_LABEL.get(row.kind, row.kind)
    arrival = f"planned arrival {row.arrival}" if row.arrival else "no planned arrival"
    return _lines(
        f"<b>{escape_html(row.station_code)}</b> {escape_html(row.station_name)}",
        escape_html(row.area_name),
        f"Team {escape_html(team.code)} \u00b7 stop {row.position} ({escape_html(kind)})",
        escape_html(arrival),
        escape_html(fmt_coords(row.lat, row.lon)),
    )


def _add_team(m: folium.Map, team: TeamSheet, index: int) -> list[tuple[float, float]]:
    colour, slot = team_colour(index), team_colour_index(index)
    code = escape_html(team.code)
    group = folium.FeatureGroup(name=f'<span class="os-swatch os-team-{slot}"></span>Team {code}')
    route: list[tuple[float, float]] = []  # (lat, lon), Leaflet's order
    if valid_point(team.base_lat, team.base_lon):
        route.append((team.base_lat, team.base_lon))
        folium.Marker(
            route[0],
            icon=folium.DivIcon(
                icon_size=(14, 14), icon_anchor=(7, 7), class_name=f"os-base os-team-{slot}"
            ),
            tooltip=folium.Tooltip(
                _lines(
                    f"<b>Team {code}</b> base",
                    escape_html(team.base_name),
                    f"{len(team.rows)} stations \u00b7 {team.travel_km:,.1f} km",
                )
            ),
        ).add_to(group)
    stops = [r for r in sorted(team.rows, key=lambda r: r.position) if valid_point(r.lat, r.lon)]
    route += [(row.lat, row.lon) for row in stops]
    if len(route) >= 2:  # under the markers, so they stay clickable
        folium.PolyLine(
            route,
            color=colour,
            weight=2.5,
            opacity=0.75,
            tooltip=folium.Tooltip(f"Team {code} route"),
        ).add_to(group)
    for row in stops:
        end = row.kind in ("opening", "closing")  # outlined: where the day starts and ends
        folium.CircleMarker(
            (row.lat, row.lon),
            radius=6 if end else 4.5,
            color="#1b1f24" if end else colour,
            weight=1.5 if end else 1,
            fill=True,
            fill_color=colour,
            fill_opacity=0.9,
            tooltip=folium.Tooltip(_station_tooltip(team, row)),
        ).add_to(group)
    group.add_to(m)
    return [(lon, lat) for lat, lon in route]


def _csp_hash(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def inline_script_hashes(page: str) -> list[str]:
    """The "sha256-…" hash of every inline <script> in `page`, in page order, no duplicates.

    The map page's scripts are generated per render, so a view serves it with script-src
    'self' plus these hashes instead of 'unsafe-inline'. CSP wants each one single-quoted:
    " ".join(f"'{h}'" for h in hashes).
    """
    bodies = [body for attrs, body in _SCRIPT.findall(page) if not _SRC.search(attrs)]
    return list(dict.fromkeys(_csp_hash(b) for b in bodies))


def inline_style_hashes(page: str) -> list[str]:
    """The "sha256-…" hash of every inline <style> block (folium sizes the map in them).

    The page has no style attributes, so style-src 'self' plus these (quoted) hashes suffices.
    """
    return list(dict.fromkeys(_csp_hash(b) for b in _STYLE.findall(page)))
