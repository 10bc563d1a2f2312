"""Triage rules: every allowed and refused move, who may move, history, stale forms."""

import pytest
from sqlalchemy import update

from observer_suite.incidents import workflow
from observer_suite.models import Incident, IncidentStatus, IncidentStatusChange
from tests.incidents.helpers import BASE, token

S = IncidentStatus
ALLOWED = {
    (S.REPORTED, S.VERIFIED),
    (S.REPORTED, S.REJECTED),
    (S.VERIFIED, S.FOLLOW_UP),
    (S.VERIFIED, S.RESOLVED),
    (S.FOLLOW_UP, S.RESOLVED),
    (S.REJECTED, S.REPORTED),
    (S.RESOLVED, S.FOLLOW_UP),
}
EVERY_PAIR = [(old, new) for old in S for new in S]


@pytest.mark.parametrize(("old", "new"), EVERY_PAIR)
def test_each_transition_is_allowed_or_refused(old, new):
    if (old, new) in ALLOWED:
        workflow.check_transition(old, new, "because")
        assert new in workflow.allowed_next(old)
    else:
        with pytest.raises(workflow.TransitionRefused):
            workflow.check_transition(old, new, "because")
        assert new not in workflow.allowed_next(old)


def test_nothing_skips_verification():
    with pytest.raises(workflow.TransitionRefused, match="verified first"):
        workflow.check_transition(S.REPORTED, S.RESOLVED, "")
    with pytest.raises(workflow.TransitionRefused):
        workflow.check_transition(S.REPORTED, S.FOLLOW_UP, "")


@pytest.mark.parametrize(
    ("old", "new"), [(S.REPORTED, S.REJECTED), (S.REJECTED, S.REPORTED), (S.RESOLVED, S.FOLLOW_UP)]
)
def test_rejecting_and_reopening_need_a_comment(old, new):
    assert workflow.needs_comment(old, new)
    with pytest.raises(workflow.CommentRequired):
        workflow.check_transition(old, new, "")


def test_other_moves_need_no_comment():
    workflow.check_transition(S.REPORTED, S.VERIFIED, "")
    workflow.check_transition(S.VERIFIED, S.RESOLVED, "")
    with pytest.raises(workflow.WorkflowError, match="too long"):
        workflow.check_transition(S.REPORTED, S.VERIFIED, "x" * (workflow.MAX_COMMENT + 1))


def test_change_status_records_who_and_why(field, stored, db):
    coordinator = field.users.coordinator
    entry = workflow.change_status(
        stored.shots, "verified", coordinator, " Called T01 ", "reported"
    )
    db.session.commit()
    assert (entry.user_id, entry.username) == (coordinator.id, "coord")
    assert (entry.old_status, entry.new_status, entry.comment) == (
        "reported",
        "verified",
        "Called T01",
    )
    assert db.session.get(Incident, stored.shots.id).status == S.VERIFIED


@pytest.mark.parametrize("role", ["analyst", "lead", "obs1"])
def test_only_triage_roles_may_change_status(field, stored, db, role):
    with pytest.raises(workflow.NotPermitted):
        workflow.change_status(stored.shots, "verified", getattr(field.users, role), "", "reported")
    assert db.session.get(Incident, stored.shots.id).status == S.REPORTED


def test_coordinators_of_other_missions_may_not(field, stored, user_factory, mission_factory):
    outsider = user_factory("coordinator", missions=[mission_factory(slug="elsewhere")])
    with pytest.raises(workflow.NotPermitted, match="not part of"):
        workflow.change_status(stored.shots, "verified", outsider, "", "reported")


def test_stale_expected_status_changes_nothing(field, stored, db):
    with pytest.raises(workflow.StaleStatus, match="now verified"):
        workflow.change_status(stored.cash, "rejected", field.users.coordinator, "no", "reported")
    db.session.rollback()
    assert db.session.get(Incident, stored.cash.id).status == S.VERIFIED
    assert db.session.query(IncidentStatusChange).count() == 0


def test_a_change_after_loading_is_caught_by_the_update(field, stored, db):
    incident = db.session.get(Incident, stored.shots.id)  # loaded while still reported
    db.session.execute(
        update(Incident)
        .where(Incident.id == incident.id)
        .values(status=S.VERIFIED)
        .execution_options(synchronize_session=False)
    )  # another worker verified it meanwhile
    assert incident.status == S.REPORTED
    with pytest.raises(workflow.StaleStatus):
        workflow.change_status(incident, "rejected", field.users.coordinator, "no", "reported")
    assert db.session.query(IncidentStatusChange).count() == 0


