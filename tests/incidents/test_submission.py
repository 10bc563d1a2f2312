"""Incident intake below HTTP: payload parsing and photos (no app), then report() on a mission."""

import base64
from datetime import UTC, datetime

import pytest

from observer_suite.errors import RequestError
from observer_suite.incidents.payload import content_hash, parse
from observer_suite.incidents.photos import Limits, safe_filename, sniff
from tests.dbutil import NO_FOREIGN_KEYS, backend
from tests.incidents.intake_fixtures import GIF, JPEG, PNG, WEBP, b64, incident, photo

# ---- parsing: plain functions, no database ----


def _refusal(body, limits: Limits | None = None) -> RequestError:
    with pytest.raises(RequestError) as caught:
        parse(body, limits or Limits())
    return caught.value


def test_parse_types_every_field():
    body = incident("S001", latitude=6.5, longitude=3, observation_uuid="AB" + "c" * 6 +
                    "-1234-4234-8234-123456789abc", question="seals_intact",
                    photos=[photo(PNG)], mission="field")  # fmt: skip
    data = parse(body, Limits())
    assert data.uuid == body["uuid"] and data.severity.value == "high"
    assert data.occurred_at == datetime(2027, 2, 25, 8, 15, tzinfo=UTC)
    assert (data.latitude, data.longitude) == (6.5, 3.0)
    assert data.observation_uuid.startswith("abcccccc") and data.question == "seals_intact"
    assert data.photos[0].data == PNG and data.photos[0].sha256 and data.mission == "field"


@pytest.mark.parametrize(
    ("changes", "field_name"),
    [
        ({"severity": ["high"]}, "severity"),  # unhashable: still a 422, not a TypeError
        ({"severity": None}, "severity"),
        ({"category": 7}, "category"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"title": "  "}, "title"),
        ({"title": "two\nlines"}, "title"),
        ({"description": "d" * 5001}, "description"),
        ({"description": "bell\x07"}, "description"),
        ({"latitude": True, "longitude": 3}, "latitude"),
        ({"latitude": float("nan"), "longitude": 3}, "latitude"),
        ({"latitude": 10**400, "longitude": 3}, "latitude"),  # no OverflowError
        ({"occurred_at": "0001-01-01T00:00:00+01:00"}, "occurred_at"),  # before year 1 in UTC
        ({"latitude": 6, "longitude": 181}, "longitude"),
        ({"longitude": 3}, "latitude"),
        ({"question": "1bad", "observation_uuid": None}, "question"),
        ({"photos": "photo.png"}, "photos"),
        ({"photos": ["x"]}, "photos.0"),
        ({"mission": "m" * 61}, "mission"),
    ],
)
def test_parse_refuses_one_field(changes, field_name):
    error = _refusal(incident("S001", **changes))
    assert error.status == 422 and field_name in error.fields, error.fields


def test_parse_reports_every_field_at_once_and_400_for_non_objects():
    error = _refusal({"photos": [photo(GIF)] * 2})
    assert {"uuid", "category", "severity", "occurred_at", "title", "station_code"} <= set(
        error.fields
    )
    assert {"photos.0", "photos.1"} <= set(error.fields)
    assert _refusal(["a list"]).status == 400


def test_a_multiline_description_is_kept():
    text = "First line.\r\nSecond line.\tTabbed."
    assert parse(incident("S001", description=text), Limits()).description == text


def test_sniff_and_filenames():
    assert sniff(PNG) == "image/png" and sniff(JPEG) == "image/jpeg"
    assert sniff(WEBP) == "image/webp" and sniff(GIF) is None and sniff(b"RIFF") is None
    assert safe_filename("../x/../../evil.sh", "image/png", 0) == "evil_sh.png"
    assert safe_filename("photo.JPEG", "image/jpeg", 0) == "photo.jpg"
    assert safe_filename(None, "image/webp", 2) == "photo-3.webp"
    assert safe_filename("日本.png", "image/png", 0) == "photo-1.png"
    assert len(safe_filename("a" * 500 + ".png", "image/png", 0)) <= 100


def test_photo_limits_from_settings():
    limits = Limits.from_config({"INCIDENT_MAX_PHOTOS": "1", "INCIDENT_PHOTO_MAX_MB": "0.5"})
    assert limits == Limits(count=1, size=512 * 1024)
    assert Limits.from_config({}) == Limits(count=3, size=5 * 1024 * 1024)
    error = _refusal(incident("S001", photos=[photo(PNG + b"\0" * 600_000)]), limits)
    assert error.fields == {"photos.0": "is larger than 0.5 MB"}


