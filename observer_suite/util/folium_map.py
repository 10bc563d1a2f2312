"""Map documents: a folium skeleton that holds only what this code wrote, and user text as data.

folium renders each element's output through Jinja2 a second time (branca's MacroElement wraps
it in a new Element, which compiles the string as a template), so any text handed to folium is
template source: an incident titled `{{ 7*7 }}` would print 49, and worse. A map document is
therefore built in two steps. folium renders a skeleton from code-written parts only: the map,
geometry as validated numbers, our own class names and links. Every user string (tooltips,
layer names, legend titles, the tile URL and its attribution, incident data) is inserted into
the rendered skeleton afterwards as a `<script type="application/json">` block, which no
template engine sees and browsers never run; static/js/maps/map-labels.js binds it with
textContent. The CSP hashes are taken from the skeleton, so they admit only what we wrote.
"""

import base64
import hashlib
import html
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from observer_suite.util.formatting import clean
from observer_suite.util.geo import bounds, clean_geojson, polygons

if TYPE_CHECKING:  # folium (and branca) load on first use, not with the app
    from branca.element import Figure

AssetUrl = Callable[[str], str]
LEAFLET_JS = "vendor/leaflet/leaflet.js"
LEAFLET_CSS = "vendor/leaflet/leaflet.css"
LABELS_JS = "js/maps/map-labels.js"
MAPS_CSS = "js/maps/maps.css"
FAVICON = "favicon.svg"
LABELS_ID = "map-labels"
_PAD_DEG = 0.02  # so a single point does not zoom to street level
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.S | re.I)
_NOT_JS = re.compile(r"""\b(src\s*=|type\s*=\s*["']?application/json)""", re.I)
_TEMPLATE_MARK = re.compile(r"\{[{%#]")
_JSON_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)

# A tooltip line is plain text, or (bold, rest) for a line that starts with a bold part.
Line = str | tuple[str, str]


@dataclass(frozen=True)
class MapPage:
    """The document and the CSP hashes of the inline scripts and styles the code wrote."""

    html: str
    script_hashes: tuple[str, ...]
    style_hashes: tuple[str, ...]


def _code(html: str) -> str:
    """The skeleton's HTML is template source for folium: refuse anything that could act."""
    if _TEMPLATE_MARK.search(html):
        raise ValueError("template syntax in map skeleton HTML")
    return html


def _text(value: object, limit: int = 500) -> str:
    return clean(value)[:limit]


def _line(line: Line) -> str | list[str]:
    return [_text(line[0]), _text(line[1])] if isinstance(line, tuple) else _text(line)


def json_script(element_id: str, data: object) -> str:
    """A JSON data block that no string inside can end early.

    ASCII-only, so a lone surrogate from a database cannot make the response unencodable.
    """
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=True).translate(_JSON_ESCAPES)
    return f'<script type="application/json" id="{element_id}">{text}</script>'


