"""Strict reading, simplification and sizing of imported boundary geometry (pure functions).

Imported GeoJSON is untrusted: a geometry is rebuilt from its numbers only, and a feature with
any bad position is refused as a whole (util.geo silently drops bad points, which suits
drawing but would store a distorted outline). Simplification is a small Douglas-Peucker in
degrees plus rounding, enough to keep pages light without a geometry library.
"""

import json
import math

from observer_suite.errors import ServiceError

Position = tuple[float, float]  # (lon, lat), GeoJSON order
Ring = list[Position]
Polygon = list[Ring]  # outer ring first, then holes

DIGITS = 5  # about one metre: more precision is invisible on a map and doubles the bytes
DEFAULT_TOLERANCE = 0.0002  # degrees, about 20 m: invisible at the zoom levels of an area


class GeometryError(ServiceError):
    """Why a geometry cannot be used; the message names the first problem."""


def _position(value: object, where: str) -> Position:
    if not isinstance(value, list | tuple) or len(value) < 2:
        raise GeometryError(f"{where}: a position must be [longitude, latitude]")
    lon, lat = value[0], value[1]
    for number in (lon, lat):
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise GeometryError(f"{where}: coordinates must be numbers")
        if not math.isfinite(number):
            raise GeometryError(f"{where}: coordinates must be finite")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise GeometryError(f"{where}: [{lon}, {lat}] is not a longitude/latitude pair")
    return float(lon), float(lat)


def _ring(value: object, where: str) -> Ring:
    if not isinstance(value, list | tuple):
        raise GeometryError(f"{where}: a ring must be a list of positions")
    ring = [_position(p, f"{where}, position {i}") for i, p in enumerate(value)]
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])  # GeoJSON rings are closed; accept an open one and close it
    if len(set(ring)) < 3:
        raise GeometryError(f"{where}: a ring needs at least three distinct positions")
    return ring


def _polygon(value: object, where: str) -> Polygon:
    if not isinstance(value, list | tuple) or not value:
        raise GeometryError(f"{where}: a polygon must be a non-empty list of rings")
    return [_ring(r, f"{where}, ring {i}") for i, r in enumerate(value)]


def read_polygons(geometry: object) -> list[Polygon]:
    """The polygons of a GeoJSON Polygon or MultiPolygon, or GeometryError."""
    if geometry is None:
        raise GeometryError("no geometry")
    if not isinstance(geometry, dict):
        raise GeometryError("the geometry is not an object")
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        return [_polygon(coordinates, "polygon")]
    if kind == "MultiPolygon":
        if not isinstance(coordinates, list | tuple) or not coordinates:
            raise GeometryError("a MultiPolygon needs at least one polygon")
        return [_polygon(p, f"polygon {i}") for i, p in enumerate(coordinates)]
    raise GeometryError(f"geometry type {str(kind)[:40]!r} is not Polygon or MultiPolygon")


def _distance(p: Position, a: Position, b: Position) -> float:
    """Distance from p to segment ab, in degrees (fine at the scale of a tolerance)."""
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def _douglas_peucker(points: list[Position], tolerance: float) -> list[Position]:
    """Iterative Douglas-Peucker (no recursion limit on long rings)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = -1.0, -1
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index != -1 and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: Ring, tolerance: float, digits: int = DIGITS) -> Ring:
    """The ring rounded and simplified; the original (rounded) when it would collapse.

    A closed ring starts and ends at the same point, so it is split at its farthest point
    from the start and each half simplified, which keeps that point and the ring closed.
    """
    rounded: Ring = []
    for lon, lat in ring:
        point = (round(lon, digits), round(lat, digits))
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if tolerance <= 0 or len(rounded) <= 4:
        return rounded
    start = rounded[0]
    far = max(range(len(rounded)), key=lambda i: math.hypot(*_delta(rounded[i], start)))
    simple = _douglas_peucker(rounded[: far + 1], tolerance)[:-1] + _douglas_peucker(
        rounded[far:], tolerance
    )
    return simple if len(set(simple)) >= 3 and len(simple) >= 4 else rounded


def _delta(a: Position, b: Position) -> tuple[float, float]:
    return a[0] - b[0], a[1] - b[1]


def simplify(polygons: list[Polygon], tolerance: float = DEFAULT_TOLERANCE) -> list[Polygon]:
    """Every ring simplified; holes that shrink to nothing are dropped, outer rings kept."""
    result = []
    for polygon in polygons:
        outer = simplify_ring(polygon[0], tolerance)
        holes = [simplify_ring(r, tolerance) for r in polygon[1:]]
        result.append([outer] + [h for h in holes if len(set(h)) >= 3])
    return result


def to_geojson(polygons: list[Polygon]) -> dict:
    """A bare GeoJSON geometry holding only the numbers: Polygon when one, else MultiPolygon."""
    coordinates = [[[[lon, lat] for lon, lat in ring] for ring in p] for p in polygons]
    if len(coordinates) == 1:
        return {"type": "Polygon", "coordinates": coordinates[0]}
    return {"type": "MultiPolygon", "coordinates": coordinates}


def merge(geometries: list[dict]) -> dict:
    """Several stored geometries as one (features of the same area, e.g. islands)."""
    parts: list[Polygon] = []
    for geometry in geometries:
        parts += read_polygons(geometry)
    return to_geojson(parts)


def json_size(geometry: dict | None) -> int:
    """Bytes of the geometry as compact JSON: what a page or the database carries."""
    if geometry is None:
        return 0
    return len(json.dumps(geometry, separators=(",", ":")))


def position_count(polygons: list[Polygon]) -> int:
    return sum(len(ring) for polygon in polygons for ring in polygon)
