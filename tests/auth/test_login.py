"""The login itself: where it sends the user, what it keeps of the session before it, and that
an unknown username costs the same hashing as a wrong password."""

import hashlib

import pytest

from observer_suite.auth.redirects import safe_next
from tests.conftest import CSRF_RE, PASSWORD, csrf_token

OFF_SITE = [
    "////evil.example/",
    "///evil.example",
    "//evil.example",
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%5C%5Cevil.example",
    "/%09/evil.example",
    "https://evil.example",
    "http://localhost@evil.example/",
    "https:evil.example",
    "//localhost@evil.example",
    "/\t/evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "\x00//evil.example",
    "/.//evil.example",
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "",
]


def _login(client, user, next_url=None, password=PASSWORD):
    url = "/login" if next_url is None else "/login?" + _query(next_url)
    return client.post(
        url,
        data={"username": user.username, "password": password, "csrf_token": csrf_token(client)},
    )


def _query(next_url: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"next": next_url})


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_never_redirects_off_site(target, user_factory, client):
    response = _login(client, user_factory(role="analyst"), target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    "target", ["/missions/alpha", "/missions/alpha/incidents?status=reported&page=2", "/audit#x"]
)
def test_login_keeps_a_path_of_this_site(target, user_factory, client):
    response = _login(client, user_factory(role="admin"), target)
    assert response.status_code == 302
    assert response.headers["Location"] == target


def test_the_next_a_login_page_builds_round_trips(user_factory, client):
    """The redirect to the login page carries the path asked for; logging in goes there."""
    asked = client.get("/missions/alpha/stations?q=school")
    login_url = asked.headers["Location"]
    user = user_factory(role="admin")
    response = client.post(
        login_url,
        data={"username": user.username, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.headers["Location"] == "/missions/alpha/stations?q=school"


@pytest.mark.parametrize("target", OFF_SITE)
def test_safe_next_refuses_other_origins(target):
    assert safe_next(target, "http://localhost/") is None


def test_login_starts_a_new_session(user_factory, client):
    """Nothing planted in the cookie before the login survives it (session fixation)."""
    csrf_token(client)
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    assert _login(client, user_factory(role="analyst")).status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
        assert "_user_id" in session


def test_a_csrf_token_from_before_login_is_refused_after_it(user_factory, client):
    before = csrf_token(client)
    user = user_factory(role="coordinator")
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD, "csrf_token": before}
    )
    assert response.status_code == 302
    assert client.post("/logout", data={"csrf_token": before}).status_code == 400
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    after = CSRF_RE.search(page).group(1)
    assert after != before
    assert client.post("/logout", data={"csrf_token": after}).status_code == 302


@pytest.fixture
def scrypt_calls(monkeypatch):
    """The (n, r, p) of every scrypt hash computed: werkzeug's password hashes are scrypt."""
    calls = []
    real = hashlib.scrypt

    def counting(password, *, salt, n, r, p, maxmem=0, dklen=64):
        calls.append((n, r, p, dklen))
        return real(password, salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=dklen)

    monkeypatch.setattr(hashlib, "scrypt", counting)
    return calls


def test_unknown_and_inactive_users_cost_the_same_hashing_as_a_wrong_password(
    user_factory, client, db, scrypt_calls
):
    user = user_factory(role="analyst")
    sleeper = user_factory(role="analyst")
    sleeper.active = False
    db.session.commit()
    token = csrf_token(client)
    costs = {}
    for case, username in (("wrong", user.username), ("unknown", "nobody"), ("inactive", None)):
        scrypt_calls.clear()
        response = client.post(
            "/login",
            data={
                "username": username or sleeper.username,
                "password": PASSWORD if case == "inactive" else "wrong-password-123",
                "csrf_token": token,
            },
        )
        assert response.status_code == 401
        costs[case] = list(scrypt_calls)
    assert len(costs["wrong"]) == 1
    for case in ("unknown", "inactive"):
        # the same hash parameters (a first unknown user may also make the dummy hash once)
        assert costs[case] and set(costs[case]) == set(costs["wrong"]), case


def test_the_token_endpoint_hashes_for_an_unknown_user_too(client, scrypt_calls):
    response = client.post(
        "/api/v1/auth/token", json={"username": "nobody", "password": "wrong-password-123"}
    )
    assert response.status_code == 401
    assert scrypt_calls
