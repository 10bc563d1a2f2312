"""The `observer-suite` command: set up a database, create users and missions, import data."""

import sys

import click
from sqlalchemy import select

from observer_suite.errors import described
from observer_suite.models import Role


class Context:
    """Builds the app on first use, so `--help` never touches a database."""

    def __init__(self, database_url: str | None):
        self.database_url = database_url
        self._app = None
        self._context = None

    def app(self, schema: str = "check"):
        """schema: "check" stops on a missing or old schema, "upgrade" migrates it, "" skips."""
        if self._app is None:
            from observer_suite import create_app
            from observer_suite.schema_check import prepare_schema

            config = {"SQLALCHEMY_DATABASE_URI": self.database_url} if self.database_url else None
            self._app = create_app(config)
            self._context = self._app.app_context()
            self._context.push()
            prepare_schema(schema)
        return self._app

    def close(self) -> None:
        if self._context is not None:
            from observer_suite.extensions import db

            db.session.remove()
            db.engine.dispose()
            self._context.pop()
            self._context = None


def _app(schema: str = "check"):
    return click.get_current_context().find_object(Context).app(schema)


def command_mission(mission_slug: str | None):
    """The app, then the mission a command names (or the only one); a clear error otherwise."""
    from observer_suite.missions.services import MissionError, find_mission

    _app()
    try:
        return find_mission(mission_slug)
    except MissionError as exc:
        raise click.ClickException(described(exc)) from None


def _fail(message: str) -> None:
    raise click.ClickException(message)


