"""The `observer-suite` command: set up a database, create users, run the demo, serve.

Each capability declares its own commands (an `AppGroup` or a command in its cli.py); this
module only adds them to the root group, so nothing below imports back from here.
"""

import sys

import click
from flask import current_app
from sqlalchemy import select

from observer_suite import create_app
from observer_suite.checklists.cli import forms_load
from observer_suite.deployment.cli import plan_command, report_deployment
from observer_suite.errors import described
from observer_suite.imports.cli import imports
from observer_suite.missions.cli import mission
from observer_suite.models import Role
from observer_suite.reporting.cli import report
from observer_suite.schema_check import prepare_schema
from observer_suite.teams.cli import teams
from observer_suite.util.checked import present
from observer_suite.util.cli import AppGroup, AppScript, fail


@click.group(cls=AppGroup)
@click.option(
    "--database-url",
    metavar="URL",
    help="Database to use instead of DATABASE_URL (sqlite:///… or postgresql://…).",
)
@click.pass_context
def main(ctx: click.Context, database_url: str | None) -> None:
    """Observer Suite: run an election observation mission."""
    config = {"SQLALCHEMY_DATABASE_URI": database_url} if database_url else None
    ctx.obj = AppScript(lambda: create_app(config))
    ctx.call_on_close(ctx.obj.close)


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade", schema="")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Create or migrate the schema to the latest version."""
    from flask_migrate import upgrade

    upgrade(revision=revision)
    click.echo("Database is up to date.")


@main.command("create-user", schema="")  # checked once the password is read
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
    prepare_schema("check")
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
        fail(described(exc))
    database.session.commit()
    click.echo(f"Created {user.role.value} {user.username}.")


@main.command(schema="")  # upgraded once the options are checked
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
    prepare_schema("upgrade")
    try:
        result = build_demo(echo=click.echo)
    except DemoError as exc:
        database.session.rollback()
        fail(str(exc))
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

    mission = present(database.session.scalar(select(Mission).where(Mission.slug == slug)))
    click.echo(counts_line(mission))  # the demo's mission, just made


def _simulate(slug: str, observations: int | None, incidents: int | None, seed: int | None):
    """The `demo --simulate-election-day` part: simulate, commit, print what was made."""

    from tqdm import tqdm

    from observer_suite.demo.election_day import simulate_election_day
    from observer_suite.demo.election_plan import SimulationError
    from observer_suite.extensions import db as database
    from observer_suite.models import Mission

    mission = present(database.session.scalar(select(Mission).where(Mission.slug == slug)))
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
        fail(str(exc))
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


@main.command(schema="upgrade")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Serve the suite for one machine (use gunicorn for a real mission)."""
    app = current_app
    click.echo(f"Serving on http://{host}:{port}/  (Ctrl+C to stop)")
    app.run(host=host, port=port, debug=False, use_reloader=False)


for command in (teams, mission, imports, forms_load, plan_command, report):
    main.add_command(command)
report.add_command(report_deployment)
