"""`observer-suite forms-load` (`import form FILE.xlsx` lives with the other imports)."""

import click

from observer_suite.missions.cli import command_mission
from observer_suite.util.cli import app_command


@app_command("forms-load")
@click.option("--mission", "mission_slug", metavar="SLUG", help="Implied when only one exists.")
def forms_load(mission_slug: str | None) -> None:
    """Load the standard checklists from forms/ (a version already there is kept)."""
    from observer_suite.checklists.definition import FormFileError
    from observer_suite.checklists.services import load_standard_forms
    from observer_suite.extensions import db

    mission = command_mission(mission_slug)
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
