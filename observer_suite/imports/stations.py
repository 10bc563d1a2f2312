"""Polling stations and their areas: check every row, then plan against the DB (and write).

Checking is separate from writing so a coordinator sees every bad line of a 15,000-row
file at once, and so a preview (dry run) and the real import agree exactly. Both steps
stream: the check keeps only the areas, the codes seen (for duplicates) and, for a small
file, its rows; planning reads a longer file again and compares and writes BATCH rows at a
time, so a million-row file is imported in bounded memory, still in one transaction.
"""

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, select

from observer_suite import audit
from observer_suite.extensions import db
from observer_suite.imports.columns import (
    STATION_FIELDS,
    Columns,
    Mapping,
    level_fields,
    match_columns,
)
from observer_suite.imports.common import (
    BATCH,
    EXAMPLES,
    ImportPlan,
    RowReader,
    batched,
    changed,
    clean_rows,
    describe,
    duplicate_check,
    fresh_statistics,
    keep_row,
    sort_errors,
)
from observer_suite.imports.errors import ImportFileError, LineError, Problems
from observer_suite.imports.tabular import Table
from observer_suite.models import Area, Mission, PollingStation
from observer_suite.util.bulk_writes import bulk_insert, bulk_update
from observer_suite.util.checked import present

OPTIONAL = ("polling_centre", "registered_voters", "latitude", "longitude")


@dataclass
class AreaRow:
    path: str
    parent_path: str | None
    level: int
    name: str
    code: str | None
    line: int


@dataclass
class StationRow:
    line: int
    code: str
    area_path: str
    values: dict  # name plus the optional columns the file has


@dataclass
class ParsedStations:
    """`stations` is None when the file had too many to keep; `rows()` reads them again."""

    levels: tuple[str, ...]
    areas: dict[str, AreaRow]  # by path; parents come before their children
    stations: list[StationRow] | None
    errors: Problems = field(default_factory=Problems)
    warnings: list[LineError] = field(default_factory=Problems)
    notes: list[str] = field(default_factory=list)
    count: int = 0
    table: Table | None = field(default=None, repr=False)
    columns: Columns | None = field(default=None, repr=False)
    skipped: set[int] = field(default_factory=set)  # refused lines left out (skip_invalid)

    def rows(self) -> Iterator[StationRow]:
        """Every checked station, from the kept list or from the file read again."""
        if self.stations is not None:
            yield from self.stations
            return
        errors: list[LineError] = []
        # Without the kept list the file is read again: table and columns are then set.
        reader = RowReader(present(self.columns), errors)
        for line, values in clean_rows(present(self.table), errors, self.skipped):
            station = _station(reader, self, line, values, None)
            if errors:
                raise ImportFileError("the file read differently the second time; upload it again")
            if station is not None:
                yield station


def parse_stations(
    table: Table,
    levels: list[str],
    progress: Callable[[int], None] | None = None,
    keep: int | None = None,
    mapping: Mapping | None = None,
    skip_invalid: bool = False,
) -> ParsedStations:
    """Check every row, keeping at most `keep` of them (all when None); raises
    ImportFileError only for problems with the file or its columns. With `skip_invalid`,
    the refused lines are left out (`skipped`) and so are areas only they named."""
    if not levels:
        raise ImportFileError("the mission has no area levels; set them before importing")
    columns = match_columns(table.headers, level_fields(levels) + STATION_FIELDS, mapping)
    if ("latitude" in columns) != ("longitude" in columns):
        have, lack = (
            ("latitude", "longitude") if "latitude" in columns else ("longitude", "latitude")
        )
        raise ImportFileError(f"the file has a {have} column but no {lack} column; give both")
    parsed = ParsedStations(tuple(levels), {}, [], notes=list(table.notes))
    parsed.table, parsed.columns = table, columns
    if columns.ignored:
        parsed.notes.append("columns not imported: " + ", ".join(columns.ignored))
    reader = RowReader(columns, parsed.errors, parsed.warnings)
    codes: dict[str, int] = {}
    used: set[str] = set()
    refused = 0
    for line, values in clean_rows(table, parsed.errors):
        parsed.count += 1
        if progress and parsed.count % 1000 == 0:
            progress(parsed.count)
        station = _station(reader, parsed, line, values, codes)
        if skip_invalid and line in parsed.errors.lines:
            refused += 1
            continue
        if station is not None:
            used.add(station.area_path)
            parsed.stations = keep_row(parsed.stations, station, keep)
    if skip_invalid:
        _leave_out(parsed, used, refused)
    sort_errors(parsed.errors, table.headers)
    sort_errors(parsed.warnings, table.headers)
    return parsed


