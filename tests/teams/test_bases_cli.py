"""`observer-suite teams bases`, `teams deploy`, and `plan` when no team has a base."""

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from observer_suite.cli import main
from observer_suite.models import AuditEntry, PollingStation, Team, TeamArea


@pytest.fixture
def cli(app, database_url):
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, ["--database-url", database_url, *args])

    return run


def _bases(db):
    db.session.expire_all()
    return {
        t.code: (t.base_name, t.base_latitude, t.base_longitude)
        for t in db.session.scalars(select(Team).order_by(Team.code))
    }


def test_bases_from_coordinates_and_areas(teams, cli, db, tmp_path):
    path = tmp_path / "bases.csv"
    path.write_text("Team,Latitude,Longitude,Area\nT01,6.5,7.5,\nt02,,,D11\nT03,,,district 12\n")
    dry = cli("teams", "bases", str(path), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Dry run, nothing written. Would set 3 bases:" in dry.output
    assert all(base == (None, None, None) for base in _bases(db).values())
    result = cli("teams", "bases", str(path), "--mission", "ng")
    assert result.exit_code == 0, result.output
    bases = _bases(db)
    assert bases["T01"] == (None, 6.5, 7.5)
    # D11: 500 voters at (6.0, 7.0), 700 at (6.2, 7.4) -> weighted centre
    name, lat, lon = bases["T02"]
    assert name == "District 11 (centre)"
    assert lat == pytest.approx((500 * 6.0 + 700 * 6.2) / 1200, abs=1e-6)
    assert lon == pytest.approx((500 * 7.0 + 700 * 7.4) / 1200, abs=1e-6)
    assert bases["T03"][1:] == (7.0, 8.0)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "team_bases"))


def test_bad_bases_file_lists_every_line_and_writes_nothing(teams, cli, db, tmp_path):
    path = tmp_path / "bases.csv"
    path.write_text(
        "team,latitude,longitude,area\n"
        "T01,6.5,7.5,D11\n"
        "T09,6.5,7.5,\n"
        "T02,95,7.5,\n"
        "T03,,,Nowhere\n"
        "T01,1,1,\n"
        ",1,1,\n"
        "L01,,,D22\n"
        "T02,1,1,D11\n"
    )
    result = cli("teams", "bases", str(path))
    assert result.exit_code == 1
    out = result.output
    assert "line 3, team: no team 'T09' in this mission" in out
    assert "line 4, latitude: '95' is not a latitude between -90 and 90" in out
    assert "line 5, area: no area with code or name 'Nowhere' in this mission" in out
    assert "line 6, team: T01 is already on line 2" in out
    assert "line 7, team: is empty" in out
    assert "line 8: area 'District 22' has no stations with coordinates" in out
    assert "line 2, area: give latitude/longitude or an area, not both" in out
    assert "line 9, team: T02 is already on line 4" in out
    lines = [int(line.split(",")[0].split(":")[0][5:]) for line in out.splitlines()[:-1]]
    assert lines == sorted(lines)
    assert "no base was set" in out and "Traceback" not in out
    assert all(base == (None, None, None) for base in _bases(db).values())


def test_bases_file_without_the_columns(teams, cli, tmp_path):
    path = tmp_path / "bases.csv"
    path.write_text("team,place\nT01,x\n")
    result = cli("teams", "bases", str(path))
    assert result.exit_code == 1
    assert "needs 'latitude' and 'longitude' columns, or an 'area' column" in result.output


def test_deploy_spreads_teams_by_voters_and_explains(teams, cli, db):
    dry = cli("teams", "deploy", "--seed", "4", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert all(base == (None, None, None) for base in _bases(db).values())
    result = cli("teams", "deploy", "--seed", "4")
    assert result.exit_code == 0, result.output
    assert dry.output.splitlines()[1:] == result.output.splitlines()[1:]
    assert "Deployed 3 STO teams in ng (seed 4):" in result.output
    # R1 has 1,500 voters; R2's one station has no count and weighs the mean, 500
    out = result.output
    assert "stations without a voter count weigh the mean, 500 voters" in out
    assert "region Region 1: 1,500 of 2,000 registered voters (75.0%) → 2 of 3 teams" in out
    assert "region Region 2: 500 of 2,000 registered voters (25.0%) → 1 of 3 teams" in out
    assert "district District 11: 1,200 of 1,500 registered voters (80.0%) → 2 of 2 teams" in out
    assert "base at the voter-weighted centre of its" in result.output
    bases = _bases(db)
    assert bases["L01"] == (None, None, None)
    assert sorted(b[0] for c, b in bases.items() if c != "L01") == [
        "District 11 (centre)",
        "District 11 (centre)",
        "District 21 (centre)",
    ]
    links = db.session.scalars(select(TeamArea)).all()
    assert len(links) == 3
    again = cli("teams", "deploy")
    assert again.exit_code == 0 and "nothing to deploy" in again.output


def test_deploy_to_chosen_regions(teams, cli, db):
    result = cli("teams", "deploy", "--regions", "R2")
    assert result.exit_code == 0, result.output
    assert {b[0] for c, b in _bases(db).items() if c != "L01"} == {"District 21 (centre)"}
    bad = cli("teams", "deploy", "--regions", "R7")
    assert bad.exit_code == 1
    assert "regions: no area with code or name 'R7'" in bad.output


def test_plan_without_bases_fails_with_the_reason(teams, cli, db):
    result = cli("plan")
    assert result.exit_code == 1, result.output
    assert "no team could be planned; nothing was saved" in result.output
    assert "3 of 3 teams have no base" in result.output
    assert "teams deploy" in result.output
    assert "Traceback" not in result.output
    from observer_suite.models import DeploymentPlan

    assert db.session.scalar(select(DeploymentPlan)) is None


def test_a_station_geocoded_far_away_does_not_drag_the_centre(teams, cli, db, tmp_path):
    d11 = teams.areas["D11"]
    db.session.add(
        PollingStation(
            mission_id=teams.mission.id, area_id=d11.id, code="005", name="Mis-geocoded",
            registered_voters=400, latitude=51.0, longitude=-114.0,
        )
    )  # fmt: skip
    db.session.commit()
    path = tmp_path / "bases.csv"
    path.write_text("team,area\nT01,D11\n")
    result = cli("teams", "bases", str(path))
    assert result.exit_code == 0, result.output
    _, lat, lon = _bases(db)["T01"]
    assert lat == pytest.approx((500 * 6.0 + 700 * 6.2) / 1200, abs=1e-6)
    assert lon == pytest.approx((500 * 7.0 + 700 * 7.4) / 1200, abs=1e-6)
    deploy = cli("teams", "deploy", "--regions", "Region 1")
    assert "1 station more than 1° from the others ignored" in deploy.output


def test_bases_from_a_workbook(teams, cli, db, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Team", "Area"])
    sheet.append(["T01", "D12"])
    sheet.append(["T02", "Region 2"])
    path = tmp_path / "bases.xlsx"
    book.save(path)
    result = cli("teams", "bases", str(path))
    assert result.exit_code == 0, result.output
    bases = _bases(db)
    assert bases["T01"] == ("District 12 (centre)", 7.0, 8.0)
    assert bases["T02"] == ("Region 2 (centre)", 9.0, 9.0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"team,area\n", "no data rows"),
        (b"\x00\x01\x02\xff\xfe garbage", "bases.csv"),
    ],
)
def test_unreadable_bases_files_say_why(teams, cli, tmp_path, content, message):
    path = tmp_path / "bases.csv"
    path.write_bytes(content)
    result = cli("teams", "bases", str(path))
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
