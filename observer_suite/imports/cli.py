"""`observer-suite import stations|observers|boundaries|form FILE`: every import command.

Stations and observers are the CLI side of `service.run_import`; boundaries and forms hand
their file to the maps and checklists services. `--column FIELD=HEADER` / `--column FIELD=N`
and `--no-header` read files shaped unlike ours without editing them; `--skip-invalid` imports
the good rows and writes the refused ones, with a reason column, to fix and import again.
Atomic (all or nothing) is the default.
"""

import sys
from pathlib import Path

import click

from observer_suite.errors import described
from observer_suite.missions.cli import command_mission
from observer_suite.util.checked import present
from observer_suite.util.cli import AppGroup, fail


@click.group("import", cls=AppGroup)
def imports() -> None:
    """Import polling stations or an observer roster from CSV or XLSX."""


_file_arg = click.argument(
    "file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)
)
_out = click.Path(dir_okay=False, writable=True, path_type=Path)


def _options(command):
    options = [
        click.option(
            "--mission",
            "mission_slug",
            metavar="SLUG",
            help="Implied when only one mission exists.",
        ),
        click.option("--dry-run", is_flag=True, help="Show what would change; write nothing."),
        click.option(
            "--column",
            "columns",
            multiple=True,
            metavar="FIELD=HEADER|N",
            help="Read FIELD from the column named HEADER, or from column number N (1 is the "
            "first); FIELD= leaves a field out. Repeat for each field.",
        ),
        click.option(
            "--no-header", is_flag=True, help="The first row is data; map columns by number."
        ),
        click.option(
            "--skip-invalid",
            is_flag=True,
            help="Import the valid rows and write the refused ones, with a reason column, "
            "to FILE.rejects.csv next to the input (or --rejects).",
        ),
        click.option("--rejects", type=_out, help="Where --skip-invalid writes refused rows."),
        click.option("--errors", type=_out, help="Also write every problem found to this CSV."),
    ]
    for option in reversed(options):
        command = option(command)
    return _file_arg(command)


def _run(kind: str, file: Path, **opts) -> None:
    from tqdm import tqdm

    from observer_suite.extensions import db
    from observer_suite.imports.columns import parse_column_options
    from observer_suite.imports.downloads import problems_csv, rejects_csv
    from observer_suite.imports.errors import ImportFileError
    from observer_suite.imports.services import limits, run_import
    from observer_suite.imports.tabular import open_table

    target = command_mission(opts["mission_slug"])
    data, header = file.read_bytes(), not opts["no_header"]
    mapping = None
    if opts["columns"]:
        try:
            headers = open_table(data, file.name, limits(), header).headers
            mapping = parse_column_options(list(opts["columns"]), headers)
        except ImportFileError as exc:
            fail(f"{file.name}: {exc}")
    bar = tqdm(total=0, unit="rows", desc=kind, disable=None, file=sys.stderr)

    def progress(done: int, total: int) -> None:
        bar.total, bar.n = total, done
        bar.refresh()

    try:
        result = run_import(
            kind,
            target,
            data,
            file.name,
            dry_run=opts["dry_run"],
            progress=progress,
            mapping=mapping,
            header=header,
            skip_invalid=opts["skip_invalid"],
        )
    finally:
        bar.close()
    problems = result.refused if result.refused is not None else result.errors
    if opts["errors"] and (problems or result.file_error):
        _write(opts["errors"], problems_csv(problems, result.file_error), db)
        click.echo(f"Every problem is listed in {opts['errors']}.", err=True)
    if not result.ok:
        db.session.rollback()
        for line in result.grouped_lines():
            click.echo(line, err=True)
        if result.first_row_is_data:
            click.echo(
                "The first row looks like data: use --no-header and --column FIELD=N "
                "(e.g. --column code=7).",
                err=True,
            )
        fail(f"{file.name}: nothing was imported; fix the lines above and try again.")
    if result.refused:
        rejects = opts["rejects"] or file.with_name(f"{file.stem}.rejects.csv")
        _write(rejects, rejects_csv(result.refused, data, file.name, header, limits()), db)
    if opts["dry_run"]:
        db.session.rollback()
        click.echo("Dry run, nothing written. Would import:")
    else:
        db.session.commit()
        click.echo("Imported:")
    for line in result.summary_lines():
        click.echo(f"  {line}")
    if result.refused:
        click.echo(f"Refused rows, with a reason column: {rejects}")


def _write(path: Path, content: bytes, db) -> None:
    """Before the commit, so a rejects file that cannot be written imports nothing."""
    try:
        path.write_bytes(content)
    except OSError as exc:
        db.session.rollback()
        fail(f"cannot write {path}: {exc.strerror}; give another path (--rejects/--errors)")


@imports.command("stations")
@_options
def import_stations(file: Path, **opts) -> None:
    """Import polling stations (and their areas)."""
    _run("stations", file, **opts)


@imports.command("observers")
@_options
def import_observers(file: Path, **opts) -> None:
    """Import an observer roster."""
    _run("observers", file, **opts)


@imports.command("boundaries")
@_file_arg
@click.option("--level", required=True, help="Area level the features describe, e.g. state.")
@click.option(
    "--key",
    default="shapeName",
    show_default=True,
    help="Feature property holding the area's name or code.",
)
@click.option("--mission", "mission_slug", metavar="SLUG", help="Implied when only one exists.")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
def import_boundaries(
    file: Path, level: str, key: str, mission_slug: str | None, dry_run: bool
) -> None:
    """Import area boundaries from GeoJSON (Polygon/MultiPolygon features); all or nothing."""
    from observer_suite.extensions import db
    from observer_suite.maps import boundaries

    mission = command_mission(mission_slug)
    try:
        report = boundaries.import_boundaries(
            mission, file.read_bytes(), level, key, dry_run=dry_run
        )
    except boundaries.BoundaryError as exc:
        db.session.rollback()
        raise click.ClickException(described(exc)) from None
    if not report.ok:
        db.session.rollback()
        for line in report.error_lines():
            click.echo(line, err=True)
        raise click.ClickException(f"{file.name}: nothing was imported; fix the above first.")
    if report.applied:
        db.session.commit()
        click.echo(f"Imported into {mission.slug}:")
    else:
        db.session.rollback()
        click.echo("Dry run, nothing written. Would import:")
    for line in report.summary_lines():
        click.echo(f"  {line}")
    for line in report.detail_lines():
        click.echo(f"  - {line}")


@imports.command("form")
@_file_arg
@click.option("--mission", "mission_slug", metavar="SLUG", help="Implied when only one exists.")
def import_form(file: Path, mission_slug: str | None) -> None:
    """Import a checklist from an XLSForm (.xlsx); all of it or nothing."""
    from observer_suite.checklists.services import import_xlsform
    from observer_suite.extensions import db

    mission = command_mission(mission_slug)
    outcome = import_xlsform(mission, file.read_bytes(), file.name)
    if not outcome.ok:
        db.session.rollback()
        for line in outcome.errors:
            click.echo(line, err=True)
        raise click.ClickException(
            f"{file.name}: nothing was imported; fix the rows above and try again."
        )
    db.session.commit()
    form = present(outcome.form)
    state = "Imported" if outcome.created else "Already there, unchanged:"
    click.echo(f"{state} {form.form_id} version {form.version} ({form.kind}) into {mission.slug}.")
