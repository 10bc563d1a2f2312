"""Shared fixtures: one app and schema per session, emptied after every test.

Set TEST_DATABASE_URL to a PostgreSQL server to run the same suite there; every run (and every
pytest-xdist worker) gets its own throwaway database. The demo mission is built once per worker
into a template database and copied into the test's database by the `demo_mission` fixture.
"""

import contextlib
import re
import shutil
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.serving import make_server

from observer_suite import create_app
from observer_suite.extensions import db as _db
from observer_suite.extensions import limiter
from tests.dbutil import copy_database, fresh_database

pytest_plugins = ["tests.fixtures.factories", "tests.fixtures.worlds"]

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
PASSWORD = "correct-horse-battery"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def make_test_config(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "LOGIN_RATE_LIMIT": "5 per minute",
        "WTF_CSRF_ENABLED": True,
        "MAP_TILE_URL": "",
    }


@pytest.fixture(scope="session")
def database_url():
    with fresh_database() as url:
        yield url


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as in production.

    Without this, requests reuse the test's pushed app context and share `g` — and with it
    Flask-Login's cached user, so one client's login would leak into another client.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        _db.session.expire_all()  # the test's own session then reads what the request wrote
        return response


@pytest.fixture(scope="session")
def _session_app(database_url):
    app = create_app(make_test_config(database_url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _empty_tables() -> None:
    """Empty what the test wrote. On PostgreSQL a TRUNCATE of every table costs ~80 ms (the
    fixed cost per table), most of a small test's time: truncate only the tables that hold rows
    and restart only the sequences that were used (ids start at 1 again either way)."""
    tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
    if _db.engine.dialect.name == "postgresql":
        probe = " UNION ALL ".join(
            f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM {name})"  # noqa: S608 - our own tables
            for name in tables
        )
        filled = _db.session.execute(text(probe)).scalars().all()
        if filled:
            _db.session.execute(text(f"TRUNCATE {', '.join(filled)} CASCADE"))
        used = _db.session.execute(
            text("SELECT sequencename FROM pg_sequences WHERE last_value IS NOT NULL")
        ).scalars()
        for sequence in used:
            _db.session.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))
    else:
        for name in tables:
            _db.session.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - our own table names
    _db.session.commit()


@pytest.fixture
def app(_session_app):
    with _session_app.app_context():
        yield _session_app
        _db.session.rollback()
        _db.session.remove()
        _empty_tables()
        limiter.reset()


@pytest.fixture
def db(app):
    return _db


# ---- the demo mission: built once per worker, copied into each test that reads it ----------


def _release(app) -> None:
    """Close every connection the app holds, so its database can be copied or replaced."""
    _db.session.remove()
    _db.engine.dispose()
    extra = app.extensions.get("autocommit_engine")
    if extra is not None and extra is not _db.engine:
        extra.dispose()


@contextlib.contextmanager
def _template(build):
    """A throwaway database holding what `build(url)` writes, for copy_database."""
    with fresh_database() as url:
        app = create_app(make_test_config(url))
        with app.app_context():
            _db.create_all()
            made = build(url)
            _db.session.commit()
            _release(app)
        made.url = url
        yield made


@pytest.fixture(scope="session")
def demo_template():
    """The demo mission as `observer-suite demo` builds it (result and printed lines kept)."""
    from observer_suite.demo import build_demo

    def build(_url):
        lines: list[str] = []
        return SimpleNamespace(result=build_demo(echo=lines.append), lines=lines)

    with _template(build) as made:
        yield made


