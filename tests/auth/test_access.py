"""Every URL needs a login, roles are checked on the server, missions are scoped."""

import re

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from observer_suite.models import AuditEntry, Role
from tests.conftest import csrf_token

PUBLIC = {"auth.login", "web.healthz", "static", "api.create_token"}


def _fill(rule) -> str:
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]  # one of the listed words
        else:
            values[name] = 1 if isinstance(converter, IntegerConverter) else "x"
    return rule.build(values)[1]


def test_every_rule_but_login_health_static_needs_login(app, client):
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        url = _fill(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            if url.startswith("/api/"):
                assert response.status_code == 401, (method, url)
            elif method == "GET":
                assert response.status_code == 302, (method, url, response.status_code)
                assert "/login" in response.headers["Location"]
            else:  # CSRF fails before login is even considered; either way no access
                assert response.status_code in {302, 400, 401}, (method, url)
            checked += 1
    assert checked >= 8


def test_token_endpoint_is_public_but_needs_credentials(client):
    response = client.post("/api/v1/auth/token", json={"username": "x", "password": "y"})
    assert response.status_code == 401


def test_public_endpoints_answer_without_login(client):
    assert client.get("/login").status_code == 200
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.get_json() == {"status": "ok", "database": "ok"}
    assert client.get("/static/css/app.css").status_code == 200


ROLE_EXPECTATIONS = {
    # page suffix: roles allowed (all others must get 403)
    "": set(Role),
    "/areas": {Role.ADMIN, Role.COORDINATOR, Role.ANALYST, Role.LEAD},
    "/stations": {Role.ADMIN, Role.COORDINATOR, Role.ANALYST, Role.LEAD},
    "/observers": {Role.ADMIN, Role.COORDINATOR, Role.ANALYST, Role.LEAD},
    "/import/stations": {Role.ADMIN, Role.COORDINATOR},
    "/import/observers": {Role.ADMIN, Role.COORDINATOR},
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_what_it_should(role, mission_factory, user_factory, login, client):
    mission = mission_factory(slug="alpha")
    login(user_factory(role=role, missions=[mission]))
    for suffix, allowed in ROLE_EXPECTATIONS.items():
        response = client.get(f"/missions/alpha{suffix}")
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, (role, suffix, response.status_code)
    new_mission = client.get("/missions/new").status_code
    assert new_mission == (200 if role in {Role.ADMIN, Role.COORDINATOR} else 403)


def test_members_only_see_their_missions(mission_factory, user_factory, login, client):
    mine = mission_factory(slug="mine", name="Mine")
    mission_factory(slug="theirs", name="Theirs")
    login(user_factory(role="coordinator", missions=[mine]))
    assert client.get("/missions/theirs").status_code == 404
    assert client.get("/missions/theirs/stations").status_code == 404
    home = client.get("/").get_data(as_text=True)
    assert "Mine" in home and "Theirs" not in home


def test_admin_sees_every_mission(mission_factory, user_factory, login, client):
    mission_factory(slug="theirs")
    login(user_factory(role="admin"))
    assert client.get("/missions/theirs").status_code == 200


def test_csrf_is_enforced_on_login_and_forms(user_factory, mission_factory, login, client):
    user = user_factory(role="coordinator")
    response = client.post("/login", data={"username": user.username, "password": "x" * 12})
    assert response.status_code == 400
    login(user)
    response = client.post(
        "/missions/new",
        data={
            "slug": "beta",
            "name": "Beta",
            "country": "NG",
            "election_date": "2027-01-01",
            "timezone": "UTC",
            "languages": "en",
            "levels": "region",
        },
    )
    assert response.status_code == 400
    assert client.get("/missions/beta").status_code == 404
    assert client.post("/logout").status_code == 400


def test_login_rate_limit_triggers(user_factory, client):
    user = user_factory(role="analyst")
    token = csrf_token(client)
    statuses = [
        client.post(
            "/login",
            data={"username": user.username, "password": "wrong-password!", "csrf_token": token},
        ).status_code
        for _ in range(7)
    ]
    assert statuses[:5] == [401] * 5
    assert statuses[-1] == 429


def test_wrong_password_and_inactive_user_are_refused(user_factory, client, db):
    user = user_factory(role="analyst")
    token = csrf_token(client)
    bad = client.post(
        "/login",
        data={"username": user.username, "password": "nope-nope-nope", "csrf_token": token},
    )
    assert bad.status_code == 401
    assert "Wrong username or password" in bad.get_data(as_text=True)
    user.active = False
    db.session.commit()
    from tests.conftest import PASSWORD

    refused = client.post(
        "/login", data={"username": user.username, "password": PASSWORD, "csrf_token": token}
    )
    assert refused.status_code == 401


def test_login_redirect_never_leaves_the_site(user_factory, client):
    from tests.conftest import PASSWORD

    user = user_factory(role="analyst")
    response = client.post(
        "/login?next=//evil.example/x",
        data={"username": user.username, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_security_headers_and_cookie_flags(user_factory, login, client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert not re.search(r"https?://", csp)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    user = user_factory(role="analyst")
    from tests.conftest import PASSWORD

    reply = client.post(
        "/login",
        data={"username": user.username, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    cookie = reply.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_defaults_mark_cookies_secure(monkeypatch, tmp_path):
    from observer_suite import create_app

    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}", "SECRET_KEY": "x"}
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_audit_log_records_who_created_what(user_factory, login, client, db):
    login(user_factory(role="coordinator", username="carla"))
    response = client.post(
        "/missions/new",
        data={
            "slug": "gamma",
            "name": "Gamma",
            "country": "ke",
            "election_date": "2027-08-09",
            "timezone": "Africa/Nairobi",
            "languages": "en,sw",
            "levels": "county, constituency, ward",
            "csrf_token": csrf_token(client, "/missions/new"),
        },
    )
    assert response.status_code == 302
    entry = db.session.query(AuditEntry).filter_by(entity="Mission", action="create").one()
    assert entry.username == "carla"
    assert entry.details["label"] == "Gamma"
    assert entry.mission_id is not None


def test_api_paths_answer_json_401(client):
    response = client.get("/api/v1/anything")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    body = response.get_json()
    assert body["error"] == "unauthorized" and body["field"] is None
    assert body["detail"].startswith("Log in")


@pytest.mark.parametrize("role", list(Role))
def test_only_admins_read_the_audit_log(role, user_factory, login, client):
    login(user_factory(role=role, username=f"who-{role.value}"))
    response = client.get("/audit")
    assert response.status_code == (200 if role == Role.ADMIN else 403)
    if role == Role.ADMIN:
        assert f"who-{role.value}" in response.get_data(as_text=True)  # its own creation


def test_updates_and_deletes_are_audited_with_old_and_new_values(mission_factory, db):
    mission = mission_factory(slug="delta", name="Delta")
    mission.name = "Delta two"
    db.session.commit()
    db.session.delete(mission)
    db.session.commit()
    entries = db.session.query(AuditEntry).filter_by(entity="Mission").order_by(AuditEntry.id)
    actions = [(e.action, e.details) for e in entries]
    assert actions[1] == ("update", {"name": ["Delta", "Delta two"]})
    assert actions[2][0] == "delete"


def test_password_changes_are_audited_without_the_hash(user_factory, db):
    user = user_factory(role="lead")
    user.set_password("another-long-password")
    db.session.commit()
    entry = db.session.query(AuditEntry).filter_by(entity="User", action="update").one()
    # the hash is never shown; the raised generation records that old sessions were ended
    assert entry.details == {"password_hash": "(changed)", "session_generation": [0, 1]}


def test_an_id_beyond_the_integer_range_is_404_not_a_database_error(
    mission_factory, user_factory, login, client
):
    mission = mission_factory()
    login(user_factory(role="coordinator", missions=[mission]))
    for url in (
        f"/missions/{mission.slug}/observations/99999999999999999999",
        f"/missions/{mission.slug}/stations/2147483648",
        f"/missions/{mission.slug}/incidents/99999999999999999999",
    ):
        assert client.get(url).status_code == 404, url
