"""Travel models: how far and how long between two points on election day.

Why pluggable: straight line times a road factor is all we have offline, but a mission with an
OSRM (or similar) server can precompute a real road matrix and hand it in as `MatrixTravel`
without the planner changing. Points are (lat, lon) tuples in degrees.
"""

from collections.abc import Hashable, Mapping, Sequence
from typing import Protocol

import numpy as np

Point = tuple[float, float]
EARTH_RADIUS_KM = 6371.0088


def known_point(lat: float | None, lon: float | None) -> Point:
    """(lat, lon) of a place already checked to have coordinates (has_coords, valid_point):
    the stored columns may be empty, a point that reaches the planner is not."""
    assert lat is not None and lon is not None, "a point without coordinates"
    return (lat, lon)


def haversine_km(a: Point, b: Point) -> float:
    """Great-circle distance in km."""
    return float(haversine_matrix([a], [b])[0, 0])


def haversine_matrix(points_a: Sequence[Point], points_b: Sequence[Point]) -> np.ndarray:
    """Great-circle km between every point of `points_a` (rows) and `points_b` (columns)."""
    a = np.radians(np.asarray(points_a, dtype=float).reshape(-1, 2))
    b = np.radians(np.asarray(points_b, dtype=float).reshape(-1, 2))
    lat1, lon1 = a[:, 0:1], a[:, 1:2]
    lat2, lon2 = b[:, 0][None, :], b[:, 1][None, :]
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


class TravelModel(Protocol):
    """Road distance and driving time between points; `matrix_km` is the vectorised form."""

    def km(self, a: Point, b: Point) -> float: ...

    def minutes(self, a: Point, b: Point) -> float: ...

    def matrix_km(self, points_a: Sequence[Point], points_b: Sequence[Point]) -> np.ndarray: ...


class StraightLineTravel:
    """Haversine distance times a road factor, driven at a constant speed."""

    def __init__(self, road_factor: float = 1.35, speed_kmh: float = 40.0):
        if road_factor <= 0 or speed_kmh <= 0:
            raise ValueError("road_factor and speed_kmh must be positive")
        self.road_factor = road_factor
        self.speed_kmh = speed_kmh

    def km(self, a: Point, b: Point) -> float:
        return haversine_km(a, b) * self.road_factor

    def minutes(self, a: Point, b: Point) -> float:
        return self.km(a, b) / self.speed_kmh * 60.0

    def matrix_km(self, points_a: Sequence[Point], points_b: Sequence[Point]) -> np.ndarray:
        return haversine_matrix(points_a, points_b) * self.road_factor


def point_key(point: Point, decimals: int = 5) -> tuple[float, float]:
    """Coordinates rounded to ~1 m, so the same place looks the same after a round trip."""
    return (round(float(point[0]), decimals), round(float(point[1]), decimals))


class MatrixTravel:
    """A precomputed road matrix (km and minutes) keyed by point ids, e.g. from OSRM's table API.

    `coords` maps each id to its (lat, lon) so the planner, which speaks coordinates, finds the
    row; pairs the matrix does not know go to `fallback` (straight line by default), so a matrix
    over stations only still works with team bases that were added later.
    """

    def __init__(
        self,
        ids: Sequence[Hashable],
        km: np.ndarray | Sequence[Sequence[float]],
        minutes: np.ndarray | Sequence[Sequence[float]],
        coords: Mapping[Hashable, Point],
        fallback: TravelModel | None = None,
    ):
        self.ids = list(ids)
        self._km = np.asarray(km, dtype=float)
        self._minutes = np.asarray(minutes, dtype=float)
        n = len(self.ids)
        if self._km.shape != (n, n) or self._minutes.shape != (n, n):
            raise ValueError(f"matrices must be {n}x{n}")
        self._index_of_id = {pid: i for i, pid in enumerate(self.ids)}
        self._index_of_point = {point_key(coords[pid]): i for i, pid in enumerate(self.ids)}
        self.fallback = fallback or StraightLineTravel()

    def _index(self, point: Point) -> int | None:
        return self._index_of_point.get(point_key(point))

    def km_by_id(self, a: Hashable, b: Hashable) -> float:
        return float(self._km[self._index_of_id[a], self._index_of_id[b]])

    def minutes_by_id(self, a: Hashable, b: Hashable) -> float:
        return float(self._minutes[self._index_of_id[a], self._index_of_id[b]])

    def km(self, a: Point, b: Point) -> float:
        i, j = self._index(a), self._index(b)
        if i is None or j is None:
            return self.fallback.km(a, b)
        return float(self._km[i, j])

    def minutes(self, a: Point, b: Point) -> float:
        i, j = self._index(a), self._index(b)
        if i is None or j is None:
            return self.fallback.minutes(a, b)
        return float(self._minutes[i, j])

    def matrix_km(self, points_a: Sequence[Point], points_b: Sequence[Point]) -> np.ndarray:
        rows = [self._index(p) for p in points_a]
        cols = [self._index(p) for p in points_b]
        known_rows = [r for r in rows if r is not None]
        known_cols = [c for c in cols if c is not None]
        if len(known_rows) == len(rows) and len(known_cols) == len(cols):
            return self._km[np.ix_(known_rows, known_cols)]
        out = self.fallback.matrix_km(points_a, points_b)
        known_r = [i for i, r in enumerate(rows) if r is not None]
        known_c = [j for j, c in enumerate(cols) if c is not None]
        if known_r and known_c:
            sub = self._km[np.ix_(known_rows, known_cols)]
            out[np.ix_(known_r, known_c)] = sub
        return out
