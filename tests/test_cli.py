"""The `observer-suite` command against the test database, as an operator would use it."""

import subprocess
import sys

import pytest
from click.testing import CliRunner

from observer_suite.cli import main
from observer_suite.models import Mission, PollingStation, User

GOOD = (
    "state,state_code,lga,lga_code,ward,ward_code,polling_unit,polling_unit_code,latitude,longitude\n"
    "ENUGU,14,NKANU EAST,08,AMAGUNZE,01,AMAGUNZE PRIMARY SCHOOL,14/08/01/001,6.35,7.62\n"
    "ENUGU,14,NKANU EAST,08,AMAGUNZE,01,OKPUJE SQUARE,14/08/01/002,,\n"
)


@pytest.fixture
def cli(app, database_url):
    runner = CliRunner()

    def run(*args, stdin: str | None = None):
        return runner.invoke(main, ["--database-url", database_url, *args], input=stdin)

    return run


def test_mission_create_then_user_with_password_from_stdin(cli, db):
    result = cli(
        "mission",
        "create",
        "enugu-2027",
        "--name",
        "Enugu pilot",
        "--country",
        "ng",
        "--election-date",
        "2027-02-25",
        "--levels",
        "state,lga,ward",
        "--timezone",
        "Africa/Lagos",
    )
    assert result.exit_code == 0, result.output
    assert "levels state, lga, ward" in result.output
    result = cli(
        "create-user",
        "carla",
        "--role",
        "coordinator",
        "--mission",
        "enugu-2027",
        "--password-stdin",
        stdin="a-very-long-password\n",
    )
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    user = db.session.query(User).filter_by(username="carla").one()
    assert user.check_password("a-very-long-password")
    assert [m.mission.slug for m in user.memberships] == ["enugu-2027"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [
                "mission",
                "create",
                "x-1",
                "--name",
                "X",
                "--country",
                "Nigeria",
                "--election-date",
                "2027-01-01",
                "--levels",
                "state",
            ],
            "country",
        ),
        (
            [
                "mission",
                "create",
                "x-1",
                "--name",
                "X",
                "--country",
                "NG",
                "--election-date",
                "2027-13-01",
                "--levels",
                "state",
            ],
            "election-date",
        ),
        (["create-user", "bob", "--role", "emperor", "--password-stdin"], "role"),
        (
            ["create-user", "bob", "--role", "lead", "--mission", "nowhere", "--password-stdin"],
            "no mission 'nowhere'",
        ),
    ],
)
def test_errors_print_a_message_and_exit_non_zero(cli, args, message):
    result = cli(*args, stdin="a-very-long-password\n")
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_short_password_is_refused(cli, mission_factory):
    mission_factory(slug="m1")
    result = cli("create-user", "bob", "--role", "lead", "--password-stdin", stdin="short\n")
    assert result.exit_code == 1
    assert "at least 10 characters" in result.output


def test_import_stations_dry_run_then_for_real(cli, mission_factory, db, tmp_path):
    mission_factory(slug="enugu", levels="state,lga,ward")
    file = tmp_path / "pu.csv"
    file.write_text(GOOD)
    dry = cli("import", "stations", str(file), "--dry-run")  # --mission implied
    assert dry.exit_code == 0, dry.output
    assert "Dry run" in dry.output and "2 to create" in dry.output
    assert db.session.query(PollingStation).count() == 0
    real = cli("import", "stations", str(file), "--mission", "enugu")
    assert real.exit_code == 0, real.output
    assert db.session.query(PollingStation).count() == 2
    again = cli("import", "stations", str(file))
    assert "0 to create" in again.output or "0 created" in again.output


def test_import_with_bad_lines_lists_them_and_writes_nothing(cli, mission_factory, db, tmp_path):
    mission_factory(slug="enugu", levels="state,lga,ward")
    file = tmp_path / "pu.csv"
    file.write_text(GOOD + "ENUGU,14,NKANU EAST,08,AMAGUNZE,01,BAD,14/08/01/003,96.1,7.6\n")
    result = cli("import", "stations", str(file))
    assert result.exit_code == 1
    assert "line 4" in result.output and "latitude" in result.output
    assert "nothing was imported" in result.output
    assert db.session.query(PollingStation).count() == 0


def test_import_needs_a_mission_when_there_are_several(cli, mission_factory, tmp_path):
    mission_factory(slug="one")
    mission_factory(slug="two")
    file = tmp_path / "pu.csv"
    file.write_text(GOOD)
    result = cli("import", "stations", str(file))
    assert result.exit_code == 1
    assert "--mission SLUG" in result.output


def test_python_dash_m_runs_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "observer_suite", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0
    for command in ("db", "create-user", "mission", "import", "demo", "serve"):
        assert command in result.stdout


def test_mission_created_by_cli_is_audited(cli, db):
    cli(
        "mission",
        "create",
        "audited",
        "--name",
        "A",
        "--country",
        "NG",
        "--election-date",
        "2027-02-25",
        "--levels",
        "state",
    )
    from observer_suite.models import AuditEntry

    entry = db.session.query(AuditEntry).filter_by(entity="Mission").one()
    assert entry.username == "cli" and entry.action == "create"
    assert db.session.query(Mission).count() == 1
