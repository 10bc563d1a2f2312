"""The tablet's server side: shell, service worker, manifest, CSRF token; and CSP hygiene."""

import re

import pytest

from tests.conftest import REPO


@pytest.fixture
def observer(mission_factory, user_factory):
    mission = mission_factory(slug="north", name="North <mission>")
    return user_factory(role="observer", username="anna", missions=[mission])


def test_shell_needs_login(client):
    response = client.get("/tablet/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_shell_for_an_observer(observer, login, client):
    page = login(observer).get("/tablet/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert re.search(r'<meta name="csrf-token" content="[^"]+">', html)
    assert 'data-mission="north"' in html and 'data-user="anna"' in html
    assert "North &lt;mission&gt;" in html
    assert 'id="outbox-badge"' in html and 'id="sync-now"' in html
    assert page.headers["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_other_missions_are_not_found(observer, mission_factory, login, client):
    mission_factory(slug="south")
    assert login(observer).get("/tablet/?mission=south").status_code == 404
    assert client.get("/tablet/?mission=north").status_code == 200


def test_no_mission_yet(user_factory, login, client):
    lonely = user_factory(role="observer", username="lonely")
    response = login(lonely).get("/tablet/")
    assert response.status_code == 404 and "No mission yet" in response.get_data(as_text=True)


def test_roles_without_the_tablet_are_refused(mission_factory, user_factory, login, client):
    analyst = user_factory(role="analyst", missions=[mission_factory()])
    assert login(analyst).get("/tablet/").status_code == 403


def test_service_worker_precaches_the_shell_and_its_files(observer, login, client):
    response = login(observer).get("/tablet/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "application/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    assert 'const SHELL = "/tablet/"' in body
    assets = re.search(r"const ASSETS = (\[.*\]);", body).group(1)
    for url in ["/static/tablet/app.js", "/static/tablet/tablet.css", "/static/css/app.css"]:
        assert f'"{url}"' in assets
    assert re.search(r'const VERSION = "[0-9a-f]{16}"', body)
    assert "skipWaiting" in body and "clients.claim" in body


def test_manifest(observer, login, client):
    response = login(observer).get("/tablet/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["start_url"] == manifest["scope"] == "/tablet/"
    assert manifest["display"] == "standalone" and manifest["icons"]


def test_fresh_csrf_token_is_never_cached(observer, login, client):
    response = login(observer).get("/tablet/csrf")
    assert response.get_json()["csrf_token"]
    assert response.headers["Cache-Control"] == "no-store"


def test_no_inline_code_or_markup_injection_in_the_client():
    """The CSP forbids inline scripts and styles; text reaches the DOM as text only."""
    shell = (REPO / "templates" / "tablet" / "shell.html").read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", shell)
    assert " style=" not in shell and "<style" not in shell
    for path in (REPO / "static" / "tablet").glob("*.js"):
        source = path.read_text()
        for risky in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("]:
            assert risky not in source, f"{path.name} uses {risky}"
        assert ".style." not in source and 'setAttribute("style"' not in source, path.name
