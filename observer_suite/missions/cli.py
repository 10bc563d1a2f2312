"""`observer-suite mission create|update`, and the mission lookup every command shares."""

from datetime import date

import click

from observer_suite.errors import described
from observer_suite.extensions import db
from observer_suite.missions import settings
from observer_suite.missions.services import MissionError, create_mission, find_mission
from observer_suite.util.cli import AppGroup, fail


def command_mission(mission_slug: str | None):
    """The mission a command names (or the only one); a clear error otherwise."""
    try:
        return find_mission(mission_slug)
    except MissionError as exc:
        raise click.ClickException(described(exc)) from None


@click.group(cls=AppGroup)
def mission() -> None:
    """Missions."""


@mission.command("create")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--country", required=True, help="ISO 3166 alpha-2, e.g. NG")
@click.option("--election-date", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--second-round", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--levels", required=True, help="Area level names, top first: state,lga,ward")
@click.option("--timezone", default="UTC", show_default=True)
@click.option("--languages", default="en,fr", show_default=True)
def create(slug, name, country, election_date, second_round, levels, timezone, languages):
    """Create a mission."""
    try:
        created = create_mission(
            slug=slug,
            name=name,
            country=country,
            election_date=election_date.date(),
            second_round_date=second_round.date() if second_round else None,
            levels=levels,
            timezone=timezone,
            languages=languages,
        )
    except MissionError as exc:
        db.session.rollback()
        fail(described(exc))
    db.session.commit()
    click.echo(f"Created mission {created.slug} with levels {', '.join(created.area_levels)}.")


def _date(value: str | None, option: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        message = f"{value!r} is not a date like 2027-02-25"
        raise click.BadParameter(message, param_hint=option) from None


@mission.command("update")
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
