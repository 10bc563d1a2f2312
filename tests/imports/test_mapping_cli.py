"""`import stations|observers` with --column, --no-header, --skip-invalid and --errors, on
generated files and on the Kosovo polling-centre list (no header row, one row without a
locality), which could not be imported without editing it before."""

import csv
import io
import shutil

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from observer_suite.cli import main
from observer_suite.models import Area, Observer, PollingStation
from tests.conftest import SHARED_DATA

KOSOVO = SHARED_DATA / "xk-polling-centres.csv"
KOSOVO_MAPPING = [
    *("--column", "code=7", "--column", "name=1", "--column", "locality=3"),
    *("--column", "latitude=5", "--column", "longitude=6", "--column", "polling_centre=1"),
]


@pytest.fixture
def ng(mission_factory):
    return mission_factory(slug="ng-2027", levels="state,lga,ward")


@pytest.fixture
def xk(mission_factory):
    return mission_factory(slug="xk-2013", levels="locality", country="XK")


def run(database_url, *args):
    return CliRunner().invoke(main, ["--database-url", database_url, "import", *args])


def count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


ODD_HEADERS = (
    "Region,District,Sub,Site,Site ID,Voters\n"
    "NORTH,N1,N1a,School A,S-001,400\n"
    "NORTH,N1,N1b,School B,S-002,500\n"
)


