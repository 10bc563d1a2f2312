"""Malformed files through the CLI and the upload page: a line-numbered (or file-level)
message, a non-zero exit or a 400, no traceback, and nothing written. Each of these crashed
`import stations|observers` or was silently misread before."""

import html
import io
import re
import zipfile

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from observer_suite.cli import main
from observer_suite.imports import run_import
from observer_suite.models import Area, AuditEntry, Observer, PollingStation
from tests.conftest import csrf_token
from tests.imports.files import SHEET, rezip, station_rows, stations_csv, xlsx

OBSERVERS_HEADER = "ref,name,role,previous_missions"


def _truncated_workbook() -> bytes:
    data = xlsx(station_rows(3000))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read(SHEET)
    return rezip(data, {SHEET: sheet[: len(sheet) * 2 // 3]})


def _corrupt_workbook() -> bytes:
    data = xlsx(station_rows(3000))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read(SHEET)
    middle = sheet.index(b'<row r="2000"')
    return rezip(data, {SHEET: sheet[:middle] + b"<row r=<<garbage>>" + sheet[middle:]})


def _zip_of_text() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    return out.getvalue()


CASES = {
    "voters-3e9": (
        "stations",
        "s.csv",
        stations_csv("A,B,C,1,One,3000000000"),
        "line 2, registered_voters: '3000000000' is more than 2,147,483,647",
    ),
    "voters-400-digits": (
        "stations",
        "s.csv",
        stations_csv("A,B,C,1,One,12", "A,B,C,2,Two," + "9" * 400),
        f"line 3, registered_voters: {'9' * 40!r}… (400 characters) is more than 2,147,483,647",
    ),
    "nul-in-name": (
        "stations",
        "s.csv",
        stations_csv("A,B,C,1,One\x00Two,12"),
        "line 2, name: contains the control character U+0000; remove it",
    ),
    "truncated-sheet": (
        "stations",
        "s.xlsx",
        _truncated_workbook(),
        "the workbook is damaged and its first sheet cannot be read from here on",
    ),
    "corrupt-sheet": (
        "stations",
        "s.xlsx",
        _corrupt_workbook(),
        "the workbook is damaged and its first sheet cannot be read from here on",
    ),
    "zip-not-xlsx": (
        "stations",
        "s.xlsx",
        _zip_of_text(),
        "the file cannot be read as an Excel workbook (.xlsx): it is a zip archive but not "
        "a workbook",
    ),
    "utf8-then-cp1252": (
        "stations",
        "s.csv",
        stations_csv("A,B,C,1,Été,12") + "A,B,C,2,Côte,12\n".encode("cp1252"),
        "line 3: this line is not UTF-8 but line 2 is; the file mixes two encodings",
    ),
    "missions-3e9": (
        "observers",
        "r.csv",
        stations_csv("1,Anna,sto,3000000000", header=OBSERVERS_HEADER),
        "line 2, previous_missions: '3000000000' is more than 10,000",
    ),
    "missions-400-digits": (
        "observers",
        "r.csv",
        stations_csv("1,Anna,sto," + "1" * 400, header=OBSERVERS_HEADER),
        "line 2, previous_missions: ",
    ),
    "nul-in-observer": (
        "observers",
        "r.csv",
        stations_csv("1,Anna,sto,1", "2,Ben\x00,sto,1", header=OBSERVERS_HEADER),
        "line 3, name: contains the control character U+0000; remove it",
    ),
}


@pytest.fixture
def mission(mission_factory):
    return mission_factory(slug="ng-2027", levels="state,lga,ward")


def nothing_written(db) -> bool:
    db.session.expire_all()
    counts = [
        db.session.scalar(select(func.count()).select_from(model))
        for model in (PollingStation, Area, Observer)
    ]
    audit = db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import")
    )
    return counts == [0, 0, 0] and audit == 0


@pytest.mark.parametrize("case", CASES)
def test_cli_prints_the_problem_and_exits_non_zero(case, mission, database_url, db, tmp_path):
    kind, filename, data, message = CASES[case]
    path = tmp_path / filename
    path.write_bytes(data)
    result = CliRunner().invoke(
        main, ["--database-url", database_url, "import", kind, str(path), "--mission", "ng-2027"]
    )
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert result.exit_code == 1
    assert message in result.output
    assert "nothing was imported" in result.output and "Traceback" not in result.output
    assert nothing_written(db)


@pytest.mark.parametrize("case", CASES)
def test_upload_page_answers_400_with_the_problem(case, mission, login, user_factory, db):
    kind, filename, data, message = CASES[case]
    client = login(user_factory(role="coordinator", missions=[mission]))
    url = f"/missions/ng-2027/import/{kind}"
    form = {"csrf_token": csrf_token(client, url), "file": (io.BytesIO(data), filename)}
    response = client.post(url, data=form, content_type="multipart/form-data")
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "Nothing was imported" in page and message in page
    assert nothing_written(db)


def test_a_file_wrong_on_every_line_groups_them_and_lists_them_all(mission, login, user_factory):
    """One line per reason on the page, not 3,000; the download lists all 3,000."""
    data = stations_csv(*(f"A,B,C,{n},Station {n},many" for n in range(3000)))
    client = login(user_factory(role="coordinator", missions=[mission]))
    url = "/missions/ng-2027/import/stations"
    form = {"csrf_token": csrf_token(client, url), "file": (io.BytesIO(data), "s.csv")}
    response = client.post(url, data=form, content_type="multipart/form-data")
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert page.count("is not a whole number") == 4  # the group and its three examples
    assert (
        "3,000 rows: registered_voters: … is not a whole number — lines 2, 3, 4, 5, 6, 7, 8, "
        "9, 10, 11 …" in page
    )
    link = re.search(r'id="problems-link" href="([^"]+)"', page)[1]
    listed = client.get(link)
    assert listed.status_code == 200 and listed.mimetype == "text/csv"
    text = listed.get_data(as_text=True)
    assert text.count("is not a whole number") == 3000
    assert "3001,registered_voters,'many' is not a whole number" in text
    assert "more problems not listed" not in text


def test_the_file_name_is_stored_without_control_characters(mission, db):
    data = stations_csv("A,B,C,1,One,12")
    result = run_import("stations", mission, data, "C:\\Users\\x\\st\x00ati\u202eons.csv", False)
    db.session.commit()
    assert result.ok and result.filename == "stations.csv"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import"))
    assert entry.details["filename"] == "stations.csv"
