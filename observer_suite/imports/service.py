"""One entry point for the view, the CLI and the benchmark: read, check, plan, maybe apply.

Nothing is written unless the whole file is clean; the caller commits (or rolls back).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app, has_app_context

from observer_suite.imports import observers, stations
from observer_suite.imports.tabular import ImportFileError, Limits, LineError, read_table
from observer_suite.models import Mission

KINDS = ("stations", "observers")
DEFAULT_MAX_ROWS = 500_000
DEFAULT_UPLOAD_LIMIT = 50 * 1024 * 1024


@dataclass
class ImportResult:
    kind: str
    filename: str
    dry_run: bool
    file_error: str | None = None
    errors: list[LineError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    applied: bool = False

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
        return [line, *self.notes]

    def error_lines(self) -> list[str]:
        """E.g. "line 14, latitude: '95.2' is outside -90..90"; every bad line, uncapped."""
        lines = [self.file_error] if self.file_error else []
        return lines + [str(error) for error in self.errors]


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
) -> ImportResult:
    """Progress counts work units: each data row once when checked and once when written."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    result = ImportResult(kind, filename, dry_run)
    try:
        table = read_table(data, filename, limits())
        total = 2 * len(table.rows)
        report = (lambda done: progress(done, total)) if progress else None
        if kind == "stations":
            parsed = stations.parse_stations(table, list(mission.area_levels or []), report)
        else:
            parsed = observers.parse_observers(table, report)
    except ImportFileError as exc:
        result.file_error = str(exc)
        return result
    result.notes = list(parsed.notes)
    if parsed.errors:
        result.errors = parsed.errors
        return result
    module = stations if kind == "stations" else observers
    plan = module.plan_import(mission, parsed, filename)
    result.counts, result.examples, result.notes = plan.counts, plan.examples, plan.notes
    done = total - plan.counts["create"] - plan.counts["update"]
    if progress:
        progress(done, total)
    if not dry_run:

        def written(count: int) -> None:
            nonlocal done
            done += count
            if progress:
                progress(done, total)

        module.apply(plan, written)
        result.applied = True
    if progress:
        progress(total, total)
    return result
