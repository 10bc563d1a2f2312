"""Area boundaries: import from GeoJSON, and what the maps read back.

Features are matched to the mission's areas of one level by a property (e.g. geoBoundaries'
`shapeName`) against each area's code or name, ignoring case, accents, spaces, hyphens and
underscores, because sources spell the same place differently ("ONITSHA -SOUTH" in INEC's
list, "Onitsha South" in geoBoundaries). Known spelling variants that normalisation cannot
bridge are in ALIASES; a match made through it is always reported, never silent.

A file with any bad feature (no geometry, bad coordinates) writes nothing: the report lists
every problem with the feature's index, as the station import does with line numbers.
Nesting is bounded before parsing (see boundary_limits.py).
"""

import json
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import Text, cast, func, select

from observer_suite import audit
from observer_suite.errors import ServiceError
from observer_suite.extensions import db
from observer_suite.maps.boundary_limits import (
    MAX_NESTING,
    coordinates_too_deep,
    nested_deeper_than,
)
from observer_suite.maps.geometry import (
    DEFAULT_TOLERANCE,
    GeometryError,
    json_size,
    merge,
    read_polygons,
    simplify,
    to_geojson,
)
from observer_suite.models import Area, Mission
from observer_suite.util.bulk_writes import bulk_update

# Spellings of the same place that normalisation does not make equal. Each group is one
# place; names are compared after normalise_name. Sources: shared/data/README.md (INEC
# "IHALA" vs geoBoundaries "Ihiala") and the usual Nigerian state variants.
ALIASES: tuple[tuple[str, ...], ...] = (
    ("Federal Capital Territory", "FCT", "FCT Abuja", "Abuja FCT"),
    ("Nasarawa", "Nassarawa"),
    ("Ihiala", "Ihala"),
)
_IGNORED = str.maketrans("", "", " \t\n\r-_\u2010\u2011\u2012\u2013\u2014\u00a0")


def normalise_name(value: object) -> str:
    """Without case, accents, spaces, hyphens, underscores: "Igbo-Eze  South" → "igboezesouth"."""
    text = unicodedata.normalize("NFKD", str(value or ""))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.casefold().translate(_IGNORED)


def _alias_table() -> dict[str, str]:
    table = {}
    for group in ALIASES:
        canonical = normalise_name(group[0])
        for name in group:
            table[normalise_name(name)] = canonical
    return table


_ALIAS = _alias_table()


def alias_key(value: object) -> str:
    """The normalised name, mapped to its group's first spelling when it has aliases."""
    name = normalise_name(value)
    return _ALIAS.get(name, name)


class BoundaryError(ServiceError):
    """A problem with the whole request (unknown level, unreadable file)."""


@dataclass
class Match:
    area_id: int
    area: str
    feature: str
    indexes: list[int]
    alias: bool = False


@dataclass
class BoundaryReport:
    level: str
    key: str
    features: int = 0
    matched: list[Match] = field(default_factory=list)
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (index, key value)
    ambiguous: list[tuple[int, str, list[str]]] = field(default_factory=list)
    bad: list[tuple[int, str]] = field(default_factory=list)  # (index, reason)
    errors: list[str] = field(default_factory=list)
    without_boundary: list[str] = field(default_factory=list)  # area names, after import
    kept: int = 0  # unmatched areas that keep the boundary they had
    bytes_in: int = 0  # matched features' geometry as given
    bytes_stored: int = 0  # after rounding and simplification
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and not self.bad

    def summary_lines(self) -> list[str]:
        lines = [
            f"{len(self.matched)} of {self.features} features matched a {self.level} "
            f"(by property {self.key!r})",
            f"{len(self.unmatched)} features match no {self.level}",
            f"{len(self.without_boundary)} {self.level} areas have no boundary"
            + (f" ({self.kept} keep their previous one)" if self.kept else ""),
            f"geometry: {self.bytes_in:,} bytes in the file, {self.bytes_stored:,} bytes stored",
        ]
        if self.ambiguous:
            lines.insert(2, f"{len(self.ambiguous)} features match several areas (not stored)")
        return lines

    def detail_lines(self) -> list[str]:
        lines = [
            f"matched through the alias table: feature {m.feature!r} → {self.level} {m.area!r}"
            for m in self.matched
            if m.alias
        ]
        lines += [
            f"{len(m.indexes)} features ({', '.join(map(str, m.indexes))}) merged into "
            f"{self.level} {m.area!r}"
            for m in self.matched
            if len(m.indexes) > 1
        ]
        lines += [f"feature {i}: {k!r} matches no {self.level}" for i, k in self.unmatched]
        lines += [
            f"feature {i}: {k!r} matches several areas ({', '.join(names)})"
            for i, k, names in self.ambiguous
        ]
        lines += [f"{self.level} without a boundary: {name}" for name in self.without_boundary]
        return lines

    def error_lines(self) -> list[str]:
        return self.errors + [f"feature {i}: {reason}" for i, reason in self.bad]


