"""Text typed on the staff pages refuses control characters as the intake API does: a NUL
in a triage or review comment, or in a category label, was a 500 on PostgreSQL (a text
column cannot hold it) and a broken page or export elsewhere. Each is now a 400 naming the
field, and nothing is written."""

import re

import pytest

from observer_suite.models import (
    Incident,
    IncidentCategory,
    IncidentStatusChange,
    ObservationReview,
)
from tests.conftest import CSRF_RE
from tests.incidents.helpers import BASE, token
from tests.observations.helpers import observe

CONTROL = ["a\x00b", "esc\x1b[2J", "next\x85line"]


@pytest.mark.parametrize("comment", CONTROL)
def test_a_triage_comment_with_control_characters_is_refused(field, stored, login, db, comment):
    client = login(field.users.coordinator)
    url = f"{BASE}/{stored.shots.id}/status"
    data = {"csrf_token": token(client, f"{BASE}/{stored.shots.id}"), "expected": "reported"}
    response = client.post(url, data={**data, "status": "verified", "comment": comment})
    assert response.status_code == 400
    assert "control characters" in response.get_data(as_text=True)
    assert db.session.get(Incident, stored.shots.id).status.value == "reported"
    changes = db.session.query(IncidentStatusChange).filter_by(incident_id=stored.shots.id)
    assert changes.count() == 0
    fine = client.post(url, data={**data, "status": "verified", "comment": "line\nbreak\tok"})
    assert fine.status_code == 302


@pytest.mark.parametrize("comment", CONTROL)
def test_a_review_comment_with_control_characters_is_refused(field, login, db, comment):
    observation_id = observe(db, field.users.obs1, "S001")
    client = login(field.users.analyst)
    page = client.get(f"/missions/field/observations/{observation_id}").get_data(as_text=True)
    seen = re.search(r'name="seen"[^>]*value="(\d+)"', page)
    data = {"csrf_token": CSRF_RE.search(page).group(1), "seen": seen.group(1) if seen else "0"}
    url = f"/missions/field/observations/{observation_id}/review"
    response = client.post(url, data={**data, "status": "verified", "comment": comment})
    assert response.status_code == 400
    assert "control characters" in response.get_data(as_text=True)
    assert db.session.query(ObservationReview).filter_by(observation_id=observation_id).count() == 0


@pytest.mark.parametrize("label", CONTROL)
def test_a_category_label_with_control_characters_is_refused(field, login, db, label):
    client = login(field.users.coordinator)
    page = f"{BASE}/categories"
    response = client.post(
        page, data={"csrf_token": token(client, page), "code": "odd_one", "label_en": label}
    )
    assert response.status_code == 400
    assert db.session.query(IncidentCategory).filter_by(code="odd_one").count() == 0
