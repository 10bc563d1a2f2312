"""Station imports against the database: all or nothing, idempotent, updates by code."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from observer_suite.imports import run_import
from observer_suite.models import Area, AuditEntry, PollingStation
from tests.imports.files import xlsx

REPO = Path(__file__).resolve().parents[2]
NIGERIA = REPO / ".." / "shared" / "data" / "ng-polling-units.csv"
SMALL = REPO / "tests" / "data" / "stations-small.csv"
HEADER = "state,lga,ward,code,name,registered_voters,latitude,longitude"


def count(db, *criteria, model=PollingStation) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*criteria))


def run(mission, data: bytes, filename: str = "stations.csv", dry_run: bool = False):
    return run_import("stations", mission, data, filename, dry_run=dry_run)


@pytest.fixture
def mission(mission_factory):
    return mission_factory(slug="ng-2027", levels="state,lga,ward")


@pytest.mark.skipif(not NIGERIA.exists(), reason=f"shared test data not found: {NIGERIA}")
def test_nigeria_file_imports_once_and_reimport_changes_nothing(db, mission):
    data = NIGERIA.read_bytes()
    calls = []
    result = run(mission, data, "ng-polling-units.csv", dry_run=False)
    db.session.commit()
    assert result.ok and result.applied
    assert result.summary_lines()[0] == (
        "12795 stations: 12795 created, 0 updated, 0 unchanged; 811 areas created"
    )
    assert count(db) == 12795
    assert count(db, PollingStation.latitude.is_not(None)) == 11830
    assert count(db, PollingStation.longitude.is_not(None)) == 11830
    levels = dict(db.session.execute(select(Area.level, func.count()).group_by(Area.level)).all())
    assert levels == {0: 3, 1: 51, 2: 757}
    ward = db.session.scalar(select(Area).where(Area.path == "04/01/01"))
    assert (ward.name, ward.code, ward.level) == ("ACHINA   I", "01", 2)
    assert ward.parent.path == "04/01" and ward.parent.parent.name == "ANAMBRA"
    station = db.session.scalar(select(PollingStation).where(PollingStation.code == "04/01/01/001"))
    assert station.area_id == ward.id and station.latitude == 5.968252

    again = run_import(
        "stations", mission, data, "ng.csv", dry_run=False, progress=lambda *a: calls.append(a)
    )
    db.session.commit()
    assert (again.counts["create"], again.counts["update"]) == (0, 0)
    assert again.counts["unchanged"] == 12795 and again.counts["areas_create"] == 0
    assert count(db) == 12795 and count(db, model=Area) == 811
    assert calls[-1] == (2 * 12795, 2 * 12795)
    assert all(done <= total for done, total in calls)


def test_small_file_and_its_audit_entry(db, mission):
    result = run(mission, SMALL.read_bytes(), "stations-small.csv")
    db.session.commit()
    assert result.summary_lines() == [
        "5 stations: 5 created, 0 updated, 0 unchanged; 9 areas created"
    ]
    assert count(db) == 5 and count(db, model=Area) == 9
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import"))
    assert entry.entity == "PollingStation" and entry.mission_id == mission.id
    assert entry.details["create"] == 5 and entry.details["filename"] == "stations-small.csv"
    # Bulk writes bypass the per-object audit: one summary entry, not one per row.
    assert count(db, AuditEntry.entity.in_(["PollingStation", "Area"]), model=AuditEntry) == 1


def test_dry_run_writes_nothing(db, mission):
    result = run(mission, SMALL.read_bytes(), dry_run=True)
    db.session.commit()
    assert result.ok and not result.applied
    assert result.summary_lines() == [
        "5 stations: 5 to create, 0 to update, 0 unchanged; 9 areas to create"
    ]
    assert result.examples[0] == "create station 04/01/01/001 'ST. CHARLES SCHOOL'"
    assert count(db) == 0 and count(db, model=Area) == 0
    assert count(db, AuditEntry.action == "import", model=AuditEntry) == 0


def test_updated_file_updates_by_code(db, mission):
    run(mission, SMALL.read_bytes())
    db.session.commit()
    text = SMALL.read_text()
    text = text.replace("ST. CHARLES SCHOOL", "ST. CHARLES PRIMARY SCHOOL")  # renamed
    text = text.replace("6.05,6.95", "6.06,6.96")  # moved
    text = text.replace("ACHINA II,02", "ACHINA 2,02")  # area renamed, same code path
    text = text.replace(
        "ENUGU,14,AWGU,01,AGBOGUGU,01,14/01/01/001",  # station moves to a new ward
        "ENUGU,14,AWGU,01,NEW WARD,02,14/01/01/001",
    )
    text += "ENUGU,14,AWGU,01,AGBOGUGU,01,14/01/01/002,NEW SCHOOL,,40,,\r\n"
    preview = run(mission, text.encode(), dry_run=True)
    assert preview.summary_lines() == [
        "6 stations: 1 to create, 3 to update, 2 unchanged; 1 areas to create, 1 to rename"
    ]
    assert "update station 04/01/01/001: name 'ST. CHARLES SCHOOL' → " in preview.examples[1]
    assert "update station 14/01/01/001: area '14/01/01' → '14/01/02'" in preview.examples
    assert "rename area 04/01/02: 'ACHINA II' → 'ACHINA 2'" in preview.examples
    result = run(mission, text.encode())
    db.session.commit()
    assert result.counts["update"] == 3
    stations = {s.code: s for s in db.session.scalars(select(PollingStation))}
    assert stations["04/01/01/001"].name == "ST. CHARLES PRIMARY SCHOOL"
    assert (stations["04/02/01/001"].latitude, stations["04/02/01/001"].longitude) == (6.06, 6.96)
    assert stations["14/01/01/001"].area.path == "14/01/02"
    assert stations["14/01/01/001"].area.parent.path == "14/01"
    assert db.session.scalar(select(Area.name).where(Area.path == "04/01/02")) == "ACHINA 2"
    assert count(db) == 6
    again = run(mission, text.encode())
    assert (again.counts["create"], again.counts["update"], again.counts["areas_update"]) == (
        0,
        0,
        0,
    )


def test_stations_missing_from_the_file_are_kept(db, mission):
    run(mission, SMALL.read_bytes())
    db.session.commit()
    first_three = "".join(SMALL.read_text().splitlines(keepends=True)[:4])
    result = run(mission, first_three.encode(), dry_run=True)
    assert result.counts["not_in_file"] == 2
    assert "2 stations already in the mission are not in this file" in result.summary_lines()[1]


def test_columns_absent_from_the_file_keep_their_values(db, mission):
    run(mission, SMALL.read_bytes())
    db.session.commit()
    result = run(
        mission,
        b"state,state_code,lga,lga_code,ward,ward_code,code,name\n"
        b"ANAMBRA,04,AGUATA,01,ACHINA I,01,04/01/01/001,ST. CHARLES SCHOOL\n",
    )
    db.session.commit()
    assert result.counts["unchanged"] == 1
    station = db.session.scalar(select(PollingStation).where(PollingStation.code == "04/01/01/001"))
    assert station.registered_voters == 512 and station.latitude == 5.968252


GOOD = [HEADER, "A,B,C,001,One,10,5.1,7.1", "A,B,C,002,Two,20,5.2,7.2"]


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        pytest.param(
            b"state,lga,ward,name\nA,B,C,One\n",
            "s.csv",
            [
                "missing column 'code' (accepted names: code, pu_code, polling_unit_code, "
                "station_code, ps_code, polling_station_code)"
            ],
            id="missing-column",
        ),
        pytest.param(
            "\n".join([*GOOD, "A,B,C,001,Again,30,5.3,7.3"]).encode(),
            "s.csv",
            ["line 4, code: duplicate station code '001' (also on line 2)"],
            id="duplicate-code",
        ),
        pytest.param(
            "\n".join([*GOOD, "A,B,C,003,Three,30,95.2,7.3", "A,B,C,004,Four,1,5,-181"]).encode(),
            "s.csv",
            [
                "line 4, latitude: '95.2' is outside -90..90",
                "line 5, longitude: '-181' is outside -180..180",
            ],
            id="bad-coordinate",
        ),
        pytest.param(
            "\n".join([*GOOD, "A,B,C,003,Three,thirty,5.3,7.3"]).encode(),
            "s.csv",
            ["line 4, registered_voters: 'thirty' is not a whole number"],
            id="text-in-number",
        ),
        pytest.param(
            "\n".join([*GOOD, "A,B,C,003,Été,x,5.3,7.3"]).encode("cp1252"),
            "s.csv",
            ["line 4, registered_voters: 'x' is not a whole number"],
            id="cp1252",
        ),
        pytest.param(
            "\n".join([*GOOD, "A,B,C,003,Three,30,5.3,7.3"]).replace(",", ";").encode()
            + b"\nA;B;C;004;Four;40;5,4;x\n",
            "s.csv",
            ["line 5, longitude: 'x' is not a number"],
            id="semicolons",
        ),
        pytest.param(
            "\ufeff".encode() + "\r\n".join([*GOOD, "A,B,,003,Three,30,5.3,7.3"]).encode(),
            "s.csv",
            ["line 4, ward: a value is required"],
            id="bom",
        ),
        pytest.param(
            "\n".join([*GOOD, "A,B,C,003,Three,30,5.3,"]).replace(",", "\t").encode(),
            "s.tsv",
            ["line 4, longitude: is empty but latitude is given; give both or neither"],
            id="tab",
        ),
        pytest.param(b"", "s.csv", ["the file is empty"], id="empty"),
        pytest.param(
            (HEADER + "\r\n").encode(),
            "s.csv",
            ["the file has a header row but no data rows"],
            id="header-only",
        ),
        pytest.param(
            xlsx(
                [
                    HEADER.split(","),
                    ["A", "B", "C", "001", "One", 10, 5.1, 7.1],
                    [],
                    ["A", "B", "C", "002", "Two", "many", 91, 7.2],
                ]
            ),
            "s.xlsx",
            [
                "line 4, registered_voters: 'many' is not a whole number",
                "line 4, latitude: '91' is outside -90..90",
            ],
            id="xlsx",
        ),
        pytest.param(b"not a workbook", "s.xlsx", None, id="unreadable-xlsx"),
        pytest.param(
            "\n".join(
                [*GOOD, "A,B,C,003,Three,30,5.3", "A,B,C,004,Four,40,5.4,7.4,extra"]
            ).encode(),
            "s.csv",
            [
                "line 4: has 7 fields but the header has 8",
                "line 5: has 9 fields but the header has 8",
            ],
            id="ragged-row",
        ),
    ],
)
def test_bad_files_write_nothing(db, mission, data, filename, expected):
    run(mission, SMALL.read_bytes())
    db.session.commit()
    before = count(db), count(db, model=Area), count(db, model=AuditEntry)
    result = run(mission, data, filename)
    db.session.commit()
    assert not result.ok and not result.applied and result.summary_lines() == []
    if expected is None:
        assert result.error_lines()[0].startswith("the file cannot be read as an Excel workbook")
    else:
        assert result.error_lines() == expected
    assert (count(db), count(db, model=Area), count(db, model=AuditEntry)) == before


@pytest.mark.parametrize(
    ("data", "filename", "note"),
    [
        (
            "\n".join([*GOOD, "A,B,C,003,Été,30,5.3,7.3"]).encode("cp1252"),
            "s.csv",
            "the file is not UTF-8; it was read as cp1252",
        ),
        (
            "\ufeff" + "\r\n".join(GOOD).replace(",", ";") + "\r\nA;B;C;003;Été;30;5,3;7,3",
            "s.csv",
            "columns are separated by semicolons",
        ),
        (
            "\n".join(GOOD).replace(",", "\t") + "\nA\tB\tC\t003\tÉté\t30\t5.3\t7.3",
            "s.txt",
            "columns are separated by tabs",
        ),
    ],
    ids=["cp1252", "bom-semicolons", "tab"],
)
def test_other_encodings_and_delimiters_import(db, mission, data, filename, note):
    data = data if isinstance(data, bytes) else data.encode()
    result = run(mission, data, filename)
    db.session.commit()
    assert result.ok and note in result.notes
    assert count(db) == 3
    station = db.session.scalar(select(PollingStation).where(PollingStation.code == "003"))
    assert (station.name, station.latitude, station.longitude) == ("Été", 5.3, 7.3)


def test_xlsx_imports(db, mission):
    rows = [
        HEADER.split(","),
        ["A", "B", "C", 1, "One", 10.0, 5.1, 7.1],
        ["A", "B", "C", "002", "Two", None, None, None],
    ]
    result = run(mission, xlsx(rows), "stations.xlsx")
    db.session.commit()
    assert result.ok, result.error_lines()
    stations = {s.code: s for s in db.session.scalars(select(PollingStation))}
    assert set(stations) == {"1", "002"}
    assert stations["1"].registered_voters == 10 and stations["002"].latitude is None


def test_every_bad_line_is_listed_uncapped(mission):
    lines = [HEADER] + [f"A,B,C,{n},N{n},x,5,7" for n in range(500)]
    result = run(mission, "\n".join(lines).encode())
    assert len(result.error_lines()) == 500
    assert result.error_lines()[-1] == "line 501, registered_voters: 'x' is not a whole number"
