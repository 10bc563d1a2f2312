"""Login limits behind a proxy: per client address (X-Forwarded-For believed only through
TRUSTED_PROXIES) and per account, so one attacker does not lock out a mission behind one
address, and a spray from many addresses is slowed; a 429 says when to retry."""

import pytest

from observer_suite import create_app
from observer_suite.extensions import db as _db
from tests.conftest import CSRF_RE, PASSWORD, IsolatedClient, make_test_config

WRONG = "wrong-password-123"


def _post(client, username, password, headers=None, environ=None):
    environ = environ or {}
    page = client.get("/login", headers=headers, environ_base=environ)
    token = CSRF_RE.search(page.get_data(as_text=True)).group(1)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        headers=headers,
        environ_base=environ,
    )


def _forwarded(address: str) -> dict:
    return {"X-Forwarded-For": address}


@pytest.fixture
def proxied_app(app, database_url):
    """The app as deployed behind one proxy (TRUSTED_PROXIES=1), on the test database."""
    config = make_test_config(database_url) | {"TRUSTED_PROXIES": 1}
    proxied = create_app(config)
    proxied.test_client_class = IsolatedClient
    yield proxied
    with proxied.app_context():
        _db.session.remove()
        _db.engine.dispose()


def test_behind_a_proxy_a_blocked_address_does_not_block_the_others(proxied_app, user_factory):
    user = user_factory(role="coordinator")
    attacker, colleague = proxied_app.test_client(), proxied_app.test_client()
    statuses = [
        _post(attacker, user.username, WRONG, _forwarded("203.0.113.7")).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    response = _post(colleague, user.username, PASSWORD, _forwarded("198.51.100.20"))
    assert response.status_code == 302, "a correct password from elsewhere still works"
    still = _post(attacker, user.username, PASSWORD, _forwarded("203.0.113.7"))
    assert still.status_code == 429


def test_the_forwarded_header_counts_only_through_trusted_proxies(
    proxied_app, user_factory, client
):
    user, other = user_factory(role="coordinator"), user_factory(role="coordinator")
    # TRUSTED_PROXIES=0 (the default): a client cannot buy a new address by writing the header
    for n in range(5):
        assert _post(client, user.username, WRONG, _forwarded(f"203.0.113.{n}")).status_code == 401
    assert _post(client, user.username, WRONG, _forwarded("203.0.113.99")).status_code == 429
    # one trusted proxy: the address it saw (the header's last) counts, not what came before
    behind = proxied_app.test_client()
    for n in range(5):
        spoofed = _forwarded(f"10.0.0.{n}, 198.51.100.7")
        assert _post(behind, other.username, WRONG, spoofed).status_code == 401
    assert (
        _post(behind, other.username, WRONG, _forwarded("10.9.9.9, 198.51.100.7")).status_code
        == 429
    )
    elsewhere = _post(behind, other.username, WRONG, _forwarded("10.0.0.1, 198.51.100.8"))
    assert elsewhere.status_code == 401


def test_a_spray_from_many_addresses_hits_the_account_limit(app, user_factory, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_RATE_LIMIT", "4 per minute")
    user = user_factory(role="coordinator")
    other = user_factory(role="coordinator")
    statuses = [
        _post(client, user.username, WRONG, environ={"REMOTE_ADDR": f"192.0.2.{n}"}).status_code
        for n in range(5)
    ]
    assert statuses == [401] * 4 + [429]
    # the account is held for now, whatever the address; other accounts are not
    held = _post(client, user.username, PASSWORD, environ={"REMOTE_ADDR": "192.0.2.50"})
    assert held.status_code == 429
    folded = _post(client, user.username.upper(), WRONG, environ={"REMOTE_ADDR": "192.0.2.52"})
    assert folded.status_code == 429
    fine = _post(client, other.username, PASSWORD, environ={"REMOTE_ADDR": "192.0.2.51"})
    assert fine.status_code == 302


def test_a_429_page_says_when_to_retry(app, user_factory, client):
    user = user_factory(role="analyst")
    for _ in range(5):
        _post(client, user.username, WRONG)
    response = _post(client, user.username, WRONG)
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert "Too Many Requests" in response.get_data(as_text=True)


def test_a_429_from_the_api_says_when_to_retry(client):
    for _ in range(5):
        client.post("/api/v1/auth/token", json={"username": "nobody", "password": WRONG})
    response = client.post("/api/v1/auth/token", json={"username": "nobody", "password": WRONG})
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    body = response.get_json()
    assert body["error"] and body["detail"] and body["field"] is None


def test_the_token_endpoint_shares_the_account_limit(app, user_factory, client, monkeypatch):
    """A spray through POST /api/v1/auth/token counts on the same per-account budget."""
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_RATE_LIMIT", "4 per minute")
    user = user_factory(role="coordinator")
    statuses = [
        client.post(
            "/api/v1/auth/token",
            json={"username": user.username, "password": WRONG},
            environ_base={"REMOTE_ADDR": f"192.0.2.{n}"},
        ).status_code
        for n in range(3)
    ]
    assert statuses == [401] * 3
    page = _post(client, user.username, WRONG, environ={"REMOTE_ADDR": "192.0.2.9"})
    assert page.status_code == 401  # the fourth attempt on the account
    held = client.post(
        "/api/v1/auth/token",
        json={"username": user.username, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "192.0.2.10"},
    )
    assert held.status_code == 429 and held.headers["Retry-After"]
