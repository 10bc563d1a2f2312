"""`observer-suite mission update`: change a mission's settings from the command line."""

from datetime import date

import click


def _date(value: str | None, option: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        message = f"{value!r} is not a date like 2027-02-25"
        raise click.BadParameter(message, param_hint=option) from None


@click.command("update")
@click.option("--mission", "mission_slug", metavar="SLUG", help="Implied when only one exists.")
@click.option("--name")
@click.option("--election-date", metavar="YYYY-MM-DD")
@click.option("--second-round-date", metavar="YYYY-MM-DD|none")
@click.option("--timezone", metavar="ZONE", help="IANA name, e.g. Africa/Lagos.")
@click.option("--languages", metavar="CODES", help="Comma-separated, e.g. en,fr.")
@click.option("--tiles", metavar="URL|none|default", help="Map tiles: an https {z}/{x}/{y} URL.")
@click.option(
    "--levels", metavar="NAMES", help="Area levels, top first; only renames once areas exist."
)
@click.option("--archive/--restore", "archive", default=None, help="Make read-only, or undo.")
def update(mission_slug, name, election_date, second_round_date, timezone, languages, tiles,
           levels, archive) -> None:  # fmt: skip
    """Change the given settings only; all are checked before any is written."""
    from observer_suite import cli as root
    from observer_suite.extensions import db
    from observer_suite.missions import settings
    from observer_suite.missions.services import MissionError, find_mission

    root._app()
    changes = {
        key: value
        for key, value in {
            "name": name,
            "timezone": timezone,
            "languages": languages,
            "tiles": tiles,
            "levels": levels,
        }.items()
        if value is not None
    }
    if election_date is not None:
        changes["election_date"] = _date(election_date, "--election-date")
    if second_round_date is not None:
        none = second_round_date.strip().lower() in {"", "none"}
        second = None if none else _date(second_round_date, "--second-round-date")
        changes["second_round_date"] = second
    if not changes and archive is None:
        raise click.UsageError("nothing to change: give at least one option (see --help)")
    try:
        mission = find_mission(mission_slug)
        if archive is False:
            settings.restore(mission)
        changed = settings.update_mission(mission, **changes) if changes else []
        if archive:
            settings.archive(mission)
    except MissionError as exc:
        db.session.rollback()
        option = "--" + (exc.field or "mission").replace("_", "-")
        raise click.ClickException(f"{option}: {exc.message}") from None
    db.session.commit()
    for key in changed:
        click.echo(f"{key.replace('_', ' ')}: {getattr(mission, key)}")
    if archive is not None:
        click.echo(f"{mission.slug} is {'archived (read-only)' if archive else 'restored'}.")
    elif not changed:
        click.echo("Nothing changed: the settings already had those values.")