def test_unknown_status_is_a_message(field, stored):
    with pytest.raises(workflow.WorkflowError, match="Unknown status"):
        workflow.change_status(stored.shots, "closed", field.users.coordinator, "", "reported")


# ---- through the page ----


def _post(client, incident, **data):
    data.setdefault("csrf_token", token(client, f"{BASE}/{incident.id}"))
    return client.post(f"{BASE}/{incident.id}/status", data=data)


def test_page_offers_only_the_allowed_next_statuses(field, stored, login):
    page = login(field.users.coordinator).get(f"{BASE}/{stored.cash.id}").get_data(as_text=True)
    form = page[page.index('id="status-form"') :]
    assert 'value="follow_up"' in form and 'value="resolved"' in form
    assert 'value="rejected"' not in form and 'value="reported"' not in form
    assert 'name="expected" type="hidden" value="verified"' in form


def test_coordinator_walks_an_incident_through_and_history_shows_it(field, stored, login, db):
    client = login(field.users.coordinator)
    steps = [("reported", "verified", ""), ("verified", "follow_up", "Ask police"),
             ("follow_up", "resolved", "")]  # fmt: skip
    for expected, new, comment in steps:
        response = _post(client, stored.shots, expected=expected, status=new, comment=comment)
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
    history = db.session.query(IncidentStatusChange).order_by(IncidentStatusChange.id).all()
    assert [(h.username, h.old_status, h.new_status, h.comment) for h in history] == [
        ("coord", "reported", "verified", ""),
        ("coord", "verified", "follow_up", "Ask police"),
        ("coord", "follow_up", "resolved", ""),
    ]
    page = client.get(f"{BASE}/{stored.shots.id}").get_data(as_text=True)
    assert "Verified → <strong>Follow-up</strong>" in page and "Ask police" in page


def test_reopen_needs_a_comment_on_the_page(field, stored, login, db):
    stored.ink.status = S.REJECTED
    db.session.commit()
    client = login(field.users.coordinator)
    refused = _post(client, stored.ink, expected="rejected", status="reported", comment="")
    assert refused.status_code == 400 and "reopening" in refused.get_data(as_text=True)
    assert db.session.get(Incident, stored.ink.id).status == S.REJECTED
    ok = _post(client, stored.ink, expected="rejected", status="reported", comment="Photo came")
    assert ok.status_code == 302
    assert db.session.get(Incident, stored.ink.id).status == S.REPORTED


def test_reported_to_resolved_is_refused_on_the_page(field, stored, login, db):
    client = login(field.users.coordinator)
    response = _post(client, stored.shots, expected="reported", status="resolved")
    assert response.status_code == 400
    assert "verified first" in response.get_data(as_text=True)
    assert db.session.get(Incident, stored.shots.id).status == S.REPORTED
    assert db.session.query(IncidentStatusChange).count() == 0


def test_stale_form_gets_409_and_changes_nothing(field, stored, login, db):
    client = login(field.users.coordinator)
    assert _post(client, stored.shots, expected="reported", status="verified").status_code == 302
    stale = _post(client, stored.shots, expected="reported", status="rejected", comment="fake")
    assert stale.status_code == 409
    text = stale.get_data(as_text=True)
    assert "changed by coord" in text and "Nothing was changed" in text
    assert db.session.get(Incident, stored.shots.id).status == S.VERIFIED
    assert db.session.query(IncidentStatusChange).count() == 1


@pytest.mark.parametrize("role", ["analyst", "lead", "obs1"])
def test_non_triage_roles_get_403_on_the_post(field, stored, login, db, role):
    client = login(getattr(field.users, role))
    response = _post(client, stored.shots, csrf_token=token(client), expected="reported",
                     status="verified")  # fmt: skip
    assert response.status_code == 403
    assert db.session.get(Incident, stored.shots.id).status == S.REPORTED


def test_analyst_sees_no_status_form(field, stored, login):
    page = login(field.users.analyst).get(f"{BASE}/{stored.shots.id}").get_data(as_text=True)
    assert "status-form" not in page


def test_status_post_needs_csrf(field, stored, login, db):
    client = login(field.users.coordinator)
    response = client.post(
        f"{BASE}/{stored.shots.id}/status", data={"expected": "reported", "status": "verified"}
    )
    assert response.status_code == 400
    assert db.session.get(Incident, stored.shots.id).status == S.REPORTED
