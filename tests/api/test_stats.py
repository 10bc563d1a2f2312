"""GET /api/v1/stats/indicators: the same numbers as the statistics service, and its refusals."""

from urllib.parse import urlencode

import pytest

from observer_suite.reporting.statistics.compute import election_day_stats
from observer_suite.reporting.statistics.serialise import stats_to_json
from tests.conftest import PASSWORD
from tests.reporting.stats_world import CUTOFF, add_incidents, build_world

URL = "/api/v1/stats/indicators"


@pytest.fixture
def world(db, mission_factory, incident_factory):
    mission, _plan, _teams, stations = build_world(db, mission_factory)
    add_incidents(mission, stations, incident_factory)
    return mission


def _get(client, **args):
    return client.get(f"{URL}?{urlencode(args)}")


def _same(body: dict, expected: dict) -> None:
    body, expected = dict(body), dict(expected)
    body.pop("generated_at"), expected.pop("generated_at")
    assert body == expected


@pytest.mark.parametrize("role", ["coordinator", "analyst", "lead"])
def test_answers_the_numbers_of_the_service(world, user_factory, login, role):
    client = login(user_factory(role, missions=[world]))
    response = _get(client, mission="sw", until=CUTOFF.isoformat())
    assert response.status_code == 200, response.get_data(as_text=True)
    _same(response.json, stats_to_json(election_day_stats(world, until=CUTOFF)))
    indicator = next(i for i in response.json["indicators"] if i["key"] == "opening_on_time")
    assert indicator["mission"] == {"n": 2, "total": 3, "share": 0.666667, "margin": None}
    assert indicator["areas"][0]["share"] is None  # East: no data
    assert response.json["incidents"]["total"] == 4


def test_region_language_and_local_cutoff(world, user_factory, login):
    client = login(user_factory("lead", missions=[world]))
    response = _get(client, mission="sw", until="2027-02-25T20:00", region="N", lang="fr")
    assert response.status_code == 200
    expected = election_day_stats(world, until=CUTOFF, region="N", lang="fr")
    _same(response.json, stats_to_json(expected))
    assert response.json["until"] == "2027-02-25T20:00:00+00:00"  # the mission's zone is UTC
    assert [a["code"] for a in response.json["areas"]] == ["N1", "N2"]
    assert response.json["indicators"][0]["label"] == "Bureau de vote ouvert à l'heure"


def test_bearer_token(world, user_factory, client):
    user = user_factory("analyst", missions=[world])
    token = client.post(
        "/api/v1/auth/token", json={"username": user.username, "password": PASSWORD}
    ).json["token"]
    response = client.get(
        f"{URL}?mission=sw&until=2027-02-25T20:00Z", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    assert response.json["coverage"]["observations"] == 9


@pytest.mark.parametrize("role", ["observer", "lto"])
def test_observers_are_refused(world, user_factory, login, role):
    response = _get(login(user_factory(role, missions=[world])), mission="sw")
    assert response.status_code == 403
    assert response.json["error"] == "forbidden"


def test_login_required(world, client):
    response = _get(client, mission="sw")
    assert response.status_code == 401


def test_unknown_or_foreign_mission_is_404(world, user_factory, mission_factory, login):
    other = mission_factory(slug="other")
    client = login(user_factory("coordinator", missions=[other]))
    for slug in ("sw", "nope"):
        response = _get(client, mission=slug)
        assert response.status_code == 404
        assert response.json["field"] == "mission"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"until": "yesterday"}, "until"),
        ({"until": "2027-02-30T10:00"}, "until"),
        ({"until": "99999-01-01"}, "until"),
        ({"until": "x" * 5000}, "until"),
        ({"region": "XX"}, "region"),
        ({"region": "N1"}, "region"),
        ({"region": "R" * 500}, "region"),
        ({"region": "N\x00"}, "region"),
        ({"lang": "de"}, "lang"),
        ({"lang": "<script>"}, "lang"),
    ],
)
def test_bad_arguments_are_422_naming_the_field(world, user_factory, login, args, field):
    client = login(user_factory("coordinator", missions=[world]))
    response = _get(client, mission="sw", **args)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.json["error"] == "invalid_parameter"
    assert response.json["field"] == field
    assert field in response.json["detail"]


def test_empty_mission_and_default_cutoff(user_factory, mission_factory, login):
    mission = mission_factory(slug="empty")
    client = login(user_factory("lead", missions=[mission]))
    response = _get(client, mission="empty")
    assert response.status_code == 200
    assert response.json["areas"] == [] and response.json["forms"] == []
    assert response.json["mode"] == "purposive"
    assert all(i["mission"]["share"] is None for i in response.json["indicators"])


def test_a_cutoff_without_offset_is_the_missions_local_time(world, db, user_factory, login):
    world.timezone = "Africa/Lagos"  # UTC+1
    db.session.commit()
    client = login(user_factory("lead", missions=[world]))
    response = _get(client, mission="sw", until="2027-02-25T21:00")
    assert response.status_code == 200
    assert response.json["until"] == CUTOFF.isoformat()
    _same(response.json, stats_to_json(election_day_stats(world, until=CUTOFF)))
