"""Team pages: who may read and change, CSRF, the pairing button, forms, escaping."""

import pytest

from observer_suite.models import Observer, ObserverRole, Team
from observer_suite.teams import areas, services
from tests.conftest import csrf_token
from tests.teams.conftest import HOSTILE

BASE = "/missions/ng/teams"


def ids(world, *refs):
    return [world.people[ref].id for ref in refs]


@pytest.fixture
def coordinator(world, user_factory, login):
    return login(user_factory(role="coordinator", missions=[world.mission]))


def test_analyst_reads_but_cannot_change(world, user_factory, login, client, db):
    services.create_team(world.mission, ids(world, "s1", "s2"))
    db.session.commit()
    login(user_factory(role="analyst", missions=[world.mission]))
    page = client.get(BASE).get_data(as_text=True)
    assert "T01" in page and "Anna Berg" in page
    assert "Pair STOs automatically" not in page and "/edit" not in page
    assert client.get(f"{BASE}/areas").status_code == 200
    token = csrf_token(client, BASE + "/areas")
    team = db.session.query(Team).one()
    for url, data in (
        (f"{BASE}/pair", {"seed": "1"}),
        (f"{BASE}/{team.id}/dissolve", {}),
        (f"{BASE}/areas/sto", {}),
    ):
        assert client.post(url, data={**data, "csrf_token": token}).status_code == 403
    assert client.get(f"{BASE}/new").status_code == 403
    assert client.get(f"{BASE}/{team.id}/edit").status_code == 403
    assert db.session.query(Team).count() == 1


@pytest.mark.parametrize("role", ["lto", "observer"])
def test_field_roles_do_not_see_teams(world, user_factory, login, client, role):
    login(user_factory(role=role, missions=[world.mission]))
    assert client.get(BASE).status_code == 403
    assert client.get(f"{BASE}/areas").status_code == 403


def test_other_missions_teams_are_not_found(world, mission_factory, user_factory, login, client):
    team = services.create_team(world.mission, ids(world, "s1", "s2")).team
    from observer_suite.extensions import db

    db.session.commit()
    other = mission_factory(slug="other")
    login(user_factory(role="coordinator", missions=[other]))
    assert client.get(f"/missions/other/teams/{team.id}/edit").status_code == 404
    assert client.get(f"{BASE}").status_code == 404


def test_pairing_needs_csrf(world, coordinator, db):
    assert coordinator.post(f"{BASE}/pair", data={"seed": "1"}).status_code == 400
    assert db.session.query(Team).count() == 0


def test_auto_pair_from_the_page(world, coordinator, db):
    token = csrf_token(coordinator, BASE)
    response = coordinator.post(f"{BASE}/pair", data={"seed": "7", "csrf_token": token})
    assert response.status_code == 302
    page = coordinator.get(BASE).get_data(as_text=True)
    assert "Formed 3 STO teams (seed 7)." in page
    assert "Greta Lund is not in a team" in page
    assert "Paired automatically (seed 7)." in page and "Why this team" in page
    assert db.session.query(Team).count() == 3
    assert 'id="waiting">1 STO observer not in a team' in page
    bad = coordinator.post(f"{BASE}/pair", data={"seed": "x", "csrf_token": token})
    assert bad.status_code == 302
    assert "whole number" in coordinator.get(BASE).get_data(as_text=True)


def test_create_with_rule_break_then_override(world, coordinator, db):
    url = f"{BASE}/new"
    form = {
        "kind": "sto",
        "code": "",
        "first": str(world.people["s1"].id),
        "second": str(world.people["s7"].id),
        "driver": "0",
        "interpreter": "0",
        "base_name": "Hotel Sahel",
        "base_lat": "6.5",
        "base_lon": "7.5",
        "csrf_token": csrf_token(coordinator, url),
    }
    refused = coordinator.post(url, data=form)
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "Not saved: this pair breaks a hard rule" in text and "Both are SE nationals." in text
    assert db.session.query(Team).count() == 0
    kept = coordinator.post(url, data={**form, "override": "y"})
    assert kept.status_code == 302
    listing = coordinator.get(BASE).get_data(as_text=True)
    assert "Hard rule broken: Both are SE nationals." in listing
    assert "Hotel Sahel" in listing and "6.50000, 7.50000" in listing


