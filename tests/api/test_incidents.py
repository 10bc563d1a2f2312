"""POST /api/v1/incidents, GET /incidents/categories and /me/incidents, through HTTP."""

import pytest

from observer_suite.models import Incident, IncidentPhoto, Observation
from tests.api.fixtures import GOOD_ANSWERS, payload, post
from tests.incidents.intake_fixtures import (
    GIF,
    JPEG,
    PNG,
    WEBP,
    b64,
    incident,
    photo,
    post_incident,
)


@pytest.fixture
def as_obs1(field, login):
    return login(field.users.obs1)


def _counts(db) -> tuple[int, int]:
    return db.session.query(Incident).count(), db.session.query(IncidentPhoto).count()


def test_created_then_identical_replay_gives_the_same_id(field, as_obs1, db):
    body = incident("S001", photos=[photo(PNG), photo(JPEG, "image/jpeg", "door.jpg")])
    first = post_incident(as_obs1, body)
    assert first.status_code == 201, first.json
    assert first.json == {"id": first.json["id"], "uuid": body["uuid"], "status": "created"}
    again = post_incident(as_obs1, body)
    assert again.status_code == 200
    assert again.json["id"] == first.json["id"] and again.json["status"] == "replayed"
    assert _counts(db) == (1, 2)
    stored = db.session.get(Incident, first.json["id"])
    assert stored.category.code == "voter_intimidation" and stored.severity.value == "high"
    assert stored.status.value == "reported"
    assert stored.station.code == "S001" and stored.team_id == field.t1.id
    assert stored.reported_by == field.users.obs1.id
    assert stored.occurred_at.isoformat().startswith("2027-02-25T08:15")  # stored in UTC
    assert stored.description.endswith("Police absent.") and len(stored.content_hash) == 64
    assert stored.observation_id is None and stored.question is None
    assert [(p.filename, p.content_type, p.size) for p in stored.photos] == [
        ("p.png", "image/png", len(PNG)),
        ("door.jpg", "image/jpeg", len(JPEG)),
    ]
    assert stored.photos[0].data == PNG
    assert [(h.username, h.old_status, h.new_status) for h in stored.history] == [
        ("obs1", None, "reported")  # the report opens the triage history, once
    ]


def test_same_uuid_with_other_content_is_a_conflict(field, as_obs1, db):
    body = incident("S001")
    assert post_incident(as_obs1, body).status_code == 201
    response = post_incident(as_obs1, {**body, "severity": "critical"})
    assert response.status_code == 409
    assert response.json["error"] == "conflict" and response.json["field"] == "uuid"
    other_photo = post_incident(as_obs1, {**body, "photos": [photo(PNG)]})
    assert other_photo.status_code == 409
    assert _counts(db) == (1, 0)


def test_replay_by_another_mission_member_is_recognised_but_not_by_a_stranger(
    field, as_obs1, db, client, login, mission_factory, user_factory
):
    body = incident("S001")
    first = post_incident(as_obs1, body).json["id"]
    stranger = user_factory(role="coordinator", missions=[mission_factory(slug="other")])
    response = post_incident(login(stranger), body)
    assert response.status_code == 409  # nothing about the stored row leaks
    assert first and _counts(db) == (1, 0)


def test_invalid_fields_are_422_each_named(field, as_obs1, db):
    body = incident(
        "S001",
        uuid="not-a-uuid",
        severity="apocalyptic",
        occurred_at="2027-02-25T09:15:00",  # no offset
        title="x" * 201,
        description=["not", "text"],
        latitude=91,
        observation_uuid="nope",
        photos=[photo(PNG), {"filename": "a.png"}],
    )
    del body["category"]
    response = post_incident(as_obs1, body)
    assert response.status_code == 422
    assert response.json["error"] == "invalid_incident"
    assert set(response.json["fields"]) == {
        "uuid",
        "category",
        "severity",
        "occurred_at",
        "title",
        "description",
        "latitude",
        "longitude",
        "observation_uuid",
        "photos.1",
    }
    assert "UTC offset" in response.json["fields"]["occurred_at"]
    assert _counts(db) == (0, 0)


def test_a_place_is_required_and_coordinates_alone_are_enough(field, as_obs1, db):
    nowhere = post_incident(as_obs1, incident(None))
    assert nowhere.status_code == 422 and nowhere.json["field"] == "station_code"
    response = post_incident(as_obs1, incident(None, latitude=6.51, longitude=3.38))
    assert response.status_code == 201, response.json
    stored = db.session.get(Incident, response.json["id"])
    assert stored.station_id is None and (stored.latitude, stored.longitude) == (6.51, 3.38)
    assert stored.team_id == field.t1.id and stored.mission_id == field.mission.id


def test_unknown_category_and_station_name_their_field(field, as_obs1):
    response = post_incident(as_obs1, incident("S001", category="alien_landing"))
    assert response.status_code == 422 and response.json["field"] == "category"
    response = post_incident(as_obs1, incident("S999"))
    assert response.status_code == 422 and response.json["field"] == "station_code"


