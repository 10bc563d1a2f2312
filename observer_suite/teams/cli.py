"""`observer-suite teams …`: pair STOs from the command line, with the reasons for each pair."""

import click


@click.group()
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
    # Imported here: observer_suite.cli will import this module to register the group.
    from observer_suite import cli as root
    from observer_suite.extensions import db
    from observer_suite.missions.services import MissionError, find_mission
    from observer_suite.teams import services

    root._app()
    try:
        mission = find_mission(mission_slug)
    except MissionError as exc:
        raise click.ClickException(str(exc)) from None
    if dry_run:
        proposal = services.propose_pairs(mission, seed)
        result, codes = proposal.result, proposal.codes
    else:
        try:
            summary = services.auto_pair(mission, seed)
        except services.TeamError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc).partition(": ")[2]) from None
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
