"""`observer-suite teams …`: pair STOs from the command line, with the reasons for each pair."""

from pathlib import Path

import click

from observer_suite.errors import described
from observer_suite.missions.cli import command_mission
from observer_suite.util.cli import AppGroup


@click.group(cls=AppGroup)
def teams() -> None:
    """Observer teams."""


@teams.command("pair")
@click.option(
    "--mission", "mission_slug", metavar="SLUG", help="Implied when only one mission exists."
)
@click.option("--seed", default=1, show_default=True, type=click.IntRange(0, 2**31 - 1))
@click.option("--dry-run", is_flag=True, help="Show the pairs; write nothing.")
def pair(mission_slug: str | None, seed: int, dry_run: bool) -> None:
    """Pair every STO not yet in a team into teams of two."""
    from observer_suite.extensions import db
    from observer_suite.teams import services

    mission = command_mission(mission_slug)
    if dry_run:
        proposal = services.propose_pairs(mission, seed)
        result, codes = proposal.result, proposal.codes
    else:
        try:
            summary = services.auto_pair(mission, seed)
        except services.TeamError as exc:
            db.session.rollback()
            raise click.ClickException(exc.message) from None
        result, codes = summary.result, [team.code for team in summary.teams]
    if result.errors:
        db.session.rollback()
        for item in result.unpaired:
            click.echo(f"  not paired: {item.candidate.name}: {item.reason}", err=True)
        raise click.ClickException(" ".join(result.errors))
    if dry_run:
        db.session.rollback()
        click.echo(f"Dry run, nothing written. Seed {seed} would form {len(codes)} teams:")
    else:
        db.session.commit()
        click.echo(f"Formed {len(codes)} STO teams in {mission.slug} (seed {seed}):")
    for code, team_pair in zip(codes, result.pairs, strict=True):
        click.echo(f"{code}  {team_pair.first.name} + {team_pair.second.name}")
        for line in team_pair.explanation:
            click.echo(f"      {line}")
    for item in result.unpaired:
        click.echo(f"Not paired: {item.candidate.name}: {item.reason}")


@teams.command("bases")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option(
    "--mission", "mission_slug", metavar="SLUG", help="Implied when only one mission exists."
)
@click.option("--dry-run", is_flag=True, help="Show the bases; write nothing.")
def bases(file: Path, mission_slug: str | None, dry_run: bool) -> None:
    """Set team bases from a CSV/XLSX: `team` and `latitude`/`longitude`, or `area` (code or
    name: the base is its registered-voter-weighted centre). All lines or none."""
    from observer_suite.extensions import db
    from observer_suite.teams.bases import import_bases

    mission = command_mission(mission_slug)
    result = import_bases(mission, file.read_bytes(), file.name, dry_run)
    if not result.ok:
        db.session.rollback()
        for line in result.error_lines():
            click.echo(line, err=True)
        raise click.ClickException(f"{file.name}: no base was set; fix the lines above.")
    if dry_run:
        db.session.rollback()
        click.echo(f"Dry run, nothing written. Would set {len(result.changes)} bases:")
    else:
        db.session.commit()
        click.echo(f"Set {len(result.changes)} team bases in {mission.slug}:")
    for change in result.changes:
        click.echo(
            f"{change.team}  {change.lat:.5f}, {change.lon:.5f}  {change.name}  "
            f"(from {change.source})"
        )


@teams.command("deploy")
@click.option(
    "--mission", "mission_slug", metavar="SLUG", help="Implied when only one mission exists."
)
@click.option(
    "--regions",
    metavar="AREAS",
    help="Comma-separated top areas (codes or names) to deploy to; default all.",
)
@click.option("--seed", default=1, show_default=True, type=click.IntRange(0, 2**31 - 1))
@click.option("--dry-run", is_flag=True, help="Show the deployment; write nothing.")
def deploy(mission_slug: str | None, regions: str | None, seed: int, dry_run: bool) -> None:
    """Give every STO team without a base a deployment area (teams spread over regions and
    districts in proportion to registered voters), the base at the area's centre."""
    from observer_suite.extensions import db
    from observer_suite.teams.bases import deploy_teams
    from observer_suite.teams.services import TeamError

    mission = command_mission(mission_slug)
    wanted = [r.strip() for r in (regions or "").split(",") if r.strip()] or None
    try:
        deployments = deploy_teams(mission, wanted, seed, dry_run)
    except TeamError as exc:
        db.session.rollback()
        raise click.ClickException(described(exc)) from None
    if not deployments:
        db.session.rollback()
        click.echo("Every STO team already has a base; nothing to deploy.")
        return
    if dry_run:
        db.session.rollback()
        click.echo(f"Dry run, nothing written. Seed {seed} would deploy {len(deployments)} teams:")
    else:
        db.session.commit()
        click.echo(f"Deployed {len(deployments)} STO teams in {mission.slug} (seed {seed}):")
    for item in deployments:
        click.echo(f"{item.team}  {item.area}  base {item.lat:.5f}, {item.lon:.5f}")
        for line in item.explanation:
            click.echo(f"      {line}")