def test_another_teams_station_is_forbidden(field, as_obs1, db):
    response = post_incident(as_obs1, incident("S003"))  # on T02's route
    assert response.status_code == 403
    assert response.json["error"] == "not_your_station" and "T02" in response.json["detail"]
    assert post_incident(as_obs1, incident("S005")).status_code == 201  # nobody's station
    assert _counts(db) == (1, 0)


def test_roles_without_report_incidents_are_forbidden(field, login, db):
    for user in (field.users.analyst, field.users.lead):
        response = post_incident(login(user), incident("S001"))
        assert response.status_code == 403 and response.json["error"] == "forbidden"
    assert _counts(db) == (0, 0)


def test_coordinator_reports_anywhere_without_a_team(field, login, db):
    response = post_incident(login(field.users.coordinator), incident("S003"))
    assert response.status_code == 201
    assert db.session.get(Incident, response.json["id"]).team_id is None


def test_not_json_is_415_and_malformed_json_is_400(field, as_obs1):
    from tests.conftest import csrf_token

    headers = {"X-CSRFToken": csrf_token(as_obs1)}
    response = as_obs1.post("/api/v1/incidents", data="title=x", headers=headers)
    assert response.status_code == 415
    response = as_obs1.post(
        "/api/v1/incidents", data="{oops", content_type="application/json", headers=headers
    )
    assert response.status_code == 400 and response.json["error"] == "invalid_json"
    response = as_obs1.post(
        "/api/v1/incidents", data="[1]", content_type="application/json", headers=headers
    )
    assert response.status_code == 400


def test_a_photo_too_big_is_refused(field, as_obs1, db, app, monkeypatch):
    big = PNG + b"\x00" * (5 * 1024 * 1024)  # just over the default 5 MB
    response = post_incident(as_obs1, incident("S001", photos=[photo(big)]))
    assert response.status_code == 422
    assert response.json["fields"] == {"photos.0": "is larger than 5 MB"}
    monkeypatch.setitem(app.config, "INCIDENT_PHOTO_MAX_MB", 0.001)  # the setting is read
    response = post_incident(as_obs1, incident("S001", photos=[photo(PNG + b"\x00" * 1100)]))
    assert response.status_code == 422 and "photos.0" in response.json["fields"]
    assert _counts(db) == (0, 0)


