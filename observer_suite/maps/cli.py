"""`observer-suite import boundaries FILE --level NAME --key PROPERTY`."""

from pathlib import Path

import click

from observer_suite.errors import described


@click.command("boundaries")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
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
    from observer_suite import cli as root
    from observer_suite.extensions import db
    from observer_suite.maps import boundaries
    from observer_suite.missions.services import MissionError, find_mission

    root._app()
    try:
        mission = find_mission(mission_slug)
        report = boundaries.import_boundaries(
            mission, file.read_bytes(), level, key, dry_run=dry_run
        )
    except (MissionError, boundaries.BoundaryError) as exc:
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