@pytest.fixture(scope="session")
def demo_day_template():
    """The demo with its election day simulated through the CLI (600 observations, 200
    incidents, seed 3), as tests/test_counts.py and the report CLI tests read it."""
    from click.testing import CliRunner

    from observer_suite.cli import main

    def build(url):
        result = CliRunner().invoke(
            main,
            ["--database-url", url, "demo", "--simulate-election-day",
             "--observations", "600", "--incidents", "200", "--seed", "3"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        return SimpleNamespace(output=result.output)

    with _template(build) as made:
        yield made


def load_template(app, database_url: str, template) -> None:
    _release(app)
    copy_database(template.url, database_url)


@pytest.fixture
def demo_mission(app, db, database_url, demo_template):
    """This test's own copy of the demo mission: writes stay in this test."""
    from observer_suite.models import Mission

    load_template(app, database_url, demo_template)
    return db.session.query(Mission).filter_by(slug="demo").one()


@pytest.fixture
def demo_day(app, db, database_url, demo_day_template):
    """This test's own copy of the demo with its election day simulated."""
    from observer_suite.models import Mission

    load_template(app, database_url, demo_day_template)
    mission = db.session.query(Mission).filter_by(slug="demo").one()
    return SimpleNamespace(mission=mission, output=demo_day_template.output)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def race(app):
    """`with race("INSERT INTO teams", action):` runs `action()` on another thread, with its
    own app context, session and connection, committed, just before this thread's next
    statement that starts with the prefix: a race lost at that exact point, on the real
    database, without replacing any of our code."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @contextlib.contextmanager
    def run(prefix: str, action):
        here, fired, failures = threading.get_ident(), [], []

        def other():
            try:
                with app.app_context():
                    action()
                    _db.session.commit()
                    _db.session.remove()
            except Exception as exc:
                failures.append(exc)

        def before(_conn, _cursor, statement, *_args):
            if threading.get_ident() != here or fired:
                return
            if statement.lstrip().upper().startswith(prefix.upper()):
                fired.append(statement)
                thread = threading.Thread(target=other)
                thread.start()
                thread.join(timeout=30)
                assert not thread.is_alive(), "the other writer is stuck"

        event.listen(Engine, "before_cursor_execute", before)
        try:
            yield fired
        finally:
            event.remove(Engine, "before_cursor_execute", before)
        assert fired, f"no statement starting with {prefix!r} ran"
        assert not failures, failures

    return run


def csrf_token(client, url: str = "/login") -> str:
    """The CSRF token a real browser would get from a page with a form."""
    page = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


@pytest.fixture
def mission_factory(app):
    from datetime import date

    from observer_suite.missions.services import create_mission

    counter = iter(range(1, 10_000))

    def make(slug: str | None = None, levels: str = "state,lga,ward", **kwargs):
        mission = create_mission(
            slug=slug or f"mission-{next(counter)}",
            name=kwargs.pop("name", "Test mission"),
            country=kwargs.pop("country", "NG"),
            election_date=kwargs.pop("election_date", date(2027, 2, 25)),
            levels=levels,
            **kwargs,
        )
        _db.session.commit()
        return mission

    return make


@pytest.fixture
def user_factory(app):
    from observer_suite.auth.services import create_user

    counter = iter(range(1, 10_000))

    def make(role: str = "coordinator", missions=(), username: str | None = None, **kwargs):
        user = create_user(
            username or f"{role}{next(counter)}",
            kwargs.pop("password", PASSWORD),
            role,
            missions=list(missions),
            **kwargs,
        )
        _db.session.commit()
        return user

    return make


@pytest.fixture
def incident_factory(app):
    """Store an incident row directly (category by code from the default taxonomy)."""
    import uuid as uuidlib
    from datetime import UTC, datetime

    from observer_suite.incidents.taxonomy import categories
    from observer_suite.models import Incident, IncidentStatus, Severity

    def make(mission, category: str = "violence", **kwargs):
        by_code = {c.code: c for c in categories(mission, include_retired=True)}
        incident = Incident(
            uuid=kwargs.pop("uuid", str(uuidlib.uuid4())),
            mission_id=mission.id,
            category_id=by_code[category].id,
            severity=Severity(kwargs.pop("severity", "medium")),
            status=IncidentStatus(kwargs.pop("status", "reported")),
            occurred_at=kwargs.pop("occurred_at", datetime(2027, 2, 25, 9, 30, tzinfo=UTC)),
            title=kwargs.pop("title", "Crowd blocking the entrance"),
            description=kwargs.pop("description", ""),
            content_hash=kwargs.pop("content_hash", "0" * 64),
            **kwargs,
        )
        _db.session.add(incident)
        _db.session.commit()
        return incident

    return make


@pytest.fixture
def login(client):
    """Log the test client in as `user` through the real login form (CSRF included)."""

    def do(user, password: str = PASSWORD):
        response = client.post(
            "/login",
            data={
                "username": user.username,
                "password": password,
                "csrf_token": csrf_token(client),
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return do


# ---- browser tests: a live server and Debian's Chromium driven by Playwright ----

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which("chromium") and not shutil.os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 768, "height": 1024})
    page = context.new_page()
    blocked = []
    page.on("request", lambda r: blocked.append(r.url) if "127.0.0.1" not in r.url else None)
    page.external_requests = blocked
    yield page
    context.close()
