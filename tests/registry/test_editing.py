"""One station or one observer added and corrected from the web, with the import's checks."""

import pytest

from observer_suite.models import Area, AuditEntry, Gender, Observer, ObserverRole, PollingStation
from tests.conftest import csrf_token


@pytest.fixture
def ng(mission_factory, db):
    mission = mission_factory(slug="ng", levels="state,lga")
    state = Area(mission_id=mission.id, level=0, name="Enugu", code="14", path="14")
    db.session.add(state)
    db.session.flush()
    for code, name in (("08", "Nkanu East"), ("09", "Nkanu West")):
        db.session.add(
            Area(mission_id=mission.id, level=1, name=name, code=code, path=f"14/{code}",
                 parent_id=state.id)
        )  # fmt: skip
    db.session.commit()
    return mission


@pytest.fixture
def coordinator(ng, user_factory, login):
    return login(user_factory("coordinator", missions=[ng]))


def _post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


STATION = {
    "code": "14/08/001",
    "name": "Amagunze Primary School",
    "area": "14/08",
    "polling_centre": "",
    "registered_voters": "1,234",
    "latitude": "6,35",
    "longitude": "7.62",
}


def test_add_then_edit_a_station(ng, coordinator, db):
    response = _post(coordinator, "/missions/ng/stations/new", **STATION)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    station = db.session.query(PollingStation).one()
    assert (station.code, station.registered_voters, station.latitude) == ("14/08/001", 1234, 6.35)
    assert station.area.name == "Nkanu East"
    url = f"/missions/ng/stations/{station.id}/edit"
    assert 'value="14/08"' in coordinator.get(url).get_data(as_text=True)
    edited = _post(coordinator, url, **{**STATION, "area": "Nkanu West", "latitude": "",
                                        "longitude": ""})  # fmt: skip
    assert edited.status_code == 302
    db.session.expire_all()
    station = db.session.get(PollingStation, station.id)
    assert station.area.code == "09" and station.latitude is None
    assert db.session.query(AuditEntry).filter_by(entity="PollingStation").count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"registered_voters": "-5"}, "&#39;-5&#39; is negative"),
        ({"latitude": "95"}, "is outside -90..90"),
        ({"longitude": ""}, "is empty but latitude is given"),
        ({"area": "Atlantis"}, "no lga &#39;Atlantis&#39; in this mission"),
        ({"code": "x" * 61}, "at most 60 fit"),
    ],
)
def test_a_bad_station_is_refused_as_the_import_refuses_it(ng, coordinator, db, changes, message):
    response = _post(coordinator, "/missions/ng/stations/new", **{**STATION, **changes})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.query(PollingStation).count() == 0


def test_station_code_must_stay_unique(ng, coordinator, db):
    assert _post(coordinator, "/missions/ng/stations/new", **STATION).status_code == 302
    again = _post(coordinator, "/missions/ng/stations/new", **{**STATION, "name": "Other"})
    assert again.status_code == 400
    assert "already exists in this mission" in again.get_data(as_text=True)


OBSERVER = {
    "ref": "",
    "name": "Ada Obi",
    "role": "sto",
    "nationality": "ng",
    "gender": "female",
    "languages": "en; ig",
    "previous_missions": "2",
    "email": "ada@example.org",
    "phone": "+234 800 000",
}


def test_add_then_edit_an_observer(ng, coordinator, db):
    response = _post(coordinator, "/missions/ng/observers/new", **OBSERVER)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    person = db.session.query(Observer).one()
    assert person.ref == "ada@example.org" and person.nationality == "NG"
    assert person.role == ObserverRole.STO and person.gender == Gender.FEMALE
    assert person.languages == ["en", "ig"] and person.previous_missions == 2
    url = f"/missions/ng/observers/{person.id}/edit"
    form = coordinator.get(url).get_data(as_text=True)
    assert 'value="ada@example.org"' in form
    assert (
        _post(coordinator, url, **{**OBSERVER, "ref": person.ref, "role": "lto"}).status_code == 302
    )
    db.session.expire_all()
    assert db.session.get(Observer, person.id).role == ObserverRole.LTO


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-address"}, "does not look like an e-mail address"),
        ({"nationality": "Nigeria"}, "is not an ISO 3166 two-letter country code"),
        ({"previous_missions": "lots"}, "is not a whole number"),
        ({"role": "boss"}, "Not a valid choice"),
    ],
)
def test_a_bad_observer_is_refused_as_the_import_refuses_it(ng, coordinator, db, changes, message):
    response = _post(coordinator, "/missions/ng/observers/new", **{**OBSERVER, **changes})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.query(Observer).count() == 0


def test_analyst_cannot_edit(ng, user_factory, login):
    client = login(user_factory("analyst", missions=[ng]))
    assert client.get("/missions/ng/stations/new").status_code == 403
    assert client.get("/missions/ng/observers/new").status_code == 403
