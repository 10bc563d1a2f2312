"""Form pages: who sees what, XLSForm upload with its errors, the standard-forms button."""

import html
import io
import re

import pytest
from sqlalchemy import func, select

from observer_suite.checklists.services import load_standard_forms
from observer_suite.models import Form
from tests.checklists.conftest import EOM, SHARED_DATA
from tests.conftest import csrf_token

BASE = "/missions/ng-2027/forms"


@pytest.fixture
def mission(mission_factory):
    return mission_factory(slug="ng-2027")


@pytest.fixture
def coordinator(login, user_factory, mission):
    return login(user_factory(role="coordinator", missions=[mission]))


def _upload(client, data: bytes, name: str, token: str | None = None):
    form = {"file": (io.BytesIO(data), name)}
    form["csrf_token"] = token if token is not None else csrf_token(client, f"{BASE}/upload")
    return client.post(f"{BASE}/upload", data=form, content_type="multipart/form-data")


def _forms(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Form))


def test_roles(client, login, user_factory, mission, db):
    load_standard_forms(mission)
    db.session.commit()
    login(user_factory(role="observer", missions=[mission]))
    assert client.get(f"{BASE}/").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/missions/ng-2027")})
    login(user_factory(role="analyst", missions=[mission]))
    page = client.get(f"{BASE}/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "std_opening" in text and "Upload an XLSForm" not in text
    assert client.get(f"{BASE}/upload").status_code == 403
    token = csrf_token(client, f"{BASE}/")  # the log-out form carries one
    assert client.post(f"{BASE}/load-standard", data={"csrf_token": token}).status_code == 403


def test_other_missions_are_not_found(mission_factory, coordinator):
    mission_factory(slug="other-one")
    assert coordinator.get("/missions/other-one/forms/").status_code == 404


def test_load_standard_forms_button(coordinator, db):
    index = coordinator.get(f"{BASE}/")
    assert "No forms yet" in index.get_data(as_text=True)
    token = csrf_token(coordinator, f"{BASE}/")
    response = coordinator.post(f"{BASE}/load-standard", data={"csrf_token": token})
    assert response.status_code == 302
    assert _forms(db) == 4
    coordinator.post(f"{BASE}/load-standard", data={"csrf_token": token})
    assert _forms(db) == 4
    page = coordinator.get(f"{BASE}/").get_data(as_text=True)
    table = re.search(r'id="forms".*?</table>', page, re.S).group(0)
    assert table.count("<tr>") == 5 and "std_closing_counting" in table
    assert "Standard forms loaded" in page


def test_csrf_is_required(coordinator, db):
    assert coordinator.post(f"{BASE}/load-standard").status_code == 400
    assert _upload(coordinator, EOM.read_bytes(), EOM.name, token="").status_code == 400
    assert _forms(db) == 0


def test_upload_eom_then_show_it(coordinator, db):
    response = _upload(coordinator, EOM.read_bytes(), EOM.name)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    form = db.session.scalar(select(Form))
    assert response.headers["Location"].endswith(f"{BASE}/{form.id}")
    page = coordinator.get(f"{BASE}/{form.id}")
    text = html.unescape(page.get_data(as_text=True))
    assert "Imported eom_voting version 2026112801." in text
    assert "Heure d'arrivée" in text and "Time of arrival" in text
    assert "count-selected(.) >= 1" in text and "Select at least one" in text
    assert "Label (fr)" in text
    index = coordinator.get(f"{BASE}/").get_data(as_text=True)
    row = re.search(r"<tr>\s*<td><a[^>]*>eom_voting</a>.*?</tr>", index, re.S).group(0)
    assert ">21<" in row and "active" in row and ">0<" in row


def test_critical_marks_are_shown(coordinator, mission, db):
    forms = load_standard_forms(mission)
    db.session.commit()
    opening = next(f for f in forms if f.form_id == "std_opening")
    text = html.unescape(coordinator.get(f"{BASE}/{opening.id}").get_data(as_text=True))
    sealed = re.search(r'<tr id="q-ballot_box_sealed">.*?</tr>', text, re.S).group(0)
    assert "critical" in sealed and "⚑" in sealed
    assert "Consistency checks" in text and "ballots_cover_register" in text


def test_refused_upload_lists_rows_and_writes_nothing(coordinator, db):
    name = "UCL_Biomass_Plot_Form.xlsx"
    response = _upload(coordinator, (SHARED_DATA / name).read_bytes(), name)
    assert response.status_code == 400
    text = html.unescape(response.get_data(as_text=True))
    errors = re.search(r'<ul class="errors" id="form-errors">(.*?)</ul>', text, re.S).group(1)
    assert errors.count("<li>") == 23
    assert "survey row 32, column type: 'begin repeat' — repeats are not supported" in errors
    assert "Nothing was imported: 23 problems in UCL_Biomass_Plot_Form.xlsx" in text
    assert _forms(db) == 0


def test_wrong_file_type_and_missing_file(coordinator, db):
    response = _upload(coordinator, b"a,b\n", "form.csv")
    assert response.status_code == 400
    assert "Upload an XLSForm as an .xlsx workbook." in response.get_data(as_text=True)
    token = csrf_token(coordinator, f"{BASE}/upload")
    response = coordinator.post(f"{BASE}/upload", data={"csrf_token": token})
    assert response.status_code == 400
    assert "Choose an XLSForm to upload." in response.get_data(as_text=True)


def test_unknown_form_is_not_found(coordinator, mission_factory, db):
    other = mission_factory(slug="elsewhere")
    forms = load_standard_forms(other)
    db.session.commit()
    assert coordinator.get(f"{BASE}/{forms[0].id}").status_code == 404
    assert coordinator.get(f"{BASE}/999999").status_code == 404
