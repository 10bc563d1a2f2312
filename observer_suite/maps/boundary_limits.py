"""Bounds on an uploaded GeoJSON file's nesting, checked before and after json.loads.

json.loads recurses once per level of arrays or objects, so a file nested 100,000 deep
raises RecursionError, a server error, rather than a message. The nesting is therefore
measured on the bytes first, outside strings and without recursion, and coordinates are
held to the depth their geometry type has.
"""

import re

# A FeatureCollection of MultiPolygons nests 8 deep; the rest is room for nested properties.
MAX_NESTING = 32
COORDINATE_DEPTH = {"Polygon": 3, "MultiPolygon": 4}  # arrays around each number
# A string, or an unterminated one to the end: every match attempt succeeds, so the scan
# stays linear however many stray quotes and backslashes a file has.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STRING_B = re.compile(_STRING.pattern.encode(), re.S)
_NOT_BRACKET_B = re.compile(_NOT_BRACKET.pattern.encode())


def nested_deeper_than(text: bytes | str, limit: int) -> bool:
    """Whether JSON text nests arrays and objects more than `limit` deep, outside strings.

    Brackets are kept (strings dropped first), then each pass deletes the innermost pairs:
    a file `limit` deep is empty after `limit` passes. All at C speed, never recursive.
    """
    if isinstance(text, bytes):
        brackets = _NOT_BRACKET_B.sub(b"", _STRING_B.sub(b"", text)).decode("ascii")
    else:
        brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    brackets = brackets.replace("{", "[").replace("}", "]")
    passes = 0
    while (shorter := brackets.replace("[]", "")) != brackets:
        brackets, passes = shorter, passes + 1
        if passes > limit:
            return True
    return passes + brackets.count("[") > limit  # openers never closed nest too


def coordinates_too_deep(geometry: object) -> str | None:
    """Coordinates nested deeper than their type allows (reading them would just fail on the
    first number-that-is-a-list; this says why)."""
    if not isinstance(geometry, dict) or geometry.get("type") not in COORDINATE_DEPTH:
        return None
    kind = geometry["type"]
    allowed, depth, value = COORDINATE_DEPTH[kind], 0, geometry.get("coordinates")
    while isinstance(value, list) and value and depth <= allowed:
        value, depth = value[0], depth + 1
    if depth > allowed:
        return f"coordinates nested more than {allowed} arrays deep, as no {kind} is"
    return None