def level_index(mission: Mission, level: str | int) -> int:
    """A level given by name (any case) or index, or BoundaryError."""
    levels = list(mission.area_levels or [])
    if isinstance(level, int) or str(level).isdigit():
        index = int(level)
        if 0 <= index < len(levels):
            return index
    else:
        wanted = normalise_name(level)
        for index, name in enumerate(levels):
            if normalise_name(name) == wanted:
                return index
    raise BoundaryError(f"level: {level!r} is not one of {', '.join(levels) or 'no levels'}")


def _features(data: bytes | str | dict, report: BoundaryReport) -> list:
    if isinstance(data, bytes | str):
        too_deep = f"file: JSON nested more than {MAX_NESTING} levels deep; GeoJSON needs 8"
        if nested_deeper_than(data, MAX_NESTING):
            report.errors.append(too_deep)
            return []
        try:
            data = json.loads(data)
        except RecursionError:
            report.errors.append(too_deep)
            return []
        except (ValueError, UnicodeDecodeError) as exc:
            report.errors.append(f"file: not JSON ({str(exc)[:120]})")
            return []
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        report.errors.append("file: not a GeoJSON FeatureCollection")
        return []
    features = data.get("features")
    if not isinstance(features, list):
        report.errors.append("file: the FeatureCollection has no list of features")
        return []
    return features


def _key_value(feature: object, key: str) -> str | None:
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        return None
    value = feature["properties"].get(key)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = str(value).strip()
    return text or None


def _disambiguate(feature: dict, candidates: list[Area], parents: dict[int, list[str]]):
    """Keep the candidates whose ancestor's name is a value of the feature (e.g. state_name)."""
    values = {normalise_name(v) for v in feature["properties"].values() if isinstance(v, str) and v}
    return [a for a in candidates if any(normalise_name(p) in values for p in parents[a.id])]


def _ancestor_names(mission: Mission) -> dict[int, list[str]]:
    rows = db.session.execute(
        select(Area.id, Area.parent_id, Area.name).where(Area.mission_id == mission.id)
    ).all()
    by_id = {row.id: row for row in rows}
    names: dict[int, list[str]] = {}
    for row in rows:
        chain, parent = [], row.parent_id
        while parent is not None and parent in by_id and len(chain) < 20:
            chain.append(by_id[parent].name)
            parent = by_id[parent].parent_id
        names[row.id] = chain
    return names