def test_columns_by_header_name(db, ng, database_url, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text(ODD_HEADERS)
    refused = run(database_url, "stations", str(path), "--mission", "ng-2027")
    assert refused.exit_code == 1 and "missing column 'state'" in refused.output
    mapping = ["--column", "state=Region", "--column", "lga=district", "--column", "ward=SUB"]
    mapping += ["--column", "name=Site", "--column", "code=Site ID"]
    mapping += ["--column", "registered_voters="]  # matched by its alias, left out
    done = run(database_url, "stations", str(path), "--mission", "ng-2027", *mapping)
    assert done.exit_code == 0, done.output
    assert "2 stations: 2 created" in done.output
    assert "columns not imported: Voters" in done.output
    assert count(db, PollingStation) == 2 and count(db, Area) == 4
    assert db.session.scalars(select(PollingStation.registered_voters)).all() == [None, None]


def test_column_numbers_with_no_header(db, ng, database_url, tmp_path):
    path = tmp_path / "noheader.csv"
    path.write_text(ODD_HEADERS.split("\n", 1)[1])
    mapping = [
        f"--column={field}={n}"
        for field, n in [
            ("state", 1),
            ("lga", 2),
            ("ward", 3),
            ("name", 4),
            ("code", 5),
            ("registered_voters", 6),
        ]
    ]
    done = run(database_url, "stations", str(path), "--mission", "ng-2027", "--no-header", *mapping)
    assert done.exit_code == 0, done.output
    assert "2 stations: 2 created" in done.output
    voters = db.session.scalars(select(PollingStation.registered_voters)).all()
    assert sorted(voters) == [400, 500]


def test_first_row_of_data_is_detected(db, ng, database_url, tmp_path):
    path = tmp_path / "noheader.csv"
    path.write_text(ODD_HEADERS.split("\n", 1)[1])
    refused = run(database_url, "stations", str(path), "--mission", "ng-2027")
    assert refused.exit_code == 1
    assert "the first row looks like data" in refused.output
    assert "use --no-header and --column" in refused.output
    assert count(db, PollingStation) == 0


def test_bad_column_options_are_refused(db, ng, database_url, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text(ODD_HEADERS)
    for option, message in [
        ("state=Nope", "the file has no column 'Nope'"),
        ("state=9", "state is mapped to column 9; the file has 6"),
        ("colour=1", "there is no field 'colour' to map"),
        ("state", "write FIELD=HEADER or FIELD=N"),
    ]:
        result = run(database_url, "stations", str(path), "--column", option)
        assert result.exit_code == 1, option
        assert message in result.output and "Traceback" not in result.output
    assert count(db, PollingStation) == 0


def test_errors_are_grouped_by_reason_and_written_in_full(db, ng, database_url, tmp_path):
    rows = ["state,lga,ward,name,code,lat,lon"]
    for i in range(1, 31):
        ward = "" if i % 3 == 0 else "W"
        lat = "95" if i == 7 else "5.1"
        rows.append(f"S,L,{ward},Station {i},C{i:03},{lat},7.1")
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(rows) + "\n")
    errors = tmp_path / "errors.csv"
    result = run(database_url, "stations", str(path), "--errors", str(errors))
    assert result.exit_code == 1
    assert "10 rows: ward: a value is required — lines 4, 7, 10, 13, 16, 19, 22, 25, 28, 31"
    assert "10 rows: ward: a value is required — lines 4, 7, 10" in result.output
    assert "1 row: lat: … is outside -90..90 — line 8" in result.output
    assert result.output.count("e.g. line") == 4  # three examples of the ten, and the one
    listed = list(csv.DictReader(io.StringIO(errors.read_text(encoding="utf-8-sig"))))
    assert len(listed) == 11 and listed[0] == {
        "line": "4",
        "column": "ward",
        "problem": "a value is required",
    }
    assert count(db, PollingStation) == 0


def test_skip_invalid_imports_the_rest_and_writes_the_refused(db, ng, database_url, tmp_path):
    path = tmp_path / "some-bad.csv"
    path.write_text(
        "state,lga,ward,name,code\n"
        "S,L,W1,One,C1\n"
        "S,L2,,Two,C2\n"  # no ward: refused, and its lga L2 is not created
        "S,L,W1,Three,C1\n"  # duplicate code: refused, the first C1 is kept
        "S,L,W2,Four,C4\n"
    )
    atomic = run(database_url, "stations", str(path))
    assert atomic.exit_code == 1 and count(db, PollingStation) == 0
    done = run(database_url, "stations", str(path), "--skip-invalid")
    assert done.exit_code == 0, done.output
    assert "2 stations: 2 created" in done.output and "4 areas created" in done.output
    assert "2 rows refused and left out" in done.output
    rejects = tmp_path / "some-bad.rejects.csv"
    assert f"Refused rows, with a reason column: {rejects}" in done.output
    refused = list(csv.reader(io.StringIO(rejects.read_text(encoding="utf-8-sig"))))
    assert refused == [
        ["state", "lga", "ward", "name", "code", "reason"],
        ["S", "L2", "", "Two", "C2", "ward: a value is required"],
        ["S", "L", "W1", "Three", "C1", "code: duplicate station code 'C1' (also on line 2)"],
    ]
    assert sorted(db.session.scalars(select(PollingStation.code))) == ["C1", "C4"]
    assert sorted(db.session.scalars(select(Area.path))) == ["S", "S/L", "S/L/W1", "S/L/W2"]


def test_skip_invalid_observers(db, ng, database_url, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("ref,name,role\nA1,Ann,sto\nA2,Bob,pilot\nA3,Cy,lto\n")
    rejects = tmp_path / "out" / "refused.csv"
    rejects.parent.mkdir()
    done = run(database_url, "observers", str(path), "--skip-invalid", "--rejects", str(rejects))
    assert done.exit_code == 0, done.output
    assert "2 observers: 2 created" in done.output
    assert "A2,Bob,pilot,\"role: 'pilot' is not one of" in rejects.read_text(encoding="utf-8-sig")
    assert count(db, Observer) == 2


def test_kosovo_file_with_a_mapping_and_no_edits(db, xk, database_url, tmp_path):
    before = KOSOVO.read_bytes()
    plain = run(database_url, "stations", str(KOSOVO), "--mission", "xk-2013")
    assert plain.exit_code == 1 and "the first row looks like data" in plain.output
    args = ["stations", str(KOSOVO), "--mission", "xk-2013", "--no-header", *KOSOVO_MAPPING]
    atomic = run(database_url, *args)
    assert atomic.exit_code == 1
    assert "1 row: column 3 (locality): a value is required — line 382" in atomic.output
    assert count(db, PollingStation) == 0
    rejects = tmp_path / "xk-rejects.csv"
    done = run(database_url, *args, "--skip-invalid", "--rejects", str(rejects))
    assert done.exit_code == 0, done.output
    assert "724 stations: 724 created" in done.output
    assert "1 row refused and left out" in done.output
    assert count(db, PollingStation) == 724
    station = db.session.scalar(select(PollingStation).where(PollingStation.code == "1931e"))
    assert station.name == "Anton Zako Çajupi" and station.latitude == pytest.approx(42.721944)
    assert station.area.name == "Nëntë Jugoviqët"
    assert rejects.read_bytes().decode("utf-8-sig") == (
        "Xhelal Sopi,Filllore,,62000,,,1025d,column 3 (locality): a value is required\r\n"
    )
    assert KOSOVO.read_bytes() == before


def test_rejects_next_to_the_input_by_default(db, xk, database_url, tmp_path):
    copy = tmp_path / "xk.csv"
    shutil.copy(KOSOVO, copy)
    args = ["stations", str(copy), "--no-header", "--skip-invalid", "--dry-run", *KOSOVO_MAPPING]
    done = run(database_url, *args)
    assert done.exit_code == 0, done.output
    assert "724 stations: 724 to create" in done.output and "would be left out" in done.output
    assert (tmp_path / "xk.rejects.csv").read_text(encoding="utf-8-sig").startswith("Xhelal Sopi")
    assert count(db, PollingStation) == 0


def test_a_workbook_without_a_header_row(db, ng):
    from observer_suite.imports import run_import
    from tests.imports.files import xlsx

    data = xlsx([[None], ["S", "L", "W", "One", "C1", 12], ["S", "L", "W", "Two", "C2", 30]])
    refused = run_import("stations", ng, data, "plain.xlsx", dry_run=True)
    assert refused.first_row_is_data and "the first row looks like data" in refused.file_error
    mapping = {"state": 0, "lga": 1, "ward": 2, "name": 3, "code": 4, "registered_voters": 5}
    done = run_import(
        "stations", ng, data, "plain.xlsx", dry_run=False, mapping=mapping, header=False
    )
    assert done.ok, done.error_lines()
    assert done.counts["create"] == 2 and "the sheet has no header row" in " ".join(done.notes)
    db.session.commit()
    assert sorted(db.session.scalars(select(PollingStation.registered_voters))) == [12, 30]
