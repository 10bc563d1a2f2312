"""Review pages: who sees what, filters, counts, the observation page, review with history."""

import re

import pytest

from observer_suite.models import Observation, ObservationReview, ReviewStatus
from tests.conftest import CSRF_RE
from tests.observations.helpers import observe


@pytest.fixture
def stored(field, db):
    u = field.users
    return {
        "ok1": observe(db, u.obs1, "S001", problems=["intimidation"]),
        "ok2": observe(db, u.obs2, "S004"),
        "flagged": observe(db, u.obs1, "S002", ballots_cast=900, votes_a=740, votes_b=150),
        "staff": observe(db, u.coordinator, "S005", remarks='=HYPERLINK("x")'),
    }


def _ids(page: str) -> set[int]:
    return {int(i) for i in re.findall(r'<tr data-id="(\d+)"', page)}


def test_roles_and_scope(field, stored, login):
    for user, status in ((field.users.obs1, 403), (field.users.lead, 200)):
        client = login(user)
        assert client.get("/missions/field/observations/").status_code == status
        client.post("/logout", data={"csrf_token": CSRF_RE.search(
            client.get("/login").get_data(as_text=True)).group(1)})  # fmt: skip


def test_scope_limits_team_roles_to_their_own_team(field, stored, app):
    from observer_suite.extensions import db
    from observer_suite.observations.listing import Filters, base_query

    rows = db.session.execute(base_query(field.mission, field.users.obs1, Filters())).all()
    assert {row.Observation.id for row in rows} == {stored["ok1"], stored["flagged"]}
    loner = base_query(field.mission, field.users.loner, Filters())
    assert db.session.execute(loner).all() == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"ok1", "ok2", "flagged", "staff"}),
        ("form=t_count", {"ok1", "ok2", "flagged", "staff"}),
        ("form=other", set()),
        ("station=S00", {"ok1", "ok2", "flagged", "staff"}),
        ("station=S004", {"ok2"}),
        ("status=flagged", {"flagged"}),
        ("flagged=1", {"flagged"}),
        ("status=verified", set()),
        ("from=2027-02-25T06:30&to=2027-02-25T06:31", {"ok1", "ok2", "flagged", "staff"}),
        ("from=2027-02-25T06:31", set()),
        ("from=garbage&page=x&region=abc", {"ok1", "ok2", "flagged", "staff"}),
    ],
)
def test_list_filters(field, stored, login, query, expected):
    page = login(field.users.analyst).get(f"/missions/field/observations/?{query}")
    assert page.status_code == 200
    assert _ids(page.get_data(as_text=True)) == {stored[k] for k in expected}


def test_time_filters_are_the_missions_local_time(field, stored, login, db):
    field.mission.timezone = "Africa/Lagos"  # UTC+1, as the payloads' offsets
    db.session.commit()
    client = login(field.users.analyst)
    page = client.get("/missions/field/observations/?from=2027-02-25T07:30&to=2027-02-25T07:31")
    assert len(_ids(page.get_data(as_text=True))) == 4
    assert "25 Feb 07:30" in page.get_data(as_text=True)
    page = client.get("/missions/field/observations/?to=2027-02-25T07:30")
    assert _ids(page.get_data(as_text=True)) == set()


def test_filter_by_region_and_team(field, stored, login, db):
    from observer_suite.models import Area

    client = login(field.users.analyst)
    region2 = db.session.query(Area).filter_by(path="R2").one()
    page = client.get(f"/missions/field/observations/?region={region2.id}").get_data(as_text=True)
    assert _ids(page) == {stored["ok2"], stored["staff"]}
    page = client.get(f"/missions/field/observations/?team={field.t1.id}").get_data(as_text=True)
    assert _ids(page) == {stored["ok1"], stored["flagged"]}


def test_counts_and_export_links_follow_the_filters(field, stored, login):
    page = login(field.users.analyst).get("/missions/field/observations/?station=S00&flagged=1")
    text = page.get_data(as_text=True)
    assert "received 0" in text and "flagged 1" in text
    assert "export.csv?station=S00&amp;flagged=1" in text
    assert "labels=1" in text


def test_observation_page_shows_labels_critical_and_flags(field, stored, login):
    client = login(field.users.lead)
    text = client.get(f"/missions/field/observations/{stored['ok1']}").get_data(as_text=True)
    assert "Were the seals intact?" in text and ">Yes" in text
    assert re.search(r'id="a-problems" class="critical"', text)
    assert "Intimidation" in text and "review-form" not in text  # leads read, not review
    text = client.get(f"/missions/field/observations/{stored['flagged']}").get_data(as_text=True)
    assert 'data-check="cast_le_registered"' in text and "automatic checks" in text


def test_other_mission_or_unknown_observation_is_404(field, stored, login, mission_factory):
    client = login(field.users.analyst)
    assert client.get("/missions/field/observations/99999").status_code == 404
    mission_factory(slug="elsewhere")
    assert client.get(f"/missions/elsewhere/observations/{stored['ok1']}").status_code == 404


def _review_form(client, observation_id):
    text = client.get(f"/missions/field/observations/{observation_id}").get_data(as_text=True)
    token = CSRF_RE.search(text).group(1)
    seen = re.search(r'name="seen"[^>]*value="(\d+)"', text)
    return token, seen.group(1) if seen else "0"


def test_review_sets_status_and_keeps_history(field, stored, login, db):
    client = login(field.users.analyst)
    flagged = stored["flagged"]
    token, seen = _review_form(client, flagged)
    url = f"/missions/field/observations/{flagged}/review"
    data = {"csrf_token": token, "seen": seen, "status": "verified", "comment": "Called T01"}
    response = client.post(url, data=data)
    assert response.status_code == 302
    assert db.session.get(Observation, flagged).review_status == ReviewStatus.VERIFIED
    history = (
        db.session.query(ObservationReview)
        .filter_by(observation_id=flagged)
        .order_by(ObservationReview.id)
        .all()
    )
    assert [(h.username, h.old_status, h.new_status) for h in history] == [
        (None, None, "flagged"),
        ("analyst", "flagged", "verified"),
    ]
    assert history[1].comment == "Called T01"
    stale = client.post(url, data={**data, "status": "rejected"})  # the old `seen`
    assert stale.status_code == 409
    assert db.session.get(Observation, flagged).review_status == ReviewStatus.VERIFIED
    page = client.get(f"/missions/field/observations/{flagged}").get_data(as_text=True)
    assert "flagged → <strong>verified</strong> — Called T01" in page


def test_review_refusals(field, stored, login):
    client = login(field.users.analyst)
    token, seen = _review_form(client, stored["ok1"])
    url = f"/missions/field/observations/{stored['ok1']}/review"
    assert client.post(url, data={"seen": seen, "status": "verified"}).status_code == 400
    bad = client.post(url, data={"csrf_token": token, "seen": seen, "status": "lost"})
    assert bad.status_code == 400
    same = client.post(url, data={"csrf_token": token, "seen": seen, "status": "received"})
    assert same.status_code == 400  # no change and no comment: a mistake, not a conflict
    assert "Say why when the status stays the same." in same.get_data(as_text=True)


def test_lead_may_not_review(field, stored, login):
    client = login(field.users.lead)
    token, seen = _review_form(client, stored["ok1"])
    data = {"csrf_token": token, "seen": seen, "status": "rejected"}
    url = f"/missions/field/observations/{stored['ok1']}/review"
    assert client.post(url, data=data).status_code == 403
