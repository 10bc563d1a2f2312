"""Commands on a database without a schema (or with an old one): one clear line, exit 1.

`demo` and `serve` migrate the database themselves; `demo` on an empty database then works.
"""

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, func, inspect, select, text

from observer_suite.cli import main
from observer_suite.config import normalise_database_url
from observer_suite.models import Mission, PollingStation
from tests.dbutil import fresh_database

NO_SCHEMA = "database has no schema yet: run `observer-suite db upgrade` first"
OLDER = "database schema is older than the code: run `observer-suite db upgrade`"

COMMANDS = [
    ["import", "stations", "{csv}"],
    ["import", "observers", "{csv}"],
    ["teams", "pair"],
    ["plan"],
    ["report", "deployment", "--out", "{pdf}"],
    [
        "mission",
        "create",
        "m1",
        "--name",
        "M",
        "--country",
        "NG",
        "--election-date",
        "2027-02-25",
        "--levels",
        "state,lga",
    ],
    ["create-user", "carla", "--role", "admin", "--password-stdin"],
]


@pytest.fixture
def empty_url():
    with fresh_database() as url:
        yield url


def _run(url, args, tmp_path):
    csv = tmp_path / "stations.csv"
    csv.write_text("state,polling_unit\n")
    args = [a.format(csv=csv, pdf=tmp_path / "plan.pdf") for a in args]
    return CliRunner().invoke(main, ["--database-url", url, *args], input="a-long-password\n")


def _one_clean_line(result, message):
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [f"Error: {message}"], result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_command_on_empty_database_says_run_db_upgrade(empty_url, tmp_path, args):
    _one_clean_line(_run(empty_url, args, tmp_path), NO_SCHEMA)
    engine = create_engine(normalise_database_url(empty_url))
    try:
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == []  # nothing was created
    finally:
        engine.dispose()


def test_command_on_older_schema_says_run_db_upgrade(empty_url, tmp_path):
    runner = CliRunner()
    old = runner.invoke(main, ["--database-url", empty_url, "db", "upgrade", "--revision", "0005"])
    assert old.exit_code == 0, old.output
    _one_clean_line(_run(empty_url, ["teams", "pair"], tmp_path), OLDER)
    _one_clean_line(_run(empty_url, COMMANDS[0], tmp_path), OLDER)


def test_unknown_revision_says_the_code_is_older(empty_url, tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["--database-url", empty_url, "db", "upgrade"]).exit_code == 0
    engine = create_engine(normalise_database_url(empty_url))
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    finally:
        engine.dispose()
    result = _run(empty_url, ["plan"], tmp_path)
    assert result.exit_code == 1
    assert "newer than this observer-suite" in result.output
    assert "Traceback" not in result.output


def test_commands_work_after_db_upgrade(empty_url, tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["--database-url", empty_url, "db", "upgrade"]).exit_code == 0
    result = _run(empty_url, COMMANDS[5], tmp_path)
    assert result.exit_code == 0, result.output


def test_demo_on_an_empty_database_upgrades_it_and_builds_the_mission(empty_url):
    result = CliRunner().invoke(main, ["--database-url", empty_url, "demo"])
    assert result.exit_code == 0, result.output
    assert "Demo mission 'demo' is ready" in result.output
    engine = create_engine(normalise_database_url(empty_url))
    try:
        with engine.connect() as conn:
            version = conn.scalar(text("SELECT version_num FROM alembic_version"))
            assert conn.scalar(select(func.count()).select_from(Mission.__table__)) == 1
            assert conn.scalar(select(func.count()).select_from(PollingStation.__table__)) > 100
    finally:
        engine.dispose()
    from observer_suite.schema_check import _script

    assert version == _script().get_current_head()
