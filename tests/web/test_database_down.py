"""A database that cannot be reached: 503 with Retry-After and one log line per request."""

import logging

import pytest

from observer_suite import create_app
from tests.conftest import PASSWORD, csrf_token, make_test_config
from tests.dbutil import backend

# Nothing listens on port 1: the connection is refused at once, as while PostgreSQL restarts.
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/observer?connect_timeout=1"


@pytest.fixture
def down(_session_app):
    """A second worker of the same deployment (same secret key) whose database is gone."""
    return create_app(make_test_config(UNREACHABLE))


def _one_line_each(caplog, requests: int) -> None:
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == requests, [r.getMessage() for r in records]
    for record in records:
        assert record.exc_info is None and record.exc_text is None
        assert "\n" not in record.getMessage()
        assert "database unavailable" in record.getMessage()
    assert "Traceback" not in caplog.text


def _unavailable(response, json: bool) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert response.headers["Retry-After"] == "5"
    if json:
        body = response.get_json()
        assert body["error"] == "database_unavailable" and body["field"] is None, body
        assert body["detail"]
    else:
        assert response.mimetype == "text/html"
        assert "Database Unavailable" in response.get_data(as_text=True)


def test_logged_in_pages_and_api_answer_503(
    down, mission_factory, user_factory, client, login, db, caplog
):
    from observer_suite.auth.tokens import issue

    mission = mission_factory()
    coordinator = user_factory("coordinator", missions=[mission])
    login(coordinator)
    session_cookie = client.get_cookie("session").value
    raw, _ = issue(user_factory("observer", missions=[mission]))
    db.session.commit()
    browser = down.test_client()
    browser.set_cookie("session", session_cookie)
    tablet = down.test_client()
    caplog.clear()
    with caplog.at_level(logging.INFO):
        _unavailable(browser.get("/"), json=False)
        _unavailable(browser.get(f"/missions/{mission.slug}"), json=False)
        _unavailable(browser.get("/api/v1/me/assignments"), json=True)
        bearer = {"Authorization": f"Bearer {raw}"}
        _unavailable(tablet.get("/api/v1/me/assignments", headers=bearer), json=True)
    _one_line_each(caplog, 4)


def test_login_and_token_requests_answer_503(down, caplog):
    browser = down.test_client()
    token = csrf_token(browser)  # the login form itself needs no database
    with caplog.at_level(logging.INFO):
        login = browser.post(
            "/login", data={"username": "carla", "password": PASSWORD, "csrf_token": token}
        )
        _unavailable(login, json=False)
        api = down.test_client().post(
            "/api/v1/auth/token", json={"username": "carla", "password": PASSWORD}
        )
        _unavailable(api, json=True)
    _one_line_each(caplog, 2)


def test_the_health_check_says_when_to_look_again(down, caplog):
    with caplog.at_level(logging.INFO):
        response = down.test_client().get("/healthz")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert response.get_json()["database"] == "unreachable"
    _one_line_each(caplog, 1)


def test_other_database_errors_stay_500_with_their_traceback(tmp_path, caplog):
    """A database that answers but lacks a table is a fault to fix, not a pause to wait out."""
    broken = create_app(make_test_config(f"sqlite:///{tmp_path / 'empty.sqlite3'}"))
    client = broken.test_client()
    token = csrf_token(client)
    with caplog.at_level(logging.INFO):
        response = client.post(
            "/login", data={"username": "carla", "password": PASSWORD, "csrf_token": token}
        )
    assert response.status_code == 500 and "Retry-After" not in response.headers
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is not None


@pytest.mark.skipif(backend() != "postgresql", reason="SQLSTATEs are PostgreSQL's")
def test_a_lost_connection_is_unavailable_a_slow_statement_is_not(database_url):
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    from observer_suite.config import normalise_database_url
    from observer_suite.web.setup import database_unavailable

    engine = create_engine(normalise_database_url(database_url))

    def error_of(*statements: str) -> DBAPIError:
        """The error of the last statement, run after the others on one connection."""
        *setup, last = statements
        with engine.connect() as connection:
            for statement in setup:
                connection.execute(text(statement))
            with pytest.raises(DBAPIError) as caught:
                connection.execute(text(last))
        return caught.value

    try:
        # the server ends the session, as on a restart or fail-over: 57P01 admin_shutdown
        assert database_unavailable(error_of("SELECT pg_terminate_backend(pg_backend_pid())"))
        slow = error_of("SET statement_timeout = 1", "SELECT pg_sleep(1)")  # 57014
        assert not database_unavailable(slow)
        assert not database_unavailable(error_of("SELECT * FROM no_such_table"))
    finally:
        engine.dispose()
