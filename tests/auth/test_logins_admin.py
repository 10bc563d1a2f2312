"""A mission's logins from the web: list, create, reset, deactivate, reactivate; audited."""

import pytest

from observer_suite.models import ApiToken, AuditEntry, Role, User
from tests.api.fixtures import payload, post
from tests.conftest import PASSWORD, csrf_token

URL = "/missions/field/logins"


def _post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, URL), **data})


@pytest.fixture
def coordinator(field, app):
    client = app.test_client()
    client.post("/login", data={"username": "coord", "password": PASSWORD,
                                "csrf_token": csrf_token(client)})  # fmt: skip
    return client


def _login(app, username, password=PASSWORD):
    client = app.test_client()
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_token(client)},
    )
    return client, response


def test_a_deactivated_logins_session_cookie_and_token_get_401_at_once(field, coordinator, app, db):
    observer, _ = _login(app, "obs1")
    assert observer.get("/api/v1/me/assignments?mission=field").status_code == 200
    token = (
        app.test_client()
        .post("/api/v1/auth/token", json={"username": "obs1", "password": PASSWORD})
        .json["token"]
    )
    script = app.test_client()
    bearer = {"Authorization": f"Bearer {token}"}
    assert script.get("/api/v1/me/assignments?mission=field", headers=bearer).status_code == 200
    # the token is now in this worker's cache (API_TOKEN_CACHE_SECONDS is 5 by default)
    user_id = field.users.obs1.id
    response = _post(coordinator, f"{URL}/{user_id}/active", action="deactivate")
    assert response.status_code == 302
    assert observer.get("/api/v1/me/assignments?mission=field").status_code == 401
    assert script.get("/api/v1/me/assignments?mission=field", headers=bearer).status_code == 401
    assert post(script, payload("S001"), token=token).status_code == 401
    assert observer.get("/missions/field").status_code == 302  # to the login page
    db.session.expire_all()
    user = db.session.get(User, user_id)
    assert user.active is False
    assert all(
        t.expires_at is not None for t in db.session.query(ApiToken).filter_by(user_id=user_id)
    )
    entry = db.session.query(AuditEntry).filter_by(entity="User", entity_id=user_id).one()
    assert entry.details["active"] == [True, False] and entry.username == "coord"
    # reactivated: a fresh login works, the old cookie and token stay dead
    assert _post(coordinator, f"{URL}/{user_id}/active", action="reactivate").status_code == 302
    assert observer.get("/api/v1/me/assignments?mission=field").status_code == 401
    assert script.get("/api/v1/me/assignments?mission=field", headers=bearer).status_code == 401
    _, again = _login(app, "obs1")
    assert again.status_code == 302


def test_list_shows_the_missions_logins(field, coordinator):
    page = coordinator.get(URL).get_data(as_text=True)
    for name in ("obs1", "analyst", "lead", "Observer 0"):
        assert name in page


def test_create_a_staff_login_with_the_password_policy(field, coordinator, app, db):
    weak = _post(coordinator, URL, username="clara", role="analyst",
                 password="password123", confirm="password123")  # fmt: skip
    assert weak.status_code == 400
    assert "commonly used passwords" in weak.get_data(as_text=True)
    assert db.session.query(User).filter_by(username="clara").count() == 0
    admin = _post(coordinator, URL, username="clara", role="admin",
                  password="a-long-passphrase", confirm="a-long-passphrase")  # fmt: skip
    assert admin.status_code == 400  # not a choice: staff roles only
    made = _post(coordinator, URL, username="clara", role="analyst",
                 password="a-long-passphrase", confirm="a-long-passphrase")  # fmt: skip
    assert made.status_code == 302
    user = db.session.query(User).filter_by(username="clara").one()
    assert user.role == Role.ANALYST and [m.mission_id for m in user.memberships] == [
        field.mission.id
    ]
    assert db.session.query(AuditEntry).filter_by(entity="User", action="create").count() >= 1
    taken = _post(coordinator, URL, username="clara", role="lead",
                  password="a-long-passphrase", confirm="a-long-passphrase")  # fmt: skip
    assert taken.status_code == 400 and "already taken" in taken.get_data(as_text=True)
    _, response = _login(app, "clara", "a-long-passphrase")
    assert response.status_code == 302


def test_reset_shows_a_temporary_password_once_and_forces_a_change(field, coordinator, app, db):
    old_session, _ = _login(app, "analyst")
    user_id = field.users.analyst.id
    response = _post(coordinator, f"{URL}/{user_id}/reset")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    temporary = page.split('<p class="big"><code>')[1].split("</code>")[0]
    assert len(temporary) == 19
    assert temporary not in coordinator.get(URL).get_data(as_text=True)  # shown once
    assert old_session.get("/missions/field").status_code == 302  # its session ended
    _, refused = _login(app, "analyst", PASSWORD)
    assert refused.status_code == 401
    minted = app.test_client().post(
        "/api/v1/auth/token", json={"username": "analyst", "password": temporary}
    )
    assert minted.status_code == 403 and minted.json["error"] == "password_change_required"
    client, ok = _login(app, "analyst", temporary)
    assert ok.status_code == 302
    forced = client.get("/missions/field")
    assert forced.status_code == 302 and forced.headers["Location"].endswith("/account/password")
    url = "/account/password"
    change = client.post(url, data={"current": temporary, "password": "another-passphrase",
                                    "confirm": "another-passphrase",
                                    "csrf_token": csrf_token(client, url)})  # fmt: skip
    assert change.status_code == 302
    assert client.get("/missions/field").status_code == 200  # this session goes on
    db.session.expire_all()
    user = db.session.get(User, user_id)
    assert not user.must_change_password and user.check_password("another-passphrase")
    entries = db.session.query(AuditEntry).filter_by(entity="User", entity_id=user_id).all()
    assert any(e.details.get("password_hash") == "(changed)" for e in entries)
    assert all(temporary not in str(e.details) for e in entries)


def test_nobody_manages_their_own_or_an_admins_login(field, coordinator, user_factory, db):
    me = field.users.coordinator.id
    _post(coordinator, f"{URL}/{me}/active", action="deactivate")
    db.session.expire_all()
    assert db.session.get(User, me).active
    admin = user_factory("admin", missions=[field.mission])
    response = _post(coordinator, f"{URL}/{admin.id}/reset")
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, admin.id).must_change_password
    page = coordinator.get(URL).get_data(as_text=True)
    assert f'id="reset-{admin.username}"' not in page  # no button the server would refuse
    assert f'id="reset-{field.users.analyst.username}"' in page


def test_analyst_cannot_manage_logins(field, app):
    client, _ = _login(app, "analyst")
    assert client.get(URL).status_code == 403
