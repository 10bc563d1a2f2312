"""The import page's mapping step: upload once, map the columns, preview, "Import now";
problems grouped with a CSV of them all; skip-invalid with the refused rows as a CSV."""

import csv
import html
import io
import re

import pytest
from sqlalchemy import func, select

from observer_suite.models import PollingStation
from tests.conftest import SHARED_DATA, csrf_token

KOSOVO = SHARED_DATA / "xk-polling-centres.csv"
URL = "/missions/xk-2013/import/stations"
# 0-based columns of the Kosovo file: 0 building, 2 locality, 4/5 lat/lon, 6 centre code
KOSOVO_MAPPING = {"code": 6, "name": 0, "locality": 2, "latitude": 4, "longitude": 5}


@pytest.fixture
def xk(mission_factory):
    return mission_factory(slug="xk-2013", levels="locality", country="XK")


@pytest.fixture
def coordinator(login, user_factory, xk):
    return login(user_factory(role="coordinator", missions=[xk]))


def upload(client, data: bytes, name: str, **fields):
    form = {"csrf_token": csrf_token(client, URL), "file": (io.BytesIO(data), name)}
    form.update({key: "y" for key, on in fields.items() if on})
    return client.post(URL, data=form, content_type="multipart/form-data")


def mapping_url(page: str) -> str:
    return re.search(r'<form method="post" novalidate action="([^"]+)"', page)[1]


def post_mapping(client, page: str, mapping: dict, action: str = "preview", **flags):
    token = re.search(r'name="mapping-csrf_token"[^>]*value="([^"]+)"', page)
    form = {"mapping-csrf_token": token[1], "action": action}
    fields = re.findall(r'<select id="mapping-map_(\w+)"', page)
    form.update({f"mapping-map_{key}": str(mapping.get(key, "")) for key in fields})
    form.update({f"mapping-{key}": "y" for key, on in flags.items() if on})
    return client.post(mapping_url(page), data=form)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def stations(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(PollingStation))


def test_kosovo_file_mapped_previewed_and_imported_without_choosing_it_again(
    db, coordinator, upload_folder
):
    first = upload(coordinator, KOSOVO.read_bytes(), "xk-polling-centres.csv", dry_run=True)
    page = text(first)
    assert "The first row looks like data, not column names" in page
    assert re.search(r'<input checked id="mapping-no_header"', page)  # read as data from now on
    assert "column 1 — Anton Zako Çajupi, Dituria, Shkëndija" in page
    assert stations(db) == 0

    atomic = post_mapping(coordinator, page, KOSOVO_MAPPING, no_header=True)
    assert atomic.status_code == 400
    page = text(atomic)
    assert "1 row: column 3 (locality): a value is required — line 382" in page
    assert 'id="import-now"' not in page
    listed = coordinator.get(re.search(r'id="problems-link" href="([^"]+)"', page)[1])
    rows = list(csv.reader(io.StringIO(listed.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows == [
        ["line", "column", "problem"],
        ["382", "column 3 (locality)", "a value is required"],
    ]

    preview = post_mapping(coordinator, page, KOSOVO_MAPPING, no_header=True, skip_invalid=True)
    assert preview.status_code == 200
    page, previewed = text(preview), text(preview)
    assert "724 stations: 724 to create" in page and "1 row refused and would be left out" in page
    assert 'id="import-now"' in page and stations(db) == 0

    done = post_mapping(
        coordinator, page, KOSOVO_MAPPING, "import", no_header=True, skip_invalid=True
    )
    assert done.status_code == 200
    page = text(done)
    assert "724 stations: 724 created" in page and stations(db) == 724
    rejects = coordinator.get(re.search(r'id="rejects-link" href="([^"]+)"', page)[1])
    assert rejects.headers["Content-Disposition"].endswith('"xk-polling-centres.rejects.csv"')
    assert rejects.get_data(as_text=True) == (
        "\ufeffXhelal Sopi,Filllore,,62000,,,1025d,column 3 (locality): a value is required\r\n"
    )
    assert [p.suffix for p in upload_folder.iterdir() if p.suffix == ".data"] == []
    again = post_mapping(coordinator, previewed, KOSOVO_MAPPING, "import", no_header=True)
    assert again.status_code == 302  # the upload is gone once imported
    assert stations(db) == 724


def test_import_now_needs_the_previewed_mapping(db, coordinator):
    page = text(upload(coordinator, KOSOVO.read_bytes(), "xk.csv", dry_run=True))
    preview = post_mapping(coordinator, page, KOSOVO_MAPPING, no_header=True, skip_invalid=True)
    changed = {**KOSOVO_MAPPING, "name": 1}
    refused = post_mapping(
        coordinator, text(preview), changed, "import", no_header=True, skip_invalid=True
    )
    assert "The mapping changed since the preview" in text(refused)
    assert stations(db) == 0


def test_the_proposed_mapping_comes_from_the_aliases(db, coordinator):
    data = b"Locality,Building,PC Code,Lat,Lon\nPrishtina,School A,0001a,42.6,21.1\n"
    page = text(upload(coordinator, data, "named.csv", dry_run=True))
    assert "missing column 'code'" in page
    selected = dict(
        re.findall(r'<select id="mapping-map_(\w+)".*?<option selected value="(\d*)"', page, re.S)
    )
    assert selected["locality"] == "0" and selected["latitude"] == "3"
    assert selected["code"] == "" and selected["name"] == ""
    done = post_mapping(
        coordinator, page, {"locality": 0, "name": 1, "code": 2, "latitude": 3, "longitude": 4}
    )
    assert "1 stations: 1 to create" in text(done)


def test_tokens_belong_to_their_uploader(db, coordinator, login, user_factory, xk):
    page = text(upload(coordinator, KOSOVO.read_bytes(), "xk.csv", dry_run=True))
    url = mapping_url(page)
    other = login(user_factory(role="coordinator", missions=[xk], username="other"))
    assert other.get(url + "/problems.csv").status_code == 302
    assert other.get(url + "/rejects.csv").status_code == 404
    assert other.get(URL + "/..%2f..%2fsecret_key/problems.csv").status_code in (302, 404)