def import_boundaries(
    mission: Mission,
    data: bytes | str | dict,
    level: str | int,
    key: str,
    *,
    dry_run: bool = False,
    tolerance: float = DEFAULT_TOLERANCE,
) -> BoundaryReport:
    """Match features to areas of `level` and store their geometry (flushes, never commits).

    Writes nothing when the report is not ok or when `dry_run`; the caller commits or
    rolls back, so the import is one transaction.
    """
    index = level_index(mission, level)
    report = BoundaryReport(level=mission.area_levels[index], key=key)
    features = _features(data, report)
    report.features = len(features)
    if report.errors:
        return report
    if features and all(_key_value(f, key) is None for f in features):
        found = sorted(
            {k for f in features if isinstance(f, dict) for k in (f.get("properties") or {})}
        )
        report.errors.append(
            f"key: no feature has a property {key!r}; properties found: "
            + (", ".join(found[:20]) or "none")
        )
        return report
    areas = list(
        db.session.scalars(
            select(Area)
            .where(Area.mission_id == mission.id, Area.level == index)
            .order_by(Area.path)
        )
    )
    exact: dict[str, list[Area]] = {}
    aliased: dict[str, list[Area]] = {}
    for area in areas:
        for name in {area.name, area.code} - {None, ""}:
            exact.setdefault(normalise_name(name), []).append(area)
            aliased.setdefault(alias_key(name), []).append(area)
    parents: dict[int, list[str]] | None = None
    shapes: dict[int, list[tuple[int, dict]]] = {}
    matches: dict[int, Match] = {}
    for i, feature in enumerate(features):
        value = _key_value(feature, key)
        if value is None:
            report.bad.append((i, f"no property {key!r}"))
            continue
        try:
            problem = coordinates_too_deep(feature.get("geometry"))
            if problem:
                raise GeometryError(problem)
            polygons = read_polygons(feature.get("geometry"))
        except GeometryError as exc:
            report.bad.append((i, f"{value!r}: {exc}"))
            continue
        candidates = list(dict.fromkeys(exact.get(normalise_name(value), [])))
        via_alias = False
        if not candidates:
            candidates = list(dict.fromkeys(aliased.get(alias_key(value), [])))
            via_alias = bool(candidates)
        if len(candidates) > 1:
            parents = parents if parents is not None else _ancestor_names(mission)
            candidates = _disambiguate(feature, candidates, parents) or candidates
        if not candidates:
            report.unmatched.append((i, value))
            continue
        if len(candidates) > 1:
            report.ambiguous.append((i, value, [a.name for a in candidates]))
            continue
        area = candidates[0]
        report.bytes_in += json_size(feature.get("geometry"))
        shapes.setdefault(area.id, []).append((i, to_geojson(simplify(polygons, tolerance))))
        if area.id in matches:
            matches[area.id].indexes.append(i)
        else:
            matches[area.id] = Match(area.id, area.name, value, [i], via_alias)
    report.matched = list(matches.values())
    new = {area_id: merge([g for _, g in parts]) for area_id, parts in shapes.items()}
    report.bytes_stored = sum(json_size(g) for g in new.values())
    unmatched_areas = [a for a in areas if a.id not in new]
    report.without_boundary = [a.name for a in unmatched_areas if a.boundary is None]
    report.kept = sum(1 for a in unmatched_areas if a.boundary is not None)
    if report.ok and not dry_run:
        _store(mission, new, report)
    return report


def _store(mission: Mission, new: dict[int, dict], report: BoundaryReport) -> None:
    """One UPDATE per area, bypassing the ORM so the audit log gets one summary entry
    rather than every old and new geometry."""
    bulk_update(Area, [{"id": area_id, "boundary": g} for area_id, g in new.items()])
    for area in db.session.scalars(select(Area).where(Area.id.in_(list(new)))):
        db.session.expire(area, ["boundary"])  # the bulk UPDATE bypassed the identity map
    audit.record(
        db.session,
        "import",
        "AreaBoundary",
        mission.id,
        {
            "level": report.level,
            "key": report.key,
            "features": report.features,
            "matched": len(report.matched),
            "unmatched": len(report.unmatched),
            "bytes": report.bytes_stored,
        },
    )
    db.session.flush()
    report.applied = True


def has_boundary():
    """SQL: the area has a boundary (a JSON `null` written by an ORM counts as none)."""
    return Area.boundary.is_not(None) & (cast(Area.boundary, Text) != "null")


@dataclass(frozen=True)
class LevelStatus:
    level: int
    name: str
    areas: int
    with_boundary: int
    bytes: int


def boundary_status(mission: Mission) -> list[LevelStatus]:
    """Per level: areas, how many have a boundary, and the stored size (one GROUP BY)."""
    has = has_boundary()
    rows = db.session.execute(
        select(
            Area.level,
            func.count(Area.id),
            func.count(Area.id).filter(has),
            func.coalesce(func.sum(func.length(cast(Area.boundary, Text))).filter(has), 0),
        )
        .where(Area.mission_id == mission.id)
        .group_by(Area.level)
    ).all()
    counts = {row[0]: row for row in rows}
    return [
        LevelStatus(
            i,
            name,
            *((counts[i][1], counts[i][2], int(counts[i][3] or 0)) if i in counts else (0, 0, 0)),
        )
        for i, name in enumerate(mission.area_levels or [])
    ]


@dataclass(frozen=True)
class AreaShape:
    area_id: int
    name: str
    code: str | None
    geometry: dict


def boundary_shapes(mission: Mission, level: int) -> list[AreaShape]:
    """The areas of one level that have a boundary, in path order."""
    rows = db.session.execute(
        select(Area.id, Area.name, Area.code, Area.boundary)
        .where(Area.mission_id == mission.id, Area.level == level, has_boundary())
        .order_by(Area.path)
    ).all()
    return [AreaShape(r.id, r.name, r.code, r.boundary) for r in rows if r.boundary]


def default_boundary_level(mission: Mission) -> int | None:
    """The top level that has any boundary: what every map draws unless told otherwise."""
    return db.session.scalar(
        select(func.min(Area.level)).where(Area.mission_id == mission.id, has_boundary())
    )
