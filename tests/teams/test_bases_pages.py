"""The teams page's bases upload and deploy button: coordinators only, CSRF, all or nothing."""

import io

import pytest
from sqlalchemy import select

from observer_suite.models import Team
from tests.conftest import csrf_token
from tests.teams.conftest import HOSTILE
from tests.teams.test_bases_cli import _bases

BASE = "/missions/ng/teams"


@pytest.fixture
def coordinator(teams, user_factory, login):
    return login(user_factory(role="coordinator", missions=[teams.mission]))


def _upload(client, text: str, dry_run: bool, name: str = "bases.csv"):
    data = {"file": (io.BytesIO(text.encode()), name), "csrf_token": csrf_token(client, BASE)}
    if dry_run:
        data["dry_run"] = "y"
    return client.post(f"{BASE}/bases", data=data, content_type="multipart/form-data")


def test_teams_page_offers_upload_and_deploy(coordinator):
    page = coordinator.get(BASE).get_data(as_text=True)
    assert 'action="/missions/ng/teams/bases"' in page
    assert 'id="deploy-teams"' in page


def test_upload_preview_then_write(coordinator, db):
    text = "team,latitude,longitude,area\nT01,6.5,7.5,\nT02,,,D11\n"
    preview = _upload(coordinator, text, dry_run=True)
    assert preview.status_code == 200
    body = preview.get_data(as_text=True)
    assert "Preview: would set 2 team bases" in body and "District 11 (centre)" in body
    assert _bases(db)["T01"] == (None, None, None)
    done = _upload(coordinator, text, dry_run=False)
    assert done.status_code == 200
    assert "Set 2 team bases" in done.get_data(as_text=True)
    assert _bases(db)["T01"] == (None, 6.5, 7.5)


def test_bad_upload_lists_lines_writes_nothing_and_escapes(coordinator, db):
    text = f"team,latitude,longitude\nT01,6.5,7.5\n{HOSTILE},1,1\nT02,abc,1\n"
    response = _upload(coordinator, text, dry_run=False)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "line 3, team: no team" in body and "line 4, latitude:" in body
    assert HOSTILE not in body and "&lt;img" in body
    assert _bases(db)["T01"] == (None, None, None)


def test_unreadable_upload_is_a_400(coordinator):
    response = _upload(coordinator, "x", dry_run=False, name="bases.pdf")
    assert response.status_code == 400


def test_deploy_button_explains_each_team(coordinator, db):
    token = csrf_token(coordinator, BASE)
    response = coordinator.post(f"{BASE}/deploy", data={"seed": "4", "csrf_token": token})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Deployed 3 STO teams (seed 4)" in body
    assert "district District 11: 1,200 of 1,500 registered voters" in body
    assert all(b[1] is not None for code, b in _bases(db).items() if code != "L01")
    bad = coordinator.post(
        f"{BASE}/deploy", data={"seed": "1", "regions": "R9", "csrf_token": token}
    )
    assert bad.status_code == 400
    assert "no area with code or name" in bad.get_data(as_text=True)


def test_analyst_and_missing_csrf_are_refused(teams, user_factory, login, client, db):
    login(user_factory(role="analyst", missions=[teams.mission]))
    page = client.get(BASE).get_data(as_text=True)
    assert 'id="deploy-teams"' not in page
    token = csrf_token(client, BASE)
    assert client.post(f"{BASE}/deploy", data={"seed": "1", "csrf_token": token}).status_code == 403
    assert client.get(f"{BASE}/bases").status_code == 403


def test_deploy_without_csrf_is_refused(coordinator, db):
    response = coordinator.post(f"{BASE}/deploy", data={"seed": "1"})
    assert response.status_code == 400
    assert all(t.base_latitude is None for t in db.session.scalars(select(Team)))
