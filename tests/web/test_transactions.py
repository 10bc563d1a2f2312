"""One transaction per request: what a request wrote is kept only when it answers under 400.

A second app of the same deployment (same database and secret key) with a few routes that
write through a real service (create_mission flushes the mission and its area levels), then
answer or fail in each way a view can."""

from datetime import date

import pytest
from flask import Blueprint, redirect
from sqlalchemy import func, select

from observer_suite import create_app
from observer_suite.errors import ServiceError, error_response, show_refusal
from observer_suite.extensions import db as _db
from observer_suite.missions.services import MissionError, create_mission
from observer_suite.models import Mission
from tests.conftest import PASSWORD, IsolatedClient, csrf_token, make_test_config

halfway = Blueprint("halfway", __name__, url_prefix="/halfway")
halfway.register_error_handler(ServiceError, error_response)


def _write(slug: str) -> Mission:
    mission = create_mission(
        slug=slug,
        name="Half written",
        country="NG",
        election_date=date(2027, 2, 25),
        levels="state,lga",
    )
    assert mission.id is not None  # flushed: the row is in the transaction
    return mission


@halfway.get("/kept")
def kept():
    _write("kept")
    return "saved"


@halfway.get("/crash")
def crash():
    _write("crash")
    raise RuntimeError("a fault after the write")


@halfway.get("/refused")
def refused():
    _write("refused")
    raise MissionError("refused after the write", field="slug", status=409, code="conflict")


@halfway.get("/flashed")
def flashed():
    _write("flashed")
    show_refusal(MissionError("refused after the write", field="slug"))
    return redirect("/")  # under 400, yet nothing of it is kept


@pytest.fixture
def other(_session_app, database_url, app, user_factory):
    second = create_app(make_test_config(database_url))
    second.register_blueprint(halfway)
    second.test_client_class = IsolatedClient
    client = second.test_client()
    user = user_factory("admin")
    response = client.post(
        "/login",
        data={"username": user.username, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302
    yield client
    with second.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _missions(db) -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(select(Mission.slug)))


def test_an_answer_under_400_commits(other, db):
    assert other.get("/halfway/kept").status_code == 200
    assert _missions(db) == ["kept"]


def test_a_fault_after_a_write_leaves_no_row(other, db):
    response = other.get("/halfway/crash")
    assert response.status_code == 500
    assert _missions(db) == []
    assert db.session.scalar(select(func.count()).select_from(Mission)) == 0


def test_a_refusal_answered_as_json_leaves_no_row(other, db):
    response = other.get("/halfway/refused")
    assert response.status_code == 409
    assert response.json == {
        "error": "conflict",
        "detail": "refused after the write",
        "field": "slug",
    }
    assert _missions(db) == []


def test_a_refusal_flashed_before_a_redirect_leaves_no_row(other, db):
    response = other.get("/halfway/flashed")
    assert response.status_code == 302
    assert _missions(db) == []
    page = other.get("/", follow_redirects=True).get_data(as_text=True)
    assert "refused after the write" in page
