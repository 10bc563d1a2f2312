"""A coordinator logs in, imports a small station list through the page, and sees it listed."""

from tests.conftest import PASSWORD

CSV = (
    "State,State Code,LGA,LGA_code,Ward,ward code,Polling Unit,PU Code,Lat,Lon\r\n"
    'ANAMBRA,04,AGUATA,01,ACHINA I,01,"ST MARY\'S SCHOOL, ACHINA",04/01/01/001,5.98,7.09\r\n'
    "ANAMBRA,04,AGUATA,01,ACHINA I,01,VILLAGE SQUARE,04/01/01/002,,\r\n"
    "ANAMBRA,04,AGUATA,01,ACHINA II,02,<b>MARKET</b> STALLS,04/01/02/001,5.99,7.10\r\n"
)


def test_log_in_import_and_browse(live_server, page, mission_factory, user_factory, tmp_path):
    mission = mission_factory(slug="anambra", name="Anambra test mission")
    user_factory(role="coordinator", username="coord", missions=[mission])
    upload = tmp_path / "stations.csv"
    upload.write_text(CSV, encoding="utf-8")

    page.goto(f"{live_server}/missions/anambra/stations")
    assert "/login" in page.url
    page.fill("input[name=username]", "coord")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/missions/anambra/stations")

    page.goto(f"{live_server}/missions/anambra/import/stations")
    page.set_input_files("input[type=file]", str(upload))
    page.click("main button[type=submit]")  # the dry run is ticked by default: a preview
    assert "3 stations: 3 to create" in page.inner_text("#import-summary")
    page.set_input_files("input[type=file]", str(upload))
    page.uncheck("input[name=dry_run]")
    page.click("main button[type=submit]")
    page.wait_for_url("**/missions/anambra/stations**")

    rows = page.locator("#stations tbody tr")
    assert rows.count() == 3
    text = page.inner_text("#stations")
    assert "04/01/01/001" in text and "ST MARY'S SCHOOL, ACHINA" in text
    assert "<b>MARKET</b> STALLS" in text  # shown as text, not markup
    assert page.locator("#stations b").count() == 0

    page.click("text=04/01/01/001")
    page.wait_for_selector("#station-map.ready")
    assert page.external_requests == []
