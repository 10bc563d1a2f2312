"""Bearer tokens: issued for a password, stored hashed, CSRF-free, role-bound, revocable."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from observer_suite.auth.tokens import digest
from observer_suite.models import ApiToken, Observation
from tests.api.fixtures import payload, post
from tests.conftest import PASSWORD


def _token(client, username: str, password: str = PASSWORD):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


def test_token_is_issued_and_stored_only_as_its_hash(field, client, db):
    response = _token(client, "obs1")
    assert response.status_code == 201
    raw = response.json["token"]
    assert response.json["token_type"] == "Bearer" and len(raw) >= 43
    stored = db.session.query(ApiToken).one()
    assert stored.token_hash == digest(raw) and raw not in stored.token_hash
    expires = datetime.fromisoformat(response.json["expires_at"])
    assert timedelta(days=29) < expires - datetime.now(UTC) <= timedelta(days=30)
    assert "Set-Cookie" not in response.headers


def test_bearer_requests_skip_csrf_and_keep_no_session(field, client, db):
    raw = _token(client, "obs1").json["token"]
    fresh = client.application.test_client()
    response = post(fresh, payload("S001"), token=raw)
    assert response.status_code == 201, response.json
    assert "Set-Cookie" not in response.headers
    assert db.session.query(Observation).one().submitted_by == field.users.obs1.id
    me = fresh.get("/api/v1/me/assignments", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 200 and me.json["team"]["code"] == "T01"
    assert db.session.query(ApiToken).one().uses == 1  # usage written once a minute at most


def test_a_token_keeps_the_users_role(field, client):
    raw = _token(client, "analyst").json["token"]
    response = post(client.application.test_client(), payload("S006"), token=raw)
    assert response.status_code == 403


def test_bad_tokens_and_credentials_are_401(field, client, db):
    assert _token(client, "obs1", "wrong-password").status_code == 401
    assert _token(client, "nobody").json["error"] == "invalid_credentials"
    missing = client.post("/api/v1/auth/token", json={"username": "obs1"})
    assert missing.status_code == 422 and missing.json["field"] == "password"
    fresh = client.application.test_client()
    assert post(fresh, payload(), token="made-up").status_code == 401
    raw = _token(client, "obs1").json["token"]
    token = db.session.query(ApiToken).one()
    token.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()
    assert post(fresh, payload(), token=raw).status_code == 401


def test_deactivated_users_tokens_stop_working(field, client, db):
    raw = _token(client, "obs1").json["token"]
    field.users.obs1.active = False
    db.session.commit()
    response = post(client.application.test_client(), payload(), token=raw)
    assert response.status_code == 401


def _expire_behind_the_orms_back(db, raw):
    """As another worker's revocation looks to this one: no ORM event here."""
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.token_hash == digest(raw))
        .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    )
    db.session.commit()


def test_a_checked_token_is_remembered_for_a_few_seconds_only(field, client, db, app):
    raw = _token(client, "obs1").json["token"]
    headers = {"Authorization": f"Bearer {raw}"}
    fresh = client.application.test_client()
    assert fresh.get("/api/v1/forms", headers=headers).status_code == 200
    _expire_behind_the_orms_back(db, raw)
    # Another worker's revocation reaches this one within API_TOKEN_CACHE_SECONDS …
    assert fresh.get("/api/v1/forms", headers=headers).status_code == 200
    before = app.config["API_TOKEN_CACHE_SECONDS"]
    app.config["API_TOKEN_CACHE_SECONDS"] = 0
    try:  # … and at once when the cache is off.
        assert fresh.get("/api/v1/forms", headers=headers).status_code == 401
    finally:
        app.config["API_TOKEN_CACHE_SECONDS"] = before


def test_changing_a_user_forgets_their_checked_tokens(field, client, db):
    raw = _token(client, "obs1").json["token"]
    fresh = client.application.test_client()
    assert post(fresh, payload("S001"), token=raw).status_code == 201
    field.users.obs1.role = "analyst"
    db.session.commit()
    assert post(fresh, payload("S002"), token=raw).status_code == 403


def test_revoking_a_token(field, client):
    raw = _token(client, "obs1").json["token"]
    headers = {"Authorization": f"Bearer {raw}"}
    fresh = client.application.test_client()
    assert fresh.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert fresh.get("/api/v1/forms", headers=headers).status_code == 401


def test_token_endpoint_is_rate_limited_like_login(field, client):
    statuses = [_token(client, "obs1", "wrong-password").status_code for _ in range(6)]
    assert statuses[:5] == [401] * 5 and statuses[5] == 429
    assert _token(client, "obs1").is_json


def test_a_bearer_header_does_not_exempt_a_cookie_session_from_csrf(field, login, db):
    client = login(field.users.obs1)
    response = post(client, payload("S001"), token="anything")  # no X-CSRFToken
    assert response.status_code == 400 and response.json["error"] == "csrf_failed"
    assert db.session.query(Observation).count() == 0