def _leave_out(parsed: ParsedStations, used: set[str], refused: int) -> None:
    """Keep the refused lines out of the count and the areas no kept station is in."""
    parsed.skipped = parsed.errors.lines
    parsed.count -= refused
    needed: set[str] = set()
    for path in used:
        while path is not None and path not in needed:
            needed.add(path)
            path = parsed.areas[path].parent_path
    parsed.areas = {path: area for path, area in parsed.areas.items() if path in needed}


def _station(
    reader: RowReader, parsed: ParsedStations, line: int, values: list, codes: dict | None
) -> StationRow | None:
    """One row as a station (None when it cannot be one); `codes` None skips duplicates."""
    if not reader.start(line, values):
        return None
    columns = reader.columns
    code = reader.code("code", 60, required=True)
    if codes is not None:
        duplicate_check(codes, code, reader, "code", "station code")
    row: dict[str, object] = {"name": reader.required("name", 300)}
    if "polling_centre" in columns:
        row["polling_centre"] = reader.text("polling_centre", 300) or None
    if "registered_voters" in columns:
        row["registered_voters"] = reader.whole_number("registered_voters")
    if "latitude" in columns:
        row.update(read_coordinates(reader))
    path = _area_path(reader, parsed)
    if path is not None and code:
        return StationRow(line, code, path, row)
    return None


def read_coordinates(reader: RowReader) -> dict:
    latitude = reader.decimal("latitude", -90, 90)
    longitude = reader.decimal("longitude", -180, 180)
    raw_lat, raw_lon = reader.get("latitude"), reader.get("longitude")
    if bool(raw_lat) != bool(raw_lon):
        missing, given = ("longitude", "latitude") if raw_lat else ("latitude", "longitude")
        reader.error(
            missing,
            f"is empty but {reader.columns.header(given)} is given; give both or neither",
        )
    return {"latitude": latitude, "longitude": longitude}


