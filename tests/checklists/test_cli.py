"""`observer-suite import form FILE.xlsx` and `observer-suite forms-load`, run as an operator
would."""

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from observer_suite.cli import main
from observer_suite.models import Form
from tests.checklists.conftest import EOM, SHARED_DATA


@pytest.fixture
def cli(app, database_url):
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, ["--database-url", database_url, *args])

    return run


def _forms(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Form))


def test_import_form_commits(cli, mission_factory, db):
    mission_factory(slug="ng")
    result = cli("import", "form", str(EOM))
    assert result.exit_code == 0, result.output
    assert "Imported eom_voting version 2026112801 (voting) into ng." in result.output
    again = cli("import", "form", str(EOM), "--mission", "ng")
    assert again.exit_code == 0 and "Already there, unchanged" in again.output
    assert _forms(db) == 1


def test_refused_form_prints_every_row_and_exits_non_zero(cli, mission_factory, db):
    mission_factory(slug="ng")
    result = cli("import", "form", str(SHARED_DATA / "subdistrict_profiling_tool.xlsx"))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "external_choices sheet: external choices are not supported"
    assert sum(line.startswith("survey row ") for line in lines) == 4
    assert "nothing was imported" in lines[-1] and "Traceback" not in result.output
    assert _forms(db) == 0


def test_unknown_mission_is_an_error(cli, mission_factory):
    mission_factory(slug="ng")
    result = cli("import", "form", str(EOM), "--mission", "nope")
    assert result.exit_code == 1 and "no mission 'nope'" in result.output


def test_forms_load_is_idempotent(cli, mission_factory, db):
    mission_factory(slug="ng")
    first = cli("forms-load")
    assert first.exit_code == 0, first.output
    assert "4 standard forms in ng." in first.output and "std_tabulation 2026.1" in first.output
    assert cli("forms-load", "--mission", "ng").exit_code == 0
    assert _forms(db) == 4