@click.group()
@click.option(
    "--database-url",
    metavar="URL",
    help="Database to use instead of DATABASE_URL (sqlite:///… or postgresql://…).",
)
@click.pass_context
def main(ctx: click.Context, database_url: str | None) -> None:
    """Observer Suite: run an election observation mission."""
    ctx.obj = Context(database_url)
    ctx.call_on_close(ctx.obj.close)


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Create or migrate the schema to the latest version."""
    from flask_migrate import upgrade

    _app(schema="")
    upgrade(revision=revision)
    click.echo("Database is up to date.")


@main.command("create-user")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--mission", "missions", multiple=True, metavar="SLUG", help="Repeatable.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--observer", "observer_ref", metavar="REF", help="Link to this roster entry.")
def create_user(
    username: str, role: str, missions: tuple[str], password_stdin: bool, observer_ref: str | None
) -> None:
    """Create a login (for an observer on the roster: --observer REF --mission SLUG)."""
    from observer_suite.auth.services import UserError
    from observer_suite.auth.services import create_user as create
    from observer_suite.extensions import db as database
    from observer_suite.missions.services import MissionError, find_mission
    from observer_suite.models import Observer

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    _app()
    try:
        found = [find_mission(slug) for slug in missions]
        observer = None
        if observer_ref:
            if len(found) != 1:
                raise UserError(
                    "name the observer's mission with one --mission SLUG", field="observer"
                )
            observer = database.session.scalar(
                select(Observer).where(
                    Observer.mission_id == found[0].id, Observer.ref == observer_ref
                )
            )
            if observer is None:
                raise UserError(
                    f"no observer {observer_ref!r} in {found[0].slug}", field="observer"
                )
        user = create(username, password, role, missions=found, observer=observer)
    except (UserError, MissionError) as exc:
        database.session.rollback()
        _fail(described(exc))
    database.session.commit()
    click.echo(f"Created {user.role.value} {user.username}.")


@main.group()
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
def mission_create(slug, name, country, election_date, second_round, levels, timezone, languages):
    """Create a mission."""
    from observer_suite.extensions import db as database
    from observer_suite.missions.services import MissionError, create_mission

    _app()
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
        database.session.rollback()
        _fail(described(exc))
    database.session.commit()
    click.echo(f"Created mission {created.slug} with levels {', '.join(created.area_levels)}.")


@main.group("import")
def import_group() -> None:
    """Import polling stations or an observer roster from CSV or XLSX."""


@main.command()
@click.option(
    "--simulate-election-day",
    "simulate",
    is_flag=True,
    help="Then fill the demo mission with a simulated election day (replaces an earlier one).",
)
@click.option(
    "--observations",
    type=click.IntRange(0, 1_000_000),
    help="Simulated observations (default 3000).",
)
@click.option(
    "--incidents", type=click.IntRange(0, 200_000), help="Simulated incidents (default 1000)."
)
@click.option(
    "--seed", type=int, help="Random seed: the same seed gives the same day (default 2027)."
)
def demo(simulate: bool, observations: int | None, incidents: int | None, seed: int | None) -> None:
    """Create (or refresh) the demo mission with its users, stations and observers; with
    --simulate-election-day, also a day of observations and incidents."""
    from observer_suite.demo import DemoError, build_demo
    from observer_suite.extensions import db as database

    if not simulate and (observations, incidents, seed) != (None, None, None):
        raise click.UsageError(
            "--observations, --incidents and --seed need --simulate-election-day"
        )
    _app(schema="upgrade")
    try:
        result = build_demo(echo=click.echo)
    except DemoError as exc:
        database.session.rollback()
        _fail(str(exc))
    database.session.commit()
    if simulate:
        _simulate(result.mission_slug, observations, incidents, seed)
    _demo_counts(result.mission_slug)
    click.echo(f"Demo mission {result.mission_slug!r} is ready. Demo logins:")
    for username, password, role in result.logins:
        click.echo(f"  {role:<12} {username:<14} password: {password}")


def _demo_counts(slug: str) -> None:
    from observer_suite.demo.counts import counts_line
    from observer_suite.extensions import db as database
    from observer_suite.models import Mission

    click.echo(counts_line(database.session.scalar(select(Mission).where(Mission.slug == slug))))


def _simulate(slug: str, observations: int | None, incidents: int | None, seed: int | None):
    """The `demo --simulate-election-day` part: simulate, commit, print what was made."""

    from tqdm import tqdm

    from observer_suite.demo.election_day import simulate_election_day
    from observer_suite.demo.election_plan import SimulationError
    from observer_suite.extensions import db as database
    from observer_suite.models import Mission

    mission = database.session.scalar(select(Mission).where(Mission.slug == slug))
    bars: dict[str, tqdm] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            bars[stage] = tqdm(total=total, unit="rows", desc=stage, disable=None, file=sys.stderr)
        bar = bars[stage]
        bar.n = done
        bar.refresh()

    try:
        summary = simulate_election_day(
            mission,
            observations=3000 if observations is None else observations,
            incidents=1000 if incidents is None else incidents,
            seed=2027 if seed is None else seed,
            progress=progress,
        )
    except SimulationError as exc:
        database.session.rollback()
        _fail(str(exc))
    finally:
        for bar in bars.values():
            bar.close()
    database.session.commit()
    removed = summary.replaced
    click.echo(
        f"Election day simulated in {summary.seconds:.1f} s: {summary.observations:,} "
        f"observations, {summary.incidents:,} incidents (replaced {removed[0]:,} observations "
        f"and {removed[1]:,} incidents of an earlier simulation)"
    )
    click.echo("Observations by form:")
    for form_id, count in summary.by_form.items():
        click.echo(f"  {form_id:<24}{count:>8,}")
    click.echo(
        f"  flagged by consistency checks: {summary.flagged:,}; "
        f"with critical answers: {summary.with_critical:,}"
    )
    severities = " · ".join(f"{name} {count:,}" for name, count in summary.by_severity.items())
    click.echo(f"Incidents by severity: {severities} (the simulated ones, any status)")
    spots = ", ".join(f"{h.code} {h.name} ({h.region})" for h in summary.hot_spots)
    click.echo(f"Hot spots: {spots or 'none'}")
    click.echo(
        "Teams without an opening report: "
        + (", ".join(summary.teams_without_opening) or "none")
        + "; opening reported late: "
        + (", ".join(summary.late_openings) or "none")
    )
    click.echo(
        f"The dashboard shows the whole day; 'Data up to' (or report --until), e.g. "
        f"{mission.election_date}T12:00, shows it as it stood at that time."
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Serve the suite for one machine (use gunicorn for a real mission)."""
    app = _app(schema="upgrade")
    click.echo(f"Serving on http://{host}:{port}/  (Ctrl+C to stop)")
    app.run(host=host, port=port, debug=False, use_reloader=False)


def _register_capabilities() -> None:
    from observer_suite.checklists.cli import forms_load, import_form
    from observer_suite.deployment.cli import plan_command, report_group
    from observer_suite.imports.cli import COMMANDS as import_commands
    from observer_suite.maps.cli import import_boundaries
    from observer_suite.missions.cli import update as mission_update
    from observer_suite.reporting.cli import COMMANDS as report_commands
    from observer_suite.teams.cli import teams

    main.add_command(teams)
    for command in import_commands:
        import_group.add_command(command)
    mission.add_command(mission_update)
    import_group.add_command(import_form)
    import_group.add_command(import_boundaries)
    main.add_command(forms_load)
    main.add_command(plan_command)
    main.add_command(report_group)
    for command in report_commands:
        report_group.add_command(command)


_register_capabilities()
