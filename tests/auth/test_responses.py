"""What authenticated answers and refusals carry: Cache-Control: no-store on everything that
belongs to someone (pages, API answers, exports, photos), the API's Error schema on a 401."""

import hashlib

import pytest

from observer_suite.models import IncidentPhoto
from tests.conftest import PASSWORD

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def mission(mission_factory):
    return mission_factory(slug="alpha")


def test_authenticated_pages_exports_and_photos_are_not_stored(
    mission, user_factory, login, client, incident_factory, db
):
    incident = incident_factory(mission)
    photo = IncidentPhoto(
        incident_id=incident.id,
        filename="x.png",
        content_type="image/png",
        size=len(PNG),
        sha256=hashlib.sha256(PNG).hexdigest(),
        data=PNG,
    )
    db.session.add(photo)
    db.session.commit()
    login(user_factory(role="coordinator", missions=[mission]))
    for url in (
        "/",
        "/missions/alpha",
        "/missions/alpha/stations",
        "/missions/alpha/observations/",
        "/missions/alpha/observations/export.csv",
        "/missions/alpha/observations/export.xlsx",
        "/missions/alpha/incidents/",
        "/missions/alpha/incidents/export.csv",
        f"/missions/alpha/incidents/{incident.id}/photos/{photo.id}",
        "/missions/alpha/nothing-here",  # an error page for a logged-in user, too
        "/api/v1/forms",
    ):
        response = client.get(url)
        assert response.status_code < 500, url
        assert response.headers.get("Cache-Control") == "no-store", url


def test_bearer_token_answers_are_not_stored(mission, user_factory, client):
    user = user_factory(role="coordinator", missions=[mission])
    issued = client.post(
        "/api/v1/auth/token", json={"username": user.username, "password": PASSWORD}
    )
    assert issued.status_code == 201
    assert issued.headers["Cache-Control"] == "no-store"  # it carries the token
    fresh = client.application.test_client()
    response = fresh.get(
        "/api/v1/forms", headers={"Authorization": f"Bearer {issued.get_json()['token']}"}
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_public_pages_keep_default_caching(client):
    for url in ("/login", "/static/css/app.css", "/healthz"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.headers.get("Cache-Control", ""), url


def test_a_view_that_revalidates_keeps_its_own_header(mission, user_factory, login, client):
    """The tablet's offline shell asks for revalidation (no-cache), which stores nothing
    stale either."""
    login(user_factory(role="coordinator", missions=[mission]))
    response = client.get("/tablet/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize(
    ("headers", "challenge"),
    [({}, "Bearer"), ({"Authorization": "Bearer not-a-token"}, 'Bearer error="invalid_token"')],
)
def test_a_401_follows_the_error_schema(headers, challenge, client):
    response = client.get("/api/v1/me/assignments", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == challenge
    body = response.get_json()
    assert set(body) == {"error", "detail", "field"}
    assert body["error"] == "unauthorized" and body["field"] is None
    assert body["detail"].endswith(".") and "Bearer" in body["detail"]
