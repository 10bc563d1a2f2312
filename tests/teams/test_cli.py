"""`observer-suite teams pair` as an operator would run it."""

import pytest
from click.testing import CliRunner

from observer_suite.cli import main
from observer_suite.models import Observer, Team


@pytest.fixture
def cli(app, database_url):
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, ["--database-url", database_url, "teams", "pair", *args])

    return run


def test_dry_run_prints_pairs_and_writes_nothing(world, cli, db):
    result = cli("--mission", "ng", "--seed", "3", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run, nothing written. Seed 3 would form 3 teams:" in result.output
    assert "T01  " in result.output and "Different nationalities" in result.output
    assert "Not paired: Greta Lund:" in result.output
    db.session.expire_all()
    assert db.session.query(Team).count() == 0


def test_pair_commits_and_repeats_identically(world, cli, db):
    dry = cli("--seed", "5", "--dry-run")  # the only mission is implied
    result = cli("--seed", "5")
    assert result.exit_code == 0, result.output
    assert "Formed 3 STO teams in ng (seed 5):" in result.output
    assert dry.output.splitlines()[1:] == result.output.splitlines()[1:]
    db.session.expire_all()
    assert db.session.query(Team).count() == 3
    again = cli("--seed", "5")
    assert again.exit_code == 1
    assert "At least two observers are needed" in again.output


def test_impossible_roster_fails_with_the_rule(mission_factory, cli, db):
    mission = mission_factory(slug="fr-only")
    for n in range(4):
        db.session.add(
            Observer(
                mission_id=mission.id,
                ref=f"o{n}",
                name=f"Obs {n}",
                role="sto",
                nationality="FR",
                languages=["fr"],
            )
        )
    db.session.commit()
    result = cli("--mission", "fr-only")
    assert result.exit_code == 1
    assert "Error: No pair is possible under the rule 'different nationalities'" in result.output
    assert "Traceback" not in result.output
    assert cli("--mission", "nope").exit_code == 1
