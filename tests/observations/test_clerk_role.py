"""The clerk role: enters and corrects data for any team, manages nothing."""

from observer_suite.auth.permissions import Permission, can
from observer_suite.models import Role


def test_clerk_enters_data_but_manages_nothing(field, user_factory, login, client):
    clerk = user_factory(role="clerk", missions=[field.mission])
    assert clerk.role == Role.CLERK
    for granted in (
        Permission.ENTER_DATA,
        Permission.CORRECT_OBSERVATIONS,
        Permission.SUBMIT_OBSERVATIONS,
        Permission.REPORT_INCIDENTS,
        Permission.VIEW_OBSERVATIONS,
        Permission.VIEW_INCIDENTS,
        Permission.COMMENT_INCIDENTS,
    ):
        assert can(clerk, granted), granted
    for refused in (
        Permission.MANAGE_PLANS,
        Permission.MANAGE_LOGINS,
        Permission.MANAGE_TEAMS,
        Permission.IMPORT_DATA,
        Permission.TRIAGE_INCIDENTS,
        Permission.EDIT_INCIDENTS,
        Permission.REVIEW_OBSERVATIONS,
    ):
        assert not can(clerk, refused), refused
    login(clerk)
    assert client.get("/missions/field/observations/").status_code == 200
    assert client.get("/missions/field/incidents/").status_code == 200
    assert client.get("/missions/field/import/stations").status_code == 403


def test_observers_and_analysts_cannot_enter_for_other_teams(field):
    for user in (field.users.obs1, field.users.analyst, field.users.lead):
        assert not can(user, Permission.ENTER_DATA)
    assert can(field.users.coordinator, Permission.ENTER_DATA)
