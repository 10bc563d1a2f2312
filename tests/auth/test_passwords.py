"""One password policy wherever a password is set: the service, the CLI and the web form."""

import pytest
from click.testing import CliRunner

from observer_suite.auth.services import UserError, create_user
from observer_suite.cli import main
from observer_suite.models import Observer, ObserverRole, User
from tests.conftest import PASSWORD, csrf_token

REFUSED = [
    ("bob", "short", "at least 10 characters"),
    ("password1234", "password1234", "must not be the username"),
    ("longusername", "LongUserName", "must not be the username"),  # case-insensitively
    ("coordinator", "Coordinator1!", "besides the username"),
    ("alice", "qwertyuiop", "commonly used"),
    ("alice", "Password1234", "commonly used"),  # the list is matched case-insensitively
    ("alice", "1234567890", "commonly used"),
]


@pytest.mark.parametrize(("username", "password", "message"), REFUSED)
def test_the_service_refuses_weak_passwords(username, password, message, app, db):
    with pytest.raises(UserError, match=message) as refused:
        create_user(username, password, "lead")
    assert refused.value.field == "password"
    db.session.rollback()
    assert db.session.query(User).count() == 0


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("alice", PASSWORD),  # the test suite's own password is not on the list
        ("admin", "demo-admin-2027"),  # ten characters besides the username: the demo's logins
        ("ana", "ana-walks-to-the-river"),
    ],
)
def test_the_service_accepts_long_uncommon_passwords(username, password, app, db):
    user = create_user(username, password, "lead")
    assert user.check_password(password)


def test_the_cli_refuses_a_common_password(app, database_url, db):
    result = CliRunner().invoke(
        main,
        [
            "--database-url",
            database_url,
            "create-user",
            "bob",
            "--role",
            "lead",
            "--password-stdin",
        ],
        input="qwertyuiop\n",
    )
    assert result.exit_code == 1
    assert "password: is on a list of commonly used passwords" in result.output
    assert "Traceback" not in result.output
    assert db.session.query(User).filter_by(username="bob").first() is None


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("lars", "1q2w3e4r5t", "Password is on a list of commonly used passwords"),
        ("larsberg", "LarsBerg99", "Password must be at least 10 characters besides the username"),
    ],
)
def test_the_observer_login_form_refuses_weak_passwords(
    username, password, message, mission_factory, user_factory, login, client, db
):
    mission = mission_factory(slug="ng")
    lto = Observer(mission_id=mission.id, ref="o2", name="Lars Berg", role=ObserverRole.LTO)
    db.session.add(lto)
    db.session.commit()
    login(user_factory(role="coordinator", missions=[mission]))
    url = f"/missions/ng/observers/{lto.id}"
    response = client.post(
        url,
        data={
            "username": username,
            "password": password,
            "confirm": password,
            "csrf_token": csrf_token(client, url),
        },
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.query(User).filter_by(username=username).first() is None
