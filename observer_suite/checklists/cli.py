"""`observer-suite import form FILE.xlsx` and `observer-suite forms-load`."""

from pathlib import Path

import click


def _mission(mission_slug: str | None):
    from observer_suite.cli import command_mission

    return command_mission(mission_slug)


@click.command("form")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--mission", "mission_slug", metavar="SLUG", help="Implied when only one exists.")
def import_form(file: Path, mission_slug: str | None) -> None:
    """Import a checklist from an XLSForm (.xlsx); all of it or nothing."""
    from observer_suite.checklists.services import import_xlsform
    from observer_suite.extensions import db

    mission = _mission(mission_slug)
    outcome = import_xlsform(mission, file.read_bytes(), file.name)
    if not outcome.ok:
        db.session.rollback()
        for line in outcome.errors:
            click.echo(line, err=True)
        raise click.ClickException(
            f"{file.name}: nothing was imported; fix the rows above and try again."
        )
    db.session.commit()
    form = outcome.form
    state = "Imported" if outcome.created else "Already there, unchanged:"
    click.echo(f"{state} {form.form_id} version {form.version} ({form.kind}) into {mission.slug}.")


@click.command("forms-load")
@click.option("--mission", "mission_slug", metavar="SLUG", help="Implied when only one exists.")
def forms_load(mission_slug: str | None) -> None:
    """Load the standard checklists from forms/ (a version already there is kept)."""
    from observer_suite.checklists.definition import FormFileError
    from observer_suite.checklists.services import load_standard_forms
    from observer_suite.extensions import db

    mission = _mission(mission_slug)
    try:
        forms = load_standard_forms(mission)
    except FormFileError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    for form in forms:
        state = "" if form.active else " (an older version; a newer one is active)"
        click.echo(f"  {form.form_id} {form.version} ({form.kind}){state}")
    click.echo(f"{len(forms)} standard forms in {mission.slug}.")
