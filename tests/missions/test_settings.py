"""Mission settings page, `mission update`, and archived missions being read-only."""

import pytest
from click.testing import CliRunner

from observer_suite.cli import main
from observer_suite.models import Area, AuditEntry, Mission
from tests.api.fixtures import payload, post
from tests.conftest import csrf_token

URL = "/missions/{slug}/settings"


def _form(client, slug, **changes):
    data = {
        "name": "Nigeria 2027",
        "election_date": "2027-02-25",
        "second_round_date": "",
        "timezone": "Africa/Lagos",
        "languages": "en,ha",
        "tiles": "default",
        "levels": "state,lga,ward",
        "csrf_token": csrf_token(client, URL.format(slug=slug)),
    }
    data.update(changes)
    return client.post(URL.format(slug=slug), data=data)


@pytest.fixture
def ng(mission_factory):
    return mission_factory(slug="ng", levels="state,lga,ward")


@pytest.fixture
def as_coordinator(ng, user_factory, login):
    return login(user_factory("coordinator", missions=[ng]))


def test_coordinator_changes_settings_and_the_change_is_audited(ng, as_coordinator, db):
    tiles = "https://tiles.example.org/{z}/{x}/{y}.png"
    response = _form(as_coordinator, "ng", tiles=tiles)
    assert response.status_code == 302
    db.session.expire_all()
    mission = db.session.get(Mission, ng.id)
    assert (mission.name, mission.timezone) == ("Nigeria 2027", "Africa/Lagos")
    assert mission.languages == ["en", "ha"] and mission.map_tiles == tiles
    entry = db.session.query(AuditEntry).filter_by(entity="Mission", action="update").one()
    assert entry.details["timezone"] == ["UTC", "Africa/Lagos"]
    assert entry.username.startswith("coordinator")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "is not an IANA time zone"),
        ({"tiles": "http://tiles.example.org/{z}/{x}/{y}.png"}, "must start with https://"),
        ({"languages": "english!"}, "is not an ISO 639 code"),
        ({"second_round_date": "2027-01-01"}, "must be after the election date"),
        ({"election_date": "25/02/2027"}, "Not a valid date value"),
        ({"name": ""}, "This field is required"),
    ],
)
def test_bad_settings_are_refused_at_the_field(ng, as_coordinator, db, changes, message):
    response = _form(as_coordinator, "ng", **changes)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Mission, ng.id).name == "Test mission"


def test_levels_change_freely_until_areas_exist_then_only_renames(ng, as_coordinator, db):
    assert _form(as_coordinator, "ng", levels="region,district").status_code == 302
    db.session.expire_all()
    assert db.session.get(Mission, ng.id).area_levels == ["region", "district"]
    db.session.add(Area(mission_id=ng.id, level=0, name="North", code="N", path="N"))
    db.session.commit()
    response = _form(as_coordinator, "ng", levels="region,district,village")
    assert response.status_code == 400
    assert "you may rename them but not add or remove one" in response.get_data(as_text=True)
    assert _form(as_coordinator, "ng", levels="province,county").status_code == 302
    db.session.expire_all()
    assert db.session.get(Mission, ng.id).area_levels == ["province", "county"]


def test_analyst_cannot_open_settings(ng, user_factory, login):
    client = login(user_factory("analyst", missions=[ng]))
    assert client.get(URL.format(slug="ng")).status_code == 403


def _archive(client, slug, action="archive"):
    token = csrf_token(client, URL.format(slug=slug))
    return client.post(f"/missions/{slug}/archive", data={"csrf_token": token, "action": action})


