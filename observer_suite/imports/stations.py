"""Polling stations and their areas: parse and check every row, plan against the DB, apply.

Checking is separate from writing so a coordinator sees every bad line of a 15,000-row
file at once, and so a preview (dry run) and the real import agree exactly.
"""

from dataclasses import dataclass, field

from sqlalchemy import select

from observer_suite import audit
from observer_suite.extensions import db
from observer_suite.imports.columns import STATION_FIELDS, level_fields, match_columns
from observer_suite.imports.common import (
    EXAMPLES,
    ImportPlan,
    Progress,
    RowReader,
    bulk_insert,
    bulk_update,
    changed,
    describe,
    duplicate_check,
    sort_errors,
)
from observer_suite.imports.tabular import ImportFileError, LineError, Table
from observer_suite.models import Area, Mission, PollingStation

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
    levels: list[str]
    areas: dict[str, AreaRow]  # by path; parents come before their children
    stations: list[StationRow]
    errors: list[LineError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def parse_stations(table: Table, levels: list[str], progress=None) -> ParsedStations:
    """Check every row; raises ImportFileError only for problems with the columns."""
    if not levels:
        raise ImportFileError("the mission has no area levels; set them before importing")
    columns = match_columns(table.headers, level_fields(levels) + STATION_FIELDS)
    if ("latitude" in columns) != ("longitude" in columns):
        have, lack = (
            ("latitude", "longitude") if "latitude" in columns else ("longitude", "latitude")
        )
        raise ImportFileError(f"the file has a {have} column but no {lack} column; give both")
    errors = list(table.errors)
    bad_lines = {error.line for error in table.errors}
    reader = RowReader(columns, errors)
    parsed = ParsedStations(levels, {}, [], errors, list(table.notes))
    if columns.ignored:
        parsed.notes.append("columns not imported: " + ", ".join(columns.ignored))
    codes: dict[str, int] = {}
    for done, (line, values) in enumerate(table.rows, start=1):
        if progress and done % 1000 == 0:
            progress(done)
        if line in bad_lines:
            continue
        reader.start(line, values)
        code = reader.required("code", 60)
        duplicate_check(codes, code, reader, "code", "station code")
        row = {"name": reader.required("name", 300)}
        if "polling_centre" in columns:
            row["polling_centre"] = reader.text("polling_centre", 300) or None
        if "registered_voters" in columns:
            row["registered_voters"] = reader.whole_number("registered_voters")
        if "latitude" in columns:
            row.update(_coordinates(reader))
        path = _area_path(reader, parsed)
        if path is not None and code:
            parsed.stations.append(StationRow(line, code, path, row))
    sort_errors(parsed.errors, table.headers)
    return parsed


def _coordinates(reader: RowReader) -> dict:
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


def _area_path(reader: RowReader, parsed: ParsedStations) -> str | None:
    """Register the row's chain of areas; the path joins each level's code (else name)."""
    parent: str | None = None
    for level, level_name in enumerate(parsed.levels):
        name = reader.required(level_name, 200)
        code = reader.text(f"{level_name}_code", 60) or None
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


def plan_import(mission: Mission, parsed: ParsedStations, filename: str = "") -> ImportPlan:
    """Compare with the mission's areas and stations by path and code; writes nothing."""
    existing_areas = {
        path: (area_id, name)
        for path, area_id, name in db.session.execute(
            select(Area.path, Area.id, Area.name).where(Area.mission_id == mission.id)
        )
    }
    plan = ImportPlan("stations", mission.id, filename, {}, notes=list(parsed.notes))
    plan.area_inserts = [[] for _ in parsed.levels]
    examples: dict[str, list[str]] = {"create": [], "update": [], "rename": []}
    for area in parsed.areas.values():
        known = existing_areas.get(area.path)
        if known is None:
            plan.area_parents[area.path] = area.parent_path
            plan.area_inserts[area.level].append(
                {
                    "mission_id": mission.id,
                    "level": area.level,
                    "name": area.name,
                    "code": area.code,
                    "path": area.path,
                }
            )
        elif known[1] != area.name:
            plan.area_updates.append({"id": known[0], "name": area.name})
            examples["rename"].append(f"rename area {area.path}: {known[1]!r} → {area.name!r}")
    columns = [PollingStation.id, PollingStation.code, PollingStation.area_id]
    columns += [getattr(PollingStation, key) for key in ["name", *OPTIONAL]]
    existing = {
        row.code: row._asdict()
        for row in db.session.execute(
            select(*columns).where(PollingStation.mission_id == mission.id)
        )
    }
    area_ids = {path: known[0] for path, known in existing_areas.items()}
    area_paths = {area_id: path for path, area_id in area_ids.items()}
    unchanged = 0
    for station in parsed.stations:
        old = existing.pop(station.code, None)
        if old is None:
            plan.inserts.append(
                {
                    "mission_id": mission.id,
                    "code": station.code,
                    "area_path": station.area_path,
                    **station.values,
                }
            )
            examples["create"].append(f"create station {station.code} {station.values['name']!r}")
            continue
        diff = changed(old, station.values)
        if area_ids.get(station.area_path) != old["area_id"]:
            diff["area"] = (area_paths.get(old["area_id"]), station.area_path)
        if not diff:
            unchanged += 1
            continue
        plan.updates.append({"id": old["id"], "area_path": station.area_path, **station.values})
        examples["update"].append(describe(f"update station {station.code}", diff))
    plan.counts = {
        "rows": len(parsed.stations),
        "create": len(plan.inserts),
        "update": len(plan.updates),
        "unchanged": unchanged,
        "areas_create": sum(len(rows) for rows in plan.area_inserts),
        "areas_update": len(plan.area_updates),
        "not_in_file": len(existing),
    }
    plan.examples = [text for texts in examples.values() for text in texts[:EXAMPLES]]
    if existing:
        plan.notes.append(
            f"{len(existing)} stations already in the mission are not in this file; "
            "they are left as they are"
        )
    return plan


def apply(plan: ImportPlan, progress: Progress | None = None) -> None:
    """Write the plan with executemany statements; flushes, never commits."""
    ids = _area_ids(plan.mission_id)
    for rows in plan.area_inserts:
        if rows:
            parents = plan.area_parents
            bulk_insert(Area, [{**row, "parent_id": ids.get(parents[row["path"]])} for row in rows])
            ids = _area_ids(plan.mission_id)
    bulk_update(Area, plan.area_updates)

    def resolve(row: dict) -> dict:
        values = {key: value for key, value in row.items() if key != "area_path"}
        values["area_id"] = ids[row["area_path"]]
        return values

    bulk_insert(PollingStation, [resolve(row) for row in plan.inserts], progress)
    bulk_update(PollingStation, [resolve(row) for row in plan.updates], progress)
    audit.record(
        db.session,
        "import",
        "PollingStation",
        plan.mission_id,
        {**plan.counts, "filename": plan.filename},
    )
    db.session.flush()


def _area_ids(mission_id: int) -> dict[str, int]:
    return dict(
        db.session.execute(select(Area.path, Area.id).where(Area.mission_id == mission_id)).all()
    )