@functools.lru_cache(maxsize=64)
def _level_keys(levels: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((level, f"{level}_code") for level in levels)


def _area_path(reader: RowReader, parsed: ParsedStations) -> str | None:
    """Register the row's chain of areas; the path joins each level's code (else name)."""
    parent: str | None = None
    for level, (level_name, code_key) in enumerate(_level_keys(parsed.levels)):
        name = reader.required(level_name, 200)
        code = reader.code(code_key, 60) or None
        if not name:
            return None
        path = f"{parent}/{code or name}" if parent else (code or name)
        if len(path) > 400:
            reader.error(level_name, "the codes and names above it are too long (over 400)")
            return None
        known = parsed.areas.get(path)
        if known is None:
            parsed.areas[path] = AreaRow(path, parent, level, name, code, reader.line)
        elif known.level != level:
            reader.error(
                level_name,
                f"path {path!r} is also a {parsed.levels[known.level]} (line {known.line}); "
                "a '/' in a code or name makes the two the same",
            )
        elif known.name != name:
            reader.error(
                level_name,
                f"{level_name} code {code!r} is {known.name!r} on line {known.line} "
                f"but {name!r} here",
            )
        parent = path
    return parent


def _compare_areas(
    mission: Mission, parsed: ParsedStations, examples: list[str]
) -> tuple[list[list[AreaRow]], list[dict]]:
    """The file's areas against the mission's by path: the new ones by level, and the
    renames of known ones."""
    existing_areas = {
        path: (area_id, name)
        for path, area_id, name in db.session.execute(
            select(Area.path, Area.id, Area.name).where(Area.mission_id == mission.id)
        )
    }
    new_areas: list[list[AreaRow]] = [[] for _ in parsed.levels]
    renames: list[dict] = []
    for area in parsed.areas.values():
        known = existing_areas.get(area.path)
        if known is None:
            new_areas[area.level].append(area)
        elif known[1] != area.name:
            renames.append({"id": known[0], "name": area.name})
            examples.append(f"rename area {area.path}: {known[1]!r} → {area.name!r}")
    return new_areas, renames


def _compare_stations(batch, existing: dict, ids: dict, paths: dict, examples, counts):
    """One batch of the file's stations against the stored ones by code: the stations to
    insert and the (id, station) pairs to update; unchanged ones are only counted."""
    inserts, updates = [], []
    for station in batch:
        old = existing.get(station.code)
        if old is None:
            inserts.append(station)
            if len(examples["create"]) < EXAMPLES:
                examples["create"].append(
                    f"create station {station.code} {station.values['name']!r}"
                )
            continue
        diff = changed(old, station.values)
        if ids.get(station.area_path) != old["area_id"]:
            diff["area"] = (paths.get(old["area_id"]), station.area_path)
        if not diff:
            counts["unchanged"] += 1
            continue
        updates.append((old["id"], station))
        if len(examples["update"]) < EXAMPLES:
            examples["update"].append(describe(f"update station {station.code}", diff))
    return inserts, updates


def plan_import(
    mission: Mission,
    parsed: ParsedStations,
    filename: str = "",
    *,
    write: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """Compare with the mission's areas and stations by path and code, BATCH rows at a time;
    with `write`, store them too (flushes, never commits: the caller owns the transaction)."""
    plan = ImportPlan("stations", mission.id, filename, {}, notes=list(parsed.notes))
    examples: dict[str, list[str]] = {"create": [], "update": [], "rename": []}
    new_areas, renames = _compare_areas(mission, parsed, examples["rename"])
    before = db.session.scalars(
        select(func.count(PollingStation.id)).where(PollingStation.mission_id == mission.id)
    ).one()
    fresh_statistics(PollingStation, before)
    if write:
        _write_areas(mission.id, new_areas, renames)
    ids = _area_ids(mission.id)
    paths = {area_id: path for path, area_id in ids.items()}
    counts = {"rows": 0, "create": 0, "update": 0, "unchanged": 0}
    for batch in batched(parsed.rows(), BATCH):
        existing = _existing(mission.id, [station.code for station in batch]) if before else {}
        inserts, updates = _compare_stations(batch, existing, ids, paths, examples, counts)
        if write:
            _write_stations(mission.id, ids, inserts, updates)
        counts["rows"] += len(batch)
        counts["create"] += len(inserts)
        counts["update"] += len(updates)
        if progress:
            progress(counts["rows"])
    missing = before - (counts["update"] + counts["unchanged"])
    plan.counts = {
        **counts,
        "areas_create": sum(len(areas) for areas in new_areas),
        "areas_update": len(renames),
        "not_in_file": missing,
    }
    plan.examples = [text for texts in examples.values() for text in texts[:EXAMPLES]]
    if missing:
        plan.notes.append(
            f"{missing} stations already in the mission are not in this file; "
            "they are left as they are"
        )
    if write:
        audit.record(
            db.session,
            "import",
            "PollingStation",
            plan.mission_id,
            {**plan.counts, "filename": plan.filename},
        )
        db.session.flush()
        plan.applied = True
    return plan


def _existing(mission_id: int, codes: list[str]) -> dict[str, dict]:
    columns = [PollingStation.id, PollingStation.code, PollingStation.area_id]
    columns += [getattr(PollingStation, key) for key in ["name", *OPTIONAL]]
    query = select(*columns).where(
        PollingStation.mission_id == mission_id, PollingStation.code.in_(codes)
    )
    return {row.code: row._asdict() for row in db.session.execute(query)}


def _write_areas(mission_id: int, new_areas: list[list[AreaRow]], renames: list[dict]) -> None:
    """Level by level, so each level's parents have ids when it is inserted."""
    ids = _area_ids(mission_id)
    for areas in new_areas:
        if areas:
            rows = [
                {
                    "mission_id": mission_id,
                    "level": area.level,
                    "name": area.name,
                    "code": area.code,
                    "path": area.path,
                    "parent_id": ids.get(area.parent_path)
                    if area.parent_path is not None
                    else None,
                }
                for area in areas
            ]
            bulk_insert(Area, rows)
            ids = _area_ids(mission_id)
    bulk_update(Area, renames)


def _write_stations(mission_id: int, ids: dict, inserts: list, updates: list) -> None:
    bulk_insert(
        PollingStation,
        [
            {"mission_id": mission_id, "code": s.code, "area_id": ids[s.area_path], **s.values}
            for s in inserts
        ],
    )
    bulk_update(
        PollingStation,
        [{"id": id_, "area_id": ids[s.area_path], **s.values} for id_, s in updates],
    )


def _area_ids(mission_id: int) -> dict[str, int]:
    return dict(
        db.session.execute(select(Area.path, Area.id).where(Area.mission_id == mission_id))
        .tuples()
        .all()
    )
