"""The Kosovo polling-centre list (no header row, one row without a locality) through the
import page in a browser: upload, map the columns, preview, import now, refused rows."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from observer_suite.models import PollingStation
from tests.conftest import PASSWORD, SHARED_DATA

KOSOVO = SHARED_DATA / "xk-polling-centres.csv"


@pytest.fixture(autouse=True)
def upload_folder(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_UPLOAD_DIR", str(tmp_path / "instance"))


def test_kosovo_file_is_mapped_and_imported_in_the_browser(
    live_server, page, mission_factory, user_factory, db
):
    mission = mission_factory(slug="xk-2013", name="Kosovo 2013", levels="locality", country="XK")
    user_factory(role="coordinator", username="coord", missions=[mission])
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "coord")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server}/**")

    page.goto(f"{live_server}/missions/xk-2013/import/stations")
    page.set_input_files("input[type=file]", str(KOSOVO))
    page.click("main button[type=submit]")
    assert "The first row looks like data" in page.inner_text("#import-note")
    assert page.is_checked("#mapping-no_header")

    mapping = page.locator("#import-mapping")
    for field, column in [
        ("code", 6),
        ("name", 0),
        ("locality", 2),
        ("latitude", 4),
        ("longitude", 5),
    ]:
        mapping.locator(f"#mapping-map_{field}").select_option(str(column))
    mapping.locator("button[value=preview]").click()
    errors = page.inner_text("#import-errors")
    assert "1 row: column 3 (locality): a value is required — line 382" in errors
    assert page.locator("#import-now").count() == 0

    assert page.locator("#mapping-map_code").input_value() == "6"  # the mapping is kept
    page.check("#mapping-skip_invalid")
    page.click("#import-mapping button[value=preview]")
    summary = page.inner_text("#import-summary")
    assert "724 stations: 724 to create" in summary and "1 row refused" in summary
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(PollingStation)) == 0

    page.click("#import-now")
    assert "724 stations: 724 created" in page.inner_text("#import-summary")
    with page.expect_download() as download:
        page.click("#rejects-link")
    refused = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert refused.startswith("Xhelal Sopi,Filllore,,62000,,,1025d,")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(PollingStation)) == 724
    assert page.external_requests == []