def test_photo_types_are_checked_by_their_bytes(field, as_obs1, db):
    cases = [
        photo(GIF, "image/png"),  # a GIF calling itself PNG
        photo(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/png"),
        photo(PNG, "image/jpeg"),  # a real PNG declared as JPEG
        photo(GIF, "image/gif"),  # a type we do not take
        {"filename": "x.png", "content_type": "image/png", "data": "%%% not base64 %%%"},
    ]
    response = post_incident(as_obs1, incident("S001", photos=cases[:3]))
    assert response.status_code == 422
    fields = response.json["fields"]
    assert set(fields) == {"photos.0", "photos.1", "photos.2"}
    assert "not a JPEG, PNG or WebP" in fields["photos.0"]
    assert "image/png image, not image/jpeg" in fields["photos.2"]
    response = post_incident(as_obs1, incident("S001", photos=cases[3:]))
    assert set(response.json["fields"]) == {"photos.0", "photos.1"}
    assert _counts(db) == (0, 0)


def test_too_many_photos(field, as_obs1, db, app, monkeypatch):
    response = post_incident(as_obs1, incident("S001", photos=[photo(PNG)] * 4))
    assert response.status_code == 422 and response.json["fields"] == {
        "photos": "at most 3 photos per incident"
    }
    monkeypatch.setitem(app.config, "INCIDENT_MAX_PHOTOS", 1)
    response = post_incident(as_obs1, incident("S001", photos=[photo(PNG)] * 2))
    assert response.status_code == 422 and response.json["field"] == "photos"
    assert _counts(db) == (0, 0)


def test_one_bad_photo_stores_neither_incident_nor_photos(field, as_obs1, db):
    good, bad = photo(PNG), photo(GIF, "image/png")
    response = post_incident(as_obs1, incident("S001", photos=[good, bad]))
    assert response.status_code == 422 and list(response.json["fields"]) == ["photos.1"]
    assert _counts(db) == (0, 0)
    # and a refusal found only while storing (another team's station) leaves nothing either
    response = post_incident(as_obs1, incident("S003", photos=[good]))
    assert response.status_code == 403
    assert _counts(db) == (0, 0)


def test_photo_names_are_sanitised_and_webp_accepted(field, as_obs1, db):
    photos = [
        photo(PNG, filename="../../etc/passwd"),
        photo(WEBP, "image/webp", "C:\\Users\\me\\Été 1.webp"),
        photo(JPEG, "image/jpeg", ".htaccess"),
    ]
    response = post_incident(as_obs1, incident("S001", photos=photos))
    assert response.status_code == 201, response.json
    stored = db.session.get(Incident, response.json["id"])
    assert [p.filename for p in stored.photos] == ["passwd.png", "Ete_1.webp", "htaccess.jpg"]


def test_photo_data_may_be_a_data_url(field, as_obs1, db):
    item = {"content_type": "image/png", "data": "data:image/png;base64," + b64(PNG)}
    response = post_incident(as_obs1, incident("S001", photos=[item]))
    assert response.status_code == 201
    assert db.session.query(IncidentPhoto).one().filename == "photo-1.png"


def test_raised_from_a_critical_answer_links_the_observation(field, as_obs1, db):
    observation = payload("S001", answers={**GOOD_ANSWERS, "seals_intact": "no",
                                           "seal_problem": "torn"})  # fmt: skip
    assert post(as_obs1, observation).status_code == 201
    body = incident("S001", observation_uuid=observation["uuid"].upper(), question="seals_intact")
    response = post_incident(as_obs1, body)
    assert response.status_code == 201, response.json
    stored = db.session.get(Incident, response.json["id"])
    linked = db.session.query(Observation).filter_by(uuid=observation["uuid"]).one()
    assert stored.observation_id == linked.id and stored.question == "seals_intact"
    wrong = incident("S001", observation_uuid=observation["uuid"], question="shoe_size")
    assert post_incident(as_obs1, wrong).json["field"] == "question"
    orphan = incident("S001", question="seals_intact")
    assert post_incident(as_obs1, orphan).json["field"] == "question"


def test_an_observation_not_yet_sent_leaves_the_incident_unlinked(field, as_obs1, db):
    body = incident("S001", observation_uuid=payload()["uuid"], question="seals_intact")
    response = post_incident(as_obs1, body)
    assert response.status_code == 201
    stored = db.session.get(Incident, response.json["id"])
    assert stored.observation_id is None and stored.question == "seals_intact"


def test_another_teams_observation_cannot_be_linked(field, login, db):
    theirs = payload("S003")
    assert post(login(field.users.obs2), theirs).status_code == 201
    body = incident("S001", observation_uuid=theirs["uuid"], question="seals_intact")
    response = post_incident(login(field.users.obs1), body)
    assert response.status_code == 422 and response.json["field"] == "observation_uuid"
    assert _counts(db) == (0, 0)


def test_bearer_token_clients_need_no_csrf(field, client, db):
    token = client.post(
        "/api/v1/auth/token", json={"username": "obs1", "password": "correct-horse-battery"}
    ).json["token"]
    response = post_incident(client, incident("S002"), token=token)
    assert response.status_code == 201


def test_categories_of_the_mission(field, as_obs1, db):
    from observer_suite.models import IncidentCategory

    response = as_obs1.get("/api/v1/incidents/categories")
    assert response.status_code == 200
    items = response.json["categories"]
    assert items[0] == {
        "code": "ballot_stuffing",
        "labels": {"en": "Ballot stuffing", "fr": "Bourrage d'urnes"},
    }
    assert len(items) == 12 and items[-1]["code"] == "other"
    assert as_obs1.get("/api/v1/incidents/categories?mission=field").json["categories"] == items
    assert db.session.query(IncidentCategory).count() == 12  # made once, committed
    retired = db.session.query(IncidentCategory).filter_by(code="violence").one()
    retired.active = False
    db.session.commit()
    codes = [c["code"] for c in as_obs1.get("/api/v1/incidents/categories").json["categories"]]
    assert "violence" not in codes and len(codes) == 11
    assert post_incident(as_obs1, incident("S001", category="violence")).status_code == 422
    missing = as_obs1.get("/api/v1/incidents/categories?mission=elsewhere")
    assert missing.status_code == 404 and missing.json["field"] == "mission"


def test_my_incidents_are_my_teams_only(field, login, db, incident_factory):
    mine = post_incident(login(field.users.obs1), incident("S001", photos=[photo(PNG)])).json
    theirs = post_incident(login(field.users.obs2), incident("S003")).json
    incident_factory(field.mission, team_id=field.t1.id, title="Filed by the coordinator")
    listed = login(field.users.obs1).get("/api/v1/me/incidents").json["incidents"]
    assert {item["title"] for item in listed} == {
        "Party agents questioning voters at the door",
        "Filed by the coordinator",
    }
    first = next(item for item in listed if item["id"] == mine["id"])
    assert first["station_code"] == "S001" and first["category"] == "voter_intimidation"
    assert first["photos"] == 1 and first["status"] == "reported"
    assert first["occurred_at"] == "2027-02-25T08:15:00+00:00"
    other = login(field.users.obs2).get("/api/v1/me/incidents").json["incidents"]
    assert [item["id"] for item in other] == [theirs["id"]]
    assert login(field.users.loner).get("/api/v1/me/incidents").json["incidents"] == []
