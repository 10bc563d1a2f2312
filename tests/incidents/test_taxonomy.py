"""Taxonomy editing: add, rename, reorder, retire and restore; never delete one in use."""

import pytest

from observer_suite.incidents import taxonomy
from observer_suite.models import IncidentCategory
from tests.incidents.helpers import BASE, token

PAGE = f"{BASE}/categories"


def _category(db, mission, code):
    return db.session.query(IncidentCategory).filter_by(mission_id=mission.id, code=code).one()


def _codes(db, mission, active_only=True):
    return [c.code for c in taxonomy.categories(mission, include_retired=not active_only)]


def _post(client, url, **data):
    data.setdefault("csrf_token", token(client, PAGE))
    return client.post(url, data=data)


def test_page_lists_the_default_taxonomy_in_the_missions_languages(field, login, db):
    field.mission.languages = ["en", "pt"]
    db.session.commit()
    text = login(field.users.coordinator).get(PAGE).get_data(as_text=True)
    assert 'data-code="ballot_stuffing"' in text and 'data-code="other"' in text
    assert 'name="label_fr" value="Bourrage d&#39;urnes"' in text
    assert 'name="label_pt"' in text


def test_add_a_category(field, login, db):
    client = login(field.users.coordinator)
    response = _post(client, PAGE, code="late_opening", label_en="Late opening",
                     label_fr="Ouverture tardive")  # fmt: skip
    assert response.status_code == 302
    added = _category(db, field.mission, "late_opening")
    assert added.labels == {"en": "Late opening", "fr": "Ouverture tardive"} and added.active
    assert _codes(db, field.mission)[-1] == "late_opening"


@pytest.mark.parametrize(
    ("code", "message"),
    [("violence", "already has a category"), ("Late-Opening", "lower-case"),
     ("late opening", "lower-case"), ("", "required")],
)  # fmt: skip
def test_bad_or_duplicate_codes_are_refused(field, login, db, code, message):
    client = login(field.users.coordinator)
    client.get(PAGE)  # the defaults exist
    response = _post(client, PAGE, code=code, label_en="Anything")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert len(_codes(db, field.mission, active_only=False)) == len(taxonomy.DEFAULT_CATEGORIES)


def test_english_label_is_required(field, login):
    client = login(field.users.coordinator)
    assert _post(client, PAGE, code="new_one", label_en=" ").status_code == 400


def test_rename_labels(field, login, db):
    client = login(field.users.coordinator)
    client.get(PAGE)
    violence = _category(db, field.mission, "violence")
    url = f"{PAGE}/{violence.id}/labels"
    assert _post(client, url, label_en="Violence at the station", label_fr="").status_code == 302
    db.session.refresh(violence)
    assert violence.labels == {"en": "Violence at the station"}
    assert "Violence at the station" in client.get(f"{BASE}/").get_data(as_text=True)
    refused = _post(client, url, label_en="", label_fr="Violence")
    assert refused.status_code == 400 and "category-error" in refused.get_data(as_text=True)


def test_reorder(field, login, db):
    client = login(field.users.coordinator)
    client.get(PAGE)
    second = _category(db, field.mission, "vote_buying")
    assert _post(client, f"{PAGE}/{second.id}/move", direction="up").status_code == 302
    assert _codes(db, field.mission)[:2] == ["vote_buying", "ballot_stuffing"]
    assert _post(client, f"{PAGE}/{second.id}/move", direction="down").status_code == 302
    assert _codes(db, field.mission)[:2] == ["ballot_stuffing", "vote_buying"]
    assert _post(client, f"{PAGE}/{second.id}/move", direction="sideways").status_code == 400


def test_retire_and_restore(field, stored, login, db):
    client = login(field.users.coordinator)
    violence = _category(db, field.mission, "violence")
    assert _post(client, f"{PAGE}/{violence.id}/retire").status_code == 302
    assert "violence" not in _codes(db, field.mission)  # gone from the tablet's list
    assert "violence" in _codes(db, field.mission, active_only=False)
    text = client.get(f"{BASE}/{stored.shots.id}").get_data(as_text=True)
    assert "Violence" in text  # the old incident keeps its category
    assert "Violence (retired)" in client.get(f"{BASE}/").get_data(as_text=True)
    assert _post(client, f"{PAGE}/{violence.id}/restore").status_code == 302
    assert "violence" in _codes(db, field.mission)


def test_category_in_use_cannot_be_deleted(field, stored, login, db):
    client = login(field.users.coordinator)
    violence = _category(db, field.mission, "violence")
    page = client.get(PAGE).get_data(as_text=True)
    assert f"{PAGE}/{violence.id}/delete" not in page  # no button for it
    response = _post(client, f"{PAGE}/{violence.id}/delete")
    assert response.status_code == 409 and "retire it instead" in response.get_data(as_text=True)
    assert _category(db, field.mission, "violence") is not None
    unused = _category(db, field.mission, "secrecy_breach")
    assert _post(client, f"{PAGE}/{unused.id}/delete").status_code == 302
    assert "secrecy_breach" not in _codes(db, field.mission, active_only=False)


def test_every_taxonomy_form_needs_csrf(field, stored, login, db):
    client = login(field.users.coordinator)
    violence = _category(db, field.mission, "violence")
    for suffix, data in [("", {"code": "x", "label_en": "X"}), (f"/{violence.id}/retire", {}),
                         (f"/{violence.id}/labels", {"label_en": "X"}),
                         (f"/{violence.id}/move", {"direction": "up"}),
                         (f"/{violence.id}/delete", {})]:  # fmt: skip
        assert client.post(PAGE + suffix, data=data).status_code == 400, suffix
    db.session.refresh(violence)
    assert violence.active and violence.labels["en"] == "Violence"


@pytest.mark.parametrize("role", ["analyst", "lead", "obs1"])
def test_only_managers_edit_the_taxonomy(field, login, db, role):
    client = login(getattr(field.users, role))
    assert client.get(PAGE).status_code == 403
    response = _post(client, PAGE, csrf_token=token(client), code="x", label_en="X")
    assert response.status_code == 403


def test_another_missions_category_is_404(field, login, mission_factory, db):
    other = mission_factory(slug="elsewhere")
    taxonomy.ensure_categories(other)
    db.session.commit()
    foreign = _category(db, other, "violence")
    client = login(field.users.coordinator)
    assert _post(client, f"{PAGE}/{foreign.id}/retire").status_code == 404
    db.session.refresh(foreign)
    assert foreign.active