def test_content_hash_covers_photos_by_their_bytes():
    body = incident("S001", photos=[photo(PNG)])
    digest = content_hash(body, parse(body, Limits()).photos)
    wrapped = base64.encodebytes(PNG).decode()  # the same bytes with line breaks
    again = {**body, "photos": [{**body["photos"][0], "data": wrapped}]}
    assert content_hash(again, parse(again, Limits()).photos) == digest
    other = {**body, "photos": [photo(JPEG, "image/jpeg", "p.png")]}
    assert content_hash(other, parse(other, Limits()).photos) != digest
    assert content_hash({**body, "title": "Else"}, parse(body, Limits()).photos) != digest
    assert b64(PNG) not in str(digest)


# ---- report(): storing, with the rules of observations ----


@pytest.fixture
def report(field):
    from observer_suite.extensions import db
    from observer_suite.incidents.submission import report as store

    def do(user, body, mission=None, limits=None):
        outcome = store(user, body, mission, limits)
        db.session.commit()
        return outcome

    return do


def test_report_then_replay(field, report, db):
    from observer_suite.models import Incident

    body = incident("S002", photos=[photo(PNG)])
    created = report(field.users.obs1, body)
    assert created.created and created.status == "created"
    replayed = report(field.users.obs1, body)
    assert not replayed.created and replayed.id == created.id
    assert db.session.query(Incident).count() == 1


def test_an_lto_in_a_team_reports_and_staff_need_no_team(field, report, db):
    from observer_suite.models import Incident, Observer, ObserverRole, Role
    from tests.api.fixtures import _team, make_user

    lto = Observer(mission_id=field.mission.id, ref="l1", name="Lia", role=ObserverRole.LTO)
    db.session.add(lto)
    db.session.flush()
    team = _team(field.mission, "L01", [lto])
    user = make_user("lia", "lto", field.mission, lto)
    db.session.commit()
    assert user.role == Role.LTO
    outcome = report(user, incident(None, latitude=6.0, longitude=7.0))
    assert db.session.get(Incident, outcome.id).team_id == team.id
    with pytest.raises(RequestError) as caught:
        report(user, incident("S003"))  # T02's route
    assert caught.value.status == 403
    with pytest.raises(RequestError) as caught:
        report(field.users.loner, incident("S005"))  # an observer with no team
    assert caught.value.status == 403 and caught.value.code == "forbidden"


def test_mission_for_a_report_without_station(field, report, mission_factory, db):
    from observer_suite.models import Incident

    outcome = report(field.users.obs1, incident(None, latitude=1, longitude=2), mission="field")
    assert db.session.get(Incident, outcome.id).mission_id == field.mission.id
    with pytest.raises(RequestError) as caught:
        report(field.users.obs1, incident(None, latitude=1, longitude=2, mission="nowhere"))
    assert caught.value.field == "mission" and caught.value.status == 422


def test_the_same_incident_sent_twice_at_once_is_stored_once(field, report, db, race):
    from observer_suite.incidents.submission import report as store
    from observer_suite.models import Incident, User

    report(field.users.obs1, incident("S002"))  # the mission's categories, made on first use
    body, obs1 = incident("S001"), field.users.obs1.id

    def the_other_device_sends_it():  # stored between our checks and our insert
        store(db.session.get(User, obs1), body)

    with race("INSERT INTO incidents", the_other_device_sends_it):
        outcome = report(field.users.obs1, body)
    stored = db.session.query(Incident).filter_by(uuid=body["uuid"]).one()
    assert not outcome.created and outcome.id == stored.id
    assert db.session.query(Incident).count() == 2


@pytest.mark.skipif(backend() == "sqlite", reason=NO_FOREIGN_KEYS)
def test_a_team_removed_meanwhile_asks_for_a_retry(field, report, db, race):
    from observer_suite.models import Incident, Team

    t1 = field.t1.id

    def a_coordinator_removes_the_team():  # between our checks and our insert
        db.session.delete(db.session.get(Team, t1))

    with (
        race("INSERT INTO incidents", a_coordinator_removes_the_team),
        pytest.raises(RequestError) as caught,
    ):
        report(field.users.obs1, incident("S001"))
    assert caught.value.status == 503 and caught.value.code == "retry"
    db.session.rollback()
    assert db.session.query(Incident).count() == 0
    assert db.session.get(Team, t1) is None


def test_a_refusal_leaves_the_session_clean(field, report, db):
    from observer_suite.models import Incident, IncidentPhoto

    with pytest.raises(RequestError):
        report(field.users.obs1, incident("S003", photos=[photo(PNG)]))
    db.session.commit()  # nothing pending from the refused report
    assert db.session.query(Incident).count() == 0
    assert db.session.query(IncidentPhoto).count() == 0
