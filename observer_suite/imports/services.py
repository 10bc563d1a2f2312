"""One entry point for the view, the CLI and the benchmark: read, check, plan, maybe write.

Two passes over the file, each streaming: the first checks every row, the second (only for
a clean file) compares with the database and, unless it is a dry run, writes. Nothing is
written unless the whole file is clean; the caller commits, or rolls back when the result
is not `applied`.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app, has_app_context

from observer_suite.imports import observers, stations
from observer_suite.imports.columns import Mapping, looks_like_data
from observer_suite.imports.common import KEEP, ImportPlan
from observer_suite.imports.errors import ImportFileError, LineError, Problems
from observer_suite.imports.mapping import FIRST_ROW_IS_DATA, fields_for, sample
from observer_suite.imports.tabular import Limits, open_table
from observer_suite.models import Mission

KINDS = ("stations", "observers")
DEFAULT_MAX_ROWS = 500_000
DEFAULT_UPLOAD_LIMIT = 50 * 1024 * 1024
WARNINGS_SHOWN = 20
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


@dataclass
class ImportResult:
    kind: str
    filename: str
    dry_run: bool
    file_error: str | None = None
    errors: list[LineError] = field(default_factory=list)
    warnings: list[LineError] = field(default_factory=list)  # codes normalised, per line
    counts: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    applied: bool = False
    first_row_is_data: bool = False  # the header looked like a record: say --no-header
    refused: Problems | None = None  # with skip_invalid: the lines left out, and why

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.errors

    def summary_lines(self) -> list[str]:
        """E.g. '12795 stations: 12795 to create, 0 to update, 0 unchanged; 808 areas to create'."""
        if not self.ok:
            return []
        c = self.counts
        create, update = ("created", "updated") if self.applied else ("to create", "to update")
        line = (
            f"{c['rows']} {self.kind}: {c['create']} {create}, {c['update']} {update}, "
            f"{c['unchanged']} unchanged"
        )
        if "areas_create" in c:
            line += f"; {c['areas_create']} areas {create}"
            if c["areas_update"]:
                rename = "renamed" if self.applied else "to rename"
                line += f", {c['areas_update']} {rename}"
        lines = [line]
        if self.refused:
            left = "left out" if self.applied else "would be left out"
            count = len(self.refused.lines)
            rows = "1 row" if count == 1 else f"{count:,} rows"
            lines.append(f"{rows} refused and {left}:")
            lines += [f"  {group}" for group in self.refused.grouped()]
        return [*lines, *self.notes, *self.warning_lines()]

    def groups(self) -> list:
        """The problems grouped by reason, largest first (see errors.Group)."""
        return self.errors.grouped() if isinstance(self.errors, Problems) else []

    def grouped_lines(self) -> list[str]:
        """Like error_lines, one line per reason ("206 rows: locality: a value is required —
        lines 3, 5 …") followed by its first examples in full."""
        lines = [self.file_error] if self.file_error else []
        for group in self.groups():
            lines.append(str(group))
            lines += [f"    e.g. {example}" for example in group.examples]
        return lines

    def warning_lines(self) -> list[str]:
        shown = [f"warning: {warning}" for warning in self.warnings[:WARNINGS_SHOWN]]
        more = _total(self.warnings) - len(shown)
        if more:
            shown.append(f"… and {more:,} more warnings")
        return shown

    def error_lines(self) -> list[str]:
        """E.g. "line 14, latitude: '95.2' is outside -90..90"; the first 1,000, then a count."""
        lines = [self.file_error] if self.file_error else []
        lines += [str(error) for error in self.errors]
        more = _total(self.errors) - len(self.errors)
        if more:
            lines.append(f"… and {more:,} more problems not listed")
        return lines


def _total(problems: list) -> int:
    return problems.total() if isinstance(problems, Problems) else len(problems)


def clean_filename(filename: str) -> str:
    """The name as shown and audited: no path, no control or invisible characters, short."""
    name = re.split(r"[\\/]", filename or "")[-1]
    return _UNPRINTABLE.sub("", name).strip()[:200]


def limits() -> Limits:
    """From the app's config: MAX_CONTENT_LENGTH bounds what a workbook may unpack to."""
    config = current_app.config if has_app_context() else {}
    upload = config.get("MAX_CONTENT_LENGTH") or DEFAULT_UPLOAD_LIMIT
    return Limits.for_upload(upload, int(config.get("IMPORT_MAX_ROWS") or DEFAULT_MAX_ROWS))


def run_import(
    kind: str,
    mission: Mission,
    data: bytes,
    filename: str,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
    *,
    mapping: Mapping | None = None,
    header: bool = True,
    skip_invalid: bool = False,
) -> ImportResult:
    """Progress counts work units: each data row once when checked and once when planned or
    written; until the first pass has counted the rows, the total is an estimate. `mapping`
    and `header` say where the fields are; with `skip_invalid` the refused lines are left
    out (in `result.refused`) instead of stopping the import."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    filename = clean_filename(filename)
    result = ImportResult(kind, filename, dry_run)
    module = stations if kind == "stations" else observers
    # Each module's plan_import takes its own Parsed… (parse_file read it with that module).
    plan_import: Callable[..., ImportPlan] = module.plan_import
    table = None
    try:
        table = open_table(data, filename, limits(), header)

        def checked(done: int) -> None:
            if progress:
                progress(done, 2 * max(done, table.estimate))

        options = {"keep": KEEP, "mapping": mapping, "skip_invalid": skip_invalid}
        if kind == "stations":
            levels = list(mission.area_levels or [])
            parsed = stations.parse_stations(table, levels, checked, **options)
        else:
            parsed = observers.parse_observers(table, checked, **options)
    except ImportFileError as exc:
        result.file_error = str(exc)
        if (
            table is not None
            and header
            and not mapping
            and looks_like_data(table.headers, sample(table), fields_for(kind, mission))
        ):
            result.first_row_is_data = True
            result.file_error = f"{FIRST_ROW_IS_DATA} ({', '.join(table.headers)[:120]})"
        return result
    result.notes, result.warnings = list(parsed.notes), parsed.warnings
    if parsed.errors and not skip_invalid:
        result.errors = parsed.errors
        return result
    if parsed.errors:
        result.refused = parsed.errors
    if not parsed.count:
        result.file_error = "no row can be imported: every row was refused"
        return result
    total = 2 * parsed.count

    def planned(done: int) -> None:
        if progress:
            progress(parsed.count + done, total)

    planned(0)
    try:
        plan = plan_import(mission, parsed, filename, write=not dry_run, progress=planned)
    except ImportFileError as exc:  # the file read differently the second time
        result.file_error = str(exc)
        return result
    result.counts, result.examples, result.notes = plan.counts, plan.examples, plan.notes
    result.applied = plan.applied
    if progress:
        progress(total, total)
    return result