class MapDocument:
    """A folium map and, kept apart from it until the skeleton is rendered, its user text."""

    def __init__(
        self,
        asset_url: AssetUrl,
        *,
        tiles_url: str | None = None,
        attribution: str = "",
        scripts: Iterable[str] = (),
        styles: Iterable[str] = (),
    ):
        import folium  # here, not at import time: app start does not pay for it

        self._folium = folium
        self.asset_url = asset_url
        self.map = folium.Map(
            tiles=None, prefer_canvas=True, control_scale=True, zoom_start=2, maxZoom=18
        )
        self.map.default_js = [("leaflet", asset_url(LEAFLET_JS))] + [
            (f"js{i}", asset_url(path)) for i, path in enumerate(scripts)
        ]
        self.map.default_css = [("leaflet_css", asset_url(LEAFLET_CSS))] + [
            (f"css{i}", asset_url(path)) for i, path in enumerate([*styles, MAPS_CSS])
        ]
        icon = html.escape(asset_url(FAVICON), quote=True)  # else browsers ask for /favicon.ico
        self.add_head(f'<link rel="icon" href="{icon}">', "favicon")
        self.labels: dict = {
            "map": self.map.get_name(),
            "tiles": {"url": tiles_url, "attribution": _text(attribution)} if tiles_url else None,
            "tooltips": [],
            "overlays": [],
            "texts": {},
            "control": None,
        }
        self._blocks: list[tuple[str, object]] = []
        self.add_script(LABELS_JS)

    @property
    def folium(self):
        return self._folium

    # Skeleton: code-written HTML only. Never pass user text to these.
    def add_head(self, html: str, name: str) -> None:
        self._root().header.add_child(self._folium.Element(_code(html)), name=name)

    def add_body(self, html: str, name: str) -> None:
        self._root().html.add_child(self._folium.Element(_code(html)), name=name)

    def _root(self) -> "Figure":
        """The page around the map: a folium Map's root is always a branca Figure."""
        return cast("Figure", self.map.get_root())

    def add_script(self, path: str) -> None:
        """Our own script, deferred: it runs after folium's inline script has made the map."""
        src = html.escape(self.asset_url(path), quote=True)
        self.add_head(f'<script defer src="{src}"></script>', f"defer_{path}")

    # User text: recorded as data, bound in the browser by map-labels.js.
    def tooltip(self, layer, lines: Sequence[Line]) -> None:
        self.labels["tooltips"].append([layer.get_name(), [_line(line) for line in lines]])

    def overlay(self, layer, label: str, swatch: str = "") -> None:
        """An entry for `layer` in the layer control, with an optional swatch class."""
        self.labels["overlays"].append([layer.get_name(), _text(label, 120), swatch])

    def layer_control(self, collapsed: bool) -> None:
        self.labels["control"] = {"collapsed": collapsed}

    def text(self, key: str, value: str) -> None:
        """Text for the skeleton's element marked data-os-text="key"."""
        self.labels["texts"][key] = _text(value)

    def data(self, element_id: str, payload: object) -> None:
        """Another JSON block, for a page script of its own."""
        self._blocks.append((element_id, payload))

    def render(self) -> MapPage:
        skeleton = self.map.get_root().render()
        blocks = [json_script(LABELS_ID, self.labels)]
        blocks += [json_script(element_id, payload) for element_id, payload in self._blocks]
        head, sep, rest = skeleton.partition("</head>")
        if not sep:  # folium always writes one; refuse to guess where data could go
            raise RuntimeError("map skeleton has no </head>")
        return MapPage(
            html=head + "".join(blocks) + sep + rest,
            script_hashes=tuple(script_hashes(skeleton)),
            style_hashes=tuple(style_hashes(skeleton)),
        )


def boundary_style(_shape) -> dict:
    return {"color": "#59636e", "weight": 1.2, "fillColor": "#9fb3c8", "fillOpacity": 0.08}


def add_boundaries(
    doc: MapDocument,
    shapes: list,
    *,
    style: Callable[[Any], dict] | None = None,
    tooltip: Callable[[Any], Sequence[Line]] | None = None,
) -> tuple[list[tuple[float, float]], Any]:
    """Each area's outline, as one layer; tooltips (the area's name by default) as data.

    Returns the (lon, lat) points, for bounds, and the layer (or None).
    """
    points: list[tuple[float, float]] = []
    if not shapes:
        return points, None
    folium = doc.folium
    group = folium.FeatureGroup(name="boundaries", control=False)
    for shape in shapes:
        parts = polygons(shape.geometry)
        if not parts:
            continue
        points += [p for polygon in parts for p in polygon[0]]
        area_style = style(shape) if style else boundary_style(shape)
        outline = folium.GeoJson(
            clean_geojson(parts),
            style_function=lambda _f, s=area_style: s,
            zoom_on_click=False,
        ).add_to(group)
        doc.tooltip(outline, tooltip(shape) if tooltip else [shape.name])
    group.add_to(doc.map)
    return points, group


def fit(doc: MapDocument, points: list[tuple[float, float]]) -> None:
    """Zoom to (lon, lat) points with a margin, so a single point is not street level."""
    extent = bounds(points)
    if extent is not None:
        west, south, east, north = extent
        doc.map.fit_bounds(
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
