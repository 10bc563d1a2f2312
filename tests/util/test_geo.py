"""Boundary geometries: only valid coordinates survive, whatever the input holds."""

import json

from observer_suite.util.geo import bounds, clean_geojson, polygons

SQUARE = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]


def test_polygon_multipolygon_feature_and_collection():
    assert len(polygons({"type": "Polygon", "coordinates": [SQUARE]})) == 1
    multi = {"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE, SQUARE]]}
    assert [len(p) for p in polygons(multi)] == [1, 2]  # holes kept
    feature = {"type": "Feature", "properties": {"name": "x"}, "geometry": multi}
    assert len(polygons(feature)) == 2
    collection = {"type": "FeatureCollection", "features": [feature, feature]}
    assert len(polygons(collection)) == 4


def test_invalid_parts_are_dropped_not_fatal():
    bad = [[0, 0], ["a", 1], [True, 1], [float("nan"), 1], [0, 91], [200, 0], [1], None, [1, 1]]
    assert polygons({"type": "Polygon", "coordinates": [bad]}) == []  # only 2 valid points
    assert polygons({"type": "Polygon", "coordinates": [[*bad, [2, 2]]]}) == [
        [[(0.0, 0.0), (1.0, 1.0), (2.0, 2.0)]]
    ]
    for junk in (None, "x", 3, [], {}, {"type": "Point", "coordinates": [0, 0]}):
        assert polygons(junk) == []
    deep: dict = {"type": "Feature", "geometry": None}
    for _ in range(10):
        deep = {"type": "Feature", "geometry": deep}
    assert polygons(deep) == []


def test_clean_geojson_holds_only_numbers():
    dirty = {"type": "Polygon", "coordinates": [SQUARE], "x": "</script>", "crs": {"a": 1}}
    cleaned = clean_geojson(polygons(dirty))
    assert set(cleaned) == {"type", "coordinates"}
    assert "script" not in json.dumps(cleaned)


def test_bounds():
    assert bounds([]) is None
    assert bounds([(1, 2), (-3, 5), (0, -1)]) == (-3, -1, 1, 5)