def test_archived_mission_is_read_only_and_hidden_until_restored(ng, as_coordinator, db):
    assert _archive(as_coordinator, "ng").status_code == 302
    db.session.expire_all()
    assert db.session.get(Mission, ng.id).archived_at is not None
    refused = _form(as_coordinator, "ng", name="Changed")
    assert refused.status_code == 409
    assert "is archived and read-only" in refused.get_data(as_text=True)
    token = csrf_token(as_coordinator, URL.format(slug="ng"))
    other = as_coordinator.post("/missions/ng/teams/pair", data={"csrf_token": token})
    assert other.status_code == 409
    home = as_coordinator.get("/").get_data(as_text=True)
    assert "/missions/ng" not in home and "Show archived missions" in home
    assert "/missions/ng" in as_coordinator.get("/?archived=1").get_data(as_text=True)
    assert as_coordinator.get(URL.format(slug="ng")).status_code == 200  # still readable
    assert _archive(as_coordinator, "ng", "restore").status_code == 302
    assert _form(as_coordinator, "ng", name="Changed").status_code == 302
    db.session.expire_all()
    mission = db.session.get(Mission, ng.id)
    assert mission.archived_at is None and mission.name == "Changed"
    changes = [
        e.details.get("archived_at")
        for e in db.session.query(AuditEntry).filter_by(entity="Mission", action="update")
    ]
    assert sum(1 for c in changes if c) == 2  # archived, then restored


def test_archived_mission_refuses_tablet_uploads(field, login, db):
    field.mission.archived_at = db.func.now()
    db.session.commit()
    client = login(field.users.obs1)
    response = post(client, payload("S001"))
    assert response.status_code == 409
    assert response.json["error"] == "mission_archived" and response.json["field"] == "mission"
    assert "archived" in response.json["detail"]
    named = post(client, {**payload("S001"), "mission": "field"})
    assert named.status_code == 409


@pytest.fixture
def cli(app, database_url):
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, ["--database-url", database_url, *args])

    return run


def test_cli_mission_update(ng, cli, db):
    result = cli("mission", "update", "--timezone", "Africa/Lagos", "--languages", "en,fr",
                 "--tiles", "none", "--name", "Nigeria")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "timezone: Africa/Lagos" in result.output
    db.session.expire_all()
    mission = db.session.get(Mission, ng.id)
    assert (mission.timezone, mission.map_tiles, mission.name) == (
        "Africa/Lagos",
        "none",
        "Nigeria",
    )
    assert db.session.query(AuditEntry).filter_by(entity="Mission", username="cli").count() >= 1


def test_cli_mission_update_refuses_bad_values_without_writing(ng, cli, db):
    result = cli("mission", "update", "--mission", "ng", "--name", "X", "--timezone", "Lagos")
    assert result.exit_code != 0
    assert "--timezone: 'Lagos' is not an IANA time zone" in result.output
    assert "Traceback" not in result.output
    db.session.expire_all()
    assert db.session.get(Mission, ng.id).name == "Test mission"
    bad_date = cli("mission", "update", "--election-date", "tomorrow")
    assert bad_date.exit_code == 2 and "is not a date" in bad_date.output


def test_cli_archive_then_restore(ng, cli, db):
    assert cli("mission", "update", "--archive").exit_code == 0
    db.session.expire_all()
    assert db.session.get(Mission, ng.id).archived_at is not None
    refused = cli("mission", "update", "--name", "Y")
    assert refused.exit_code != 0 and "archived" in refused.output
    assert cli("mission", "update", "--restore", "--name", "Y").exit_code == 0
    db.session.expire_all()
    assert db.session.get(Mission, ng.id).name == "Y"


def test_where_no_mission_is_named_an_active_one_comes_first(
    field,
    mission_factory,
    login,
    db,
):
    """An archived mission with a later election does not capture the tablet or the API."""
    from datetime import date

    from observer_suite.models import Membership

    old = mission_factory(slug="old-archived", election_date=date(2099, 1, 1))
    old.archived_at = db.func.now()
    db.session.add(Membership(mission_id=old.id, user_id=field.users.obs1.id))
    db.session.commit()
    client = login(field.users.obs1)
    assignments = client.get("/api/v1/me/assignments")
    assert assignments.status_code == 200
    assert assignments.json["mission"]["slug"] == "field"
    shell = client.get("/tablet/").get_data(as_text=True)
    assert 'data-mission="field"' in shell
