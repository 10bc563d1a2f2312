"""Reading boundary geometries for maps.

Boundaries come from imported GeoJSON, so they are untrusted: only numbers that form valid
[lon, lat] positions survive, and nothing else from the input (no properties, no extra keys)
reaches a PDF or a script block.
"""

from collections.abc import Iterable

from observer_suite.util.formatting import valid_point

LonLat = tuple[float, float]
Ring = list[LonLat]
Polygon = list[Ring]  # outer ring first, then holes


def _position(value) -> LonLat | None:
    if not isinstance(value, list | tuple) or len(value) < 2:
        return None
    lon, lat = value[0], value[1]
    if isinstance(lon, bool) or isinstance(lat, bool):
        return None
    if not isinstance(lon, int | float) or not isinstance(lat, int | float):
        return None
    return (float(lon), float(lat)) if valid_point(lat, lon) else None


def _ring(value) -> Ring | None:
    if not isinstance(value, list | tuple):
        return None
    points = [p for p in (_position(v) for v in value) if p is not None]
    return points if len(points) >= 3 else None


def _polygon(value) -> Polygon | None:
    if not isinstance(value, list | tuple) or not value:
        return None
    outer = _ring(value[0])
    if outer is None:
        return None
    return [outer] + [r for r in (_ring(v) for v in value[1:]) if r is not None]


def polygons(geometry: object, _depth: int = 0) -> list[Polygon]:
    """The polygons of a GeoJSON Polygon, MultiPolygon, Feature or GeometryCollection."""
    if not isinstance(geometry, dict) or _depth > 3:
        return []
    kind = geometry.get("type")
    if kind == "Feature":
        return polygons(geometry.get("geometry"), _depth + 1)
    if kind in ("FeatureCollection", "GeometryCollection"):
        parts = geometry.get("features") or geometry.get("geometries") or []
        if not isinstance(parts, list):
            return []
        return [p for part in parts for p in polygons(part, _depth + 1)]
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        polygon = _polygon(coordinates)
        return [polygon] if polygon else []
    if kind == "MultiPolygon" and isinstance(coordinates, list | tuple):
        return [p for p in (_polygon(c) for c in coordinates) if p]
    return []


def clean_geojson(parts: list[Polygon]) -> dict:
    """A MultiPolygon geometry holding only the validated coordinates."""
    return {
        "type": "MultiPolygon",
        "coordinates": [[[list(p) for p in ring] for ring in polygon] for polygon in parts],
    }


def bounds(points: Iterable[LonLat]) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the points, or None when there are none."""
    west = south = float("inf")
    east = north = float("-inf")
    for lon, lat in points:
        west, east = min(west, lon), max(east, lon)
        south, north = min(south, lat), max(north, lat)
    return None if west == float("inf") else (west, south, east, north)