def test_create_shows_field_errors(world, coordinator, db):
    url = f"{BASE}/new"
    services.create_team(world.mission, ids(world, "s1", "s2"))
    db.session.commit()
    form = {
        "kind": "sto",
        "first": str(world.people["s3"].id),
        "second": str(world.people["s3"].id),
        "driver": "0",
        "interpreter": "0",
        "base_lat": "200",
        "csrf_token": csrf_token(coordinator, url),
    }
    response = coordinator.post(url, data=form)
    assert response.status_code == 400
    form["base_lat"] = ""
    response = coordinator.post(url, data=form)
    assert "choose two different observers" in response.get_data(as_text=True)
    page = coordinator.get(url).get_data(as_text=True)
    assert "Anna Berg" not in page  # already in T01, not offered again
    assert "Chloé Martin · FR · female · 0 missions · FR, en" in page


def test_edit_and_dissolve(world, coordinator, db):
    team = services.create_team(world.mission, ids(world, "s2", "s6")).team
    db.session.commit()
    url = f"{BASE}/{team.id}/edit"
    page = coordinator.get(url).get_data(as_text=True)
    assert "Both are male." in page and "Bruno Costa" in page
    response = coordinator.post(
        url,
        data={
            "code": "T01",
            "first": str(world.people["s2"].id),
            "second": str(world.people["s3"].id),
            "driver": str(world.people["d1"].id),
            "interpreter": "0",
            "csrf_token": csrf_token(coordinator, url),
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert sorted(m.observer.ref for m in db.session.get(Team, team.id).members) == [
        "d1",
        "s2",
        "s3",
    ]
    confirm = f"{BASE}/{team.id}/dissolve"
    assert "Dissolve team T01?" in coordinator.get(confirm).get_data(as_text=True)
    done = coordinator.post(confirm, data={"csrf_token": csrf_token(coordinator, confirm)})
    assert done.status_code == 302
    assert db.session.query(Team).count() == 0


def test_areas_page_assigns_and_shows_gaps(world, coordinator, db):
    lto = services.create_team(world.mission, ids(world, "l1", "l2"), kind="lto").team
    sto = services.create_team(world.mission, ids(world, "s1", "s2")).team
    db.session.commit()
    url = f"{BASE}/areas"
    page = coordinator.get(url).get_data(as_text=True)
    assert "2 with polling stations but no team" in page
    token = csrf_token(coordinator, url)
    response = coordinator.post(
        f"{url}/lto",
        data={"team": lto.id, "areas": [world.areas["R1"].id], "level": "1", "csrf_token": token},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("level=1")
    response = coordinator.post(
        f"{url}/sto", data={f"lto-{sto.id}": str(lto.id), "csrf_token": token}
    )
    assert response.status_code == 302
    by_district = coordinator.get(f"{url}?level=1").get_data(as_text=True)
    assert "1 with polling stations but no team" in by_district
    assert "1 STO team moved." in by_district
    assert by_district.count('<mark class="error">gap: no team</mark>') == 1
    assert 'data-label="STO teams">1</td>' in by_district
    assert db.session.get(Team, sto.id).lto_team_id == lto.id
    rows = {r.area.code: r for r in areas.coverage_by_area(world.mission, 1)}
    assert rows["D21"].gap and not rows["D11"].gap
    refused = coordinator.post(
        f"{url}/lto", data={"team": sto.id, "areas": [world.areas["R1"].id], "csrf_token": token}
    )
    assert refused.status_code == 302
    assert "only LTO teams" in coordinator.get(url).get_data(as_text=True)


def test_hostile_names_are_escaped(world, coordinator, db):
    for ref in ("s1", "l1"):
        world.people[ref].name = HOSTILE
    db.session.add(
        Observer(
            mission_id=world.mission.id,
            ref="d2",
            name=HOSTILE,
            role=ObserverRole.DRIVER,
        )
    )
    team = services.create_team(
        world.mission, ids(world, "s1", "s2"), base_name=HOSTILE, code="<b>T</b>"
    ).team
    lto = services.create_team(world.mission, ids(world, "l1", "l2"), kind="lto").team
    areas.assign_areas(lto, [world.areas["R1"].id])
    world.areas["R1"].name = HOSTILE
    db.session.commit()
    for url in (BASE, f"{BASE}/new", f"{BASE}/{team.id}/edit", f"{BASE}/{team.id}/dissolve"):
        page = coordinator.get(url).get_data(as_text=True)
        assert HOSTILE not in page and "<b>T</b>" not in page, url
        assert "&lt;img src=x onerror=alert(1)&gt;" in page, url
    page = coordinator.get(f"{BASE}/areas").get_data(as_text=True)
    assert HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
