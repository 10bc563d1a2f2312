"""The deployment plan as an interactive web map (folium/Leaflet), served without any CDN.

Built as every map document is (observer_suite/util/folium_map.py): folium renders a skeleton of
code-written parts (bases, routes and stations as numbers and our class names), and every
name a user typed (team codes, base, station and area names) travels as data that
static/js/maps/map-labels.js binds as DOM text. folium.Popup needs jQuery, so details go into
tooltips, which Leaflet also opens on tap.
"""

from collections.abc import Callable

from observer_suite.deployment.travel import known_point
from observer_suite.deployment.types import PlanDocument, RouteRow, TeamSheet
from observer_suite.util.folium_map import Line, MapDocument, MapPage, fit
from observer_suite.util.formatting import fmt_coords, valid_point
from observer_suite.util.geo import clean_geojson, polygons
from observer_suite.util.palette import TEAM_COLOURS, team_colour, team_colour_index

KIND_LABEL = {"opening": "opening", "visit": "visit", "closing": "closing"}


def _style_block() -> str:
    """Classes for team colours: inline style attributes would need 'unsafe-inline' CSS."""
    rules = [
        ".os-base{border:2px solid #1b1f24;border-radius:2px;box-sizing:border-box}",
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
) -> MapPage:
    """A standalone HTML page with the plan's map; `asset_url` maps a static path to a URL.

    Without `tiles_url` the map has no background tiles (no network use at all); the page then
    shows region boundaries, bases, routes and stations on a plain background.
    """
    page = MapDocument(asset_url, tiles_url=tiles_url, attribution=tiles_attribution)
    page.add_head(_style_block(), "observer_suite_css")
    points = _add_boundaries(page, doc)
    for index, team in enumerate(doc.teams):
        points += _add_team(page, team, index)
    page.layer_control(collapsed=len(doc.teams) > 8)
    fit(page, points)
    return page.render()


def _add_boundaries(page: MapDocument, doc: PlanDocument) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    if not doc.boundaries:
        return points
    folium = page.folium
    group = folium.FeatureGroup(name="regions", control=False)
    for name, geometry in doc.boundaries:
        parts = polygons(geometry)
        if not parts:
            continue
        points += [p for polygon in parts for p in polygon[0]]
        outline = folium.GeoJson(
            clean_geojson(parts),
            style_function=lambda _feature: {
                "color": "#59636e",
                "weight": 1.5,
                "fillColor": "#9fb3c8",
                "fillOpacity": 0.12,
            },
            zoom_on_click=False,
        ).add_to(group)
        page.tooltip(outline, [name])
    group.add_to(page.map)
    page.overlay(group, "Region boundaries", "os-region")
    return points


def _station_tooltip(team: TeamSheet, row: RouteRow) -> list[Line]:
    kind = KIND_LABEL.get(row.kind, row.kind)
    arrival = f"planned arrival {row.arrival}" if row.arrival else "no planned arrival"
    return [
        (row.station_code, row.station_name),
        row.area_name,
        f"Team {team.code} \u00b7 stop {row.position} ({kind})",
        arrival,
        fmt_coords(row.lat, row.lon),
    ]


def _add_team(page: MapDocument, team: TeamSheet, index: int) -> list[tuple[float, float]]:
    folium = page.folium
    colour, slot = team_colour(index), team_colour_index(index)
    group = folium.FeatureGroup(name=f"team{index}", control=False)
    route: list[tuple[float, float]] = []  # (lat, lon), Leaflet's order
    if valid_point(team.base_lat, team.base_lon):
        route.append(known_point(team.base_lat, team.base_lon))
        base = folium.Marker(
            route[0],
            icon=folium.DivIcon(
                icon_size=(14, 14), icon_anchor=(7, 7), class_name=f"os-base os-team-{slot}"
            ),
        ).add_to(group)
        page.tooltip(
            base,
            [
                (f"Team {team.code}", "base"),
                team.base_name,
                f"{len(team.rows)} stations \u00b7 {team.travel_km:,.1f} km",
            ],
        )
    stops = [r for r in sorted(team.rows, key=lambda r: r.position) if valid_point(r.lat, r.lon)]
    route += [known_point(row.lat, row.lon) for row in stops]
    if len(route) >= 2:  # under the markers, so they stay clickable
        line = folium.PolyLine(route, color=colour, weight=2.5, opacity=0.75).add_to(group)
        page.tooltip(line, [f"Team {team.code} route"])
    for row in stops:
        end = row.kind in ("opening", "closing")  # outlined: where the day starts and ends
        stop = folium.CircleMarker(
            known_point(row.lat, row.lon),
            radius=6 if end else 4.5,
            color="#1b1f24" if end else colour,
            weight=1.5 if end else 1,
            fill=True,
            fill_color=colour,
            fill_opacity=0.9,
        ).add_to(group)
        page.tooltip(stop, _station_tooltip(team, row))
    group.add_to(page.map)
    page.overlay(group, f"Team {team.code}", f"os-swatch os-team-{slot}")
    return [(lon, lat) for lat, lon in route]
