"""Logout, deactivation and a password change end a session on the server: a copy of the
cookie taken before is refused afterwards (302 to the login page, 401 JSON under /api/)."""

from flask_login.utils import encode_cookie

from observer_suite.models import AuditEntry, User
from tests.conftest import CSRF_RE


def _copy_of(client, app):
    """A second browser holding a copy of `client`'s session cookie, as a thief would."""
    name = app.config["SESSION_COOKIE_NAME"]
    thief = app.test_client()
    thief.set_cookie(name, client.get_cookie(name).value)
    return thief


def _refused(thief) -> None:
    page = thief.get("/")
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    api = thief.get("/api/v1/me/assignments")
    assert api.status_code == 401
    assert api.get_json()["error"] == "unauthorized"


def _logout(client) -> None:
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    response = client.post("/logout", data={"csrf_token": CSRF_RE.search(page).group(1)})
    assert response.status_code == 302


def _works(thief) -> None:
    assert thief.get("/").status_code == 200
    assert thief.get("/api/v1/me/assignments").status_code == 200


def test_a_cookie_copied_before_logout_is_refused_after_it(
    app, mission_factory, user_factory, login, client, db
):
    user = user_factory(role="coordinator", missions=[mission_factory()])
    login(user)
    thief = _copy_of(client, app)
    _works(thief)
    _logout(client)
    _refused(thief)
    assert client.get("/").status_code == 302
    # a logout is not an edit of the user for the audit log
    assert db.session.query(AuditEntry).filter_by(entity="User", action="update").count() == 0


def test_logging_in_again_does_not_revive_the_old_cookie(
    app, mission_factory, user_factory, login, client
):
    user = user_factory(role="analyst", missions=[mission_factory()])
    login(user)
    thief = _copy_of(client, app)
    _logout(client)
    login(user)
    assert client.get("/").status_code in {200, 302}
    assert "/login" not in client.get("/").headers.get("Location", "")
    _refused(thief)


def test_deactivation_ends_sessions_even_after_reactivation(
    app, mission_factory, user_factory, login, client, db
):
    user = user_factory(role="lead", missions=[mission_factory()])
    login(user)
    thief = _copy_of(client, app)
    user = db.session.get(User, user.id)
    user.active = False
    db.session.commit()
    _refused(client)
    user.active = True
    db.session.commit()
    _refused(thief)  # a cookie from before the deactivation stays dead


def test_a_password_change_ends_sessions(app, mission_factory, user_factory, login, client, db):
    user = user_factory(role="coordinator", missions=[mission_factory()])
    login(user)
    thief = _copy_of(client, app)
    user = db.session.get(User, user.id)
    user.set_password("a-brand-new-passphrase")
    db.session.commit()
    _refused(thief)


def test_a_remember_cookie_from_before_logout_is_refused(
    app, mission_factory, user_factory, login, client, db
):
    user = user_factory(role="coordinator", missions=[mission_factory()])
    login(user)
    # The cookie Flask-Login would set for this user with login_user(remember=True).
    remembered = app.test_client()
    cookie = encode_cookie(str(db.session.get(User, user.id).get_id()))
    remembered.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), cookie)
    assert remembered.get("/").status_code == 200
    _logout(client)
    fresh = app.test_client()
    fresh.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), cookie)
    assert fresh.get("/").status_code == 302
