"""The upload pages: permission, preview, error list, commit and redirect."""

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from observer_suite.models import Observer, PollingStation
from tests.conftest import csrf_token

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def mission(mission_factory):
    return mission_factory(slug="ng-2027")


@pytest.fixture
def coordinator(login, user_factory, mission):
    return login(user_factory(role="coordinator", missions=[mission]))


def post(client, url: str, path: Path, dry_run: bool, data: bytes | None = None):
    form = {
        "csrf_token": csrf_token(client, url),
        "file": (path.open("rb") if data is None else io.BytesIO(data), path.name),
    }
    if dry_run:
        form["dry_run"] = "y"
    return client.post(url, data=form, content_type="multipart/form-data")


def stations(db) -> int:
    return db.session.scalar(select(func.count()).select_from(PollingStation))


def test_form_is_shown_to_coordinators_only(client, login, user_factory, mission, coordinator):
    page = client.get("/missions/ng-2027/import/stations")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and "polling_unit_code" in html
    assert 'name="dry_run"' in html and "checked" in html
    client.post("/logout", data={"csrf_token": csrf_token(client, "/missions/ng-2027")})
    login(user_factory(role="analyst", missions=[mission]))
    assert client.get("/missions/ng-2027/import/stations").status_code == 403


def test_other_missions_are_not_found(mission_factory, coordinator):
    mission_factory(slug="other-one")
    assert coordinator.get("/missions/other-one/import/observers").status_code == 404


def test_preview_then_import(db, coordinator):
    url = "/missions/ng-2027/import/stations"
    page = post(coordinator, url, DATA / "stations-small.csv", dry_run=True)
    assert page.status_code == 200
    summary = re.search(r'id="import-summary".*?</section>', page.get_data(as_text=True), re.S)
    assert "5 stations: 5 to create, 0 to update, 0 unchanged; 9 areas to create" in summary[0]
    assert stations(db) == 0

    done = post(coordinator, url, DATA / "stations-small.csv", dry_run=False)
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/missions/ng-2027/stations")
    assert stations(db) == 5
    followed = coordinator.get(done.headers["Location"]).get_data(as_text=True)
    assert "5 stations: 5 created, 0 updated, 0 unchanged; 9 areas created" in followed


def test_errors_are_listed_with_line_numbers(db, coordinator):
    bad = (DATA / "stations-small.csv").read_text().replace("5.968252", "95.2").encode()
    page = post(coordinator, "/missions/ng-2027/import/stations", Path("bad.csv"), False, bad)
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    errors = re.search(r'<ul class="errors" id="import-errors">(.*?)</ul>', html, re.S)[1]
    assert "line 2, Lat: &#39;95.2&#39; is outside -90..90" in errors
    assert stations(db) == 0


def test_wrong_extension_is_refused_by_the_form(db, coordinator):
    page = post(coordinator, "/missions/ng-2027/import/stations", Path("s.json"), False, b"{}")
    assert page.status_code == 400
    assert "Upload a .csv, .tsv, .txt or .xlsx file." in page.get_data(as_text=True)


def test_roster_import_redirects_to_observers(db, coordinator):
    done = post(coordinator, "/missions/ng-2027/import/observers", DATA / "roster.csv", False)
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/missions/ng-2027/observers")
    assert db.session.scalar(select(func.count()).select_from(Observer)) == 5
