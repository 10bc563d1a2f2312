"""Plans end to end: create, edit with conflict detection, publish, observer's view, PDF, CLI."""

import io
import re

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from observer_suite.deployment import services
from observer_suite.deployment.types import PlanOptions
from observer_suite.models import (
    DeploymentPlan,
    PlanStop,
    Team,
    TeamMember,
)
from tests.conftest import csrf_token

FAST = PlanOptions(stations_per_team=4, min_stations_per_team=2, max_radius_km=40, time_limit_s=2)


def _plan(field, db, **kwargs):
    plan = services.create_plan(field, "purposive", kwargs.pop("options", FAST), **kwargs)
    db.session.commit()
    return plan


def test_plan_keeps_the_hard_rules(field, db):
    plan = _plan(field, db)
    routes = services.routes_by_team(plan)
    assert len(routes) == 4
    stations = [s.station_id for stops in routes.values() for s in stops]
    assert len(stations) == len(set(stations))  # no station twice
    for stops in routes.values():
        assert 2 <= len(stops) <= 4
        assert stops[0].kind.value == "opening" and stops[-1].kind.value == "closing"
        arrivals = [s.planned_arrival for s in stops]
        assert arrivals == sorted(arrivals)


def test_observer_sees_only_the_published_route_of_their_own_team(
    field, db, user_factory, login, client
):
    member = db.session.query(TeamMember).join(Team).filter(Team.code == "T02").first()
    user = user_factory(role="observer", missions=[field], observer=member.observer)
    plan = _plan(field, db)
    login(user)
    assert 'id="my-route"' not in client.get("/missions/grid").get_data(as_text=True)
    services.publish(plan, plan.version)
    db.session.commit()
    page = client.get("/missions/grid").get_data(as_text=True)
    mine = {s.station.code for s in plan.stops if s.team.code == "T02"}
    others = {s.station.code for s in plan.stops if s.team.code != "T02"}
    assert 'id="my-route"' in page and "team T02" in page
    assert all(code in page for code in mine)
    assert not any(code in page for code in others)
    for url in (
        "/missions/grid/plans/",
        f"/missions/grid/plans/{plan.id}",
        f"/missions/grid/plans/{plan.id}/map",
        f"/missions/grid/plans/{plan.id}/deployment.pdf",
    ):
        assert client.get(url).status_code == 403, url


def test_two_coordinators_editing_at_once_do_not_lose_an_update(field, db, user_factory, app):
    plan = _plan(field, db)
    coordinators = []
    for name in ("ana", "ben"):
        user = user_factory(role="coordinator", username=name, missions=[field])
        client = app.test_client()
        client.post(
            "/login",
            data={
                "username": user.username,
                "password": "correct-horse-battery",
                "csrf_token": csrf_token(client),
            },
        )
        coordinators.append(client)
    url = f"/missions/grid/plans/{plan.id}"
    pages = [c.get(url).get_data(as_text=True) for c in coordinators]
    versions = [re.search(r'name="version" type="hidden" value="(\d+)"', p).group(1) for p in pages]
    assert versions[0] == versions[1]
    t1 = services.routes_by_team(plan)
    team_ids = sorted(t1)
    first_station = t1[team_ids[0]][1].station
    second_station = t1[team_ids[1]][1].station
    ok = coordinators[0].post(
        f"{url}/move",
        data={
            "csrf_token": csrf_token(coordinators[0], url),
            "version": versions[0],
            "station_code": first_station.code,
            "to_team": team_ids[2],
        },
    )
    assert ok.status_code == 302
    stale = coordinators[1].post(
        f"{url}/move",
        data={
            "csrf_token": csrf_token(coordinators[1], url),
            "version": versions[1],
            "station_code": second_station.code,
            "to_team": team_ids[3],
        },
    )
    assert stale.status_code == 409, stale.get_data(as_text=True)[-1500:]
    assert "changed by someone else" in stale.get_data(as_text=True)
    db.session.expire_all()
    owner = {s.station_id: s.team_id for s in db.session.query(PlanStop).filter_by(plan_id=plan.id)}
    assert owner[first_station.id] == team_ids[2]  # the first edit holds
    assert owner[second_station.id] == team_ids[1]  # the stale one changed nothing


def test_reorder_lock_and_replan_keeps_locked_routes(field, db):
    plan = _plan(field, db)
    routes = services.routes_by_team(plan)
    team_id = sorted(routes)[0]
    order = [s.station_id for s in routes[team_id]]
    services.reorder(plan, team_id, list(reversed(order)), plan.version)
    db.session.commit()
    services.set_lock(plan, team_id, True, plan.version)
    db.session.commit()
    with pytest.raises(services.PlanError, match="unlock"):
        services.reorder(plan, team_id, order, plan.version)
    services.replan(plan, plan.version)
    db.session.commit()
    kept = [s.station_id for s in services.routes_by_team(plan)[team_id]]
    assert kept == list(reversed(order))
    with pytest.raises(services.PlanConflict):
        services.set_lock(plan, team_id, False, plan.version - 1)


def test_publish_supersedes_the_earlier_plan_and_freezes_it(field, db):
    first = _plan(field, db)
    services.publish(first, first.version)
    db.session.commit()
    second = _plan(field, db, options=PlanOptions(**{**FAST.__dict__, "seed": 2}))
    services.publish(second, second.version)
    db.session.commit()
    assert first.status.value == "superseded" and second.status.value == "published"
    with pytest.raises(services.PlanError, match="published plan cannot be edited"):
        services.replan(second, second.version)


def test_pdf_lists_every_team_and_station(field, db, user_factory, login, client):
    plan = _plan(field, db)
    login(user_factory(role="lead", missions=[field]))
    response = client.get(f"/missions/grid/plans/{plan.id}/deployment.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    for stop in plan.stops:
        assert stop.station.code in text
    for code in ("T01", "T02", "T03", "T04"):
        assert code in text


def test_map_page_has_no_cdn_and_a_strict_csp(field, db, user_factory, login, client):
    plan = _plan(field, db)
    login(user_factory(role="analyst", missions=[field]))
    response = client.get(f"/missions/grid/plans/{plan.id}/map")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert not re.search(r'(src|href)="https?://', html)
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'self'" in csp


def test_plan_form_creates_a_draft_and_analyst_cannot(field, db, user_factory, login, client):
    login(user_factory(role="analyst", missions=[field]))
    data = {
        "mode": "purposive",
        "stations_per_team": 4,
        "visit_minutes": 30,
        "max_radius_km": 40,
        "road_factor": 1.3,
        "speed_kmh": 40,
        "opening_time": "07:00",
        "closing_time": "18:00",
        "region_weighting": "voters",
        "seed": 3,
        "confidence": "0.95",
        "margin_of_error": 0.05,
        "nonresponse": 0.1,
    }
    denied = client.post(
        "/missions/grid/plans/",
        data={**data, "csrf_token": csrf_token(client, "/missions/grid/plans/")},
    )
    assert denied.status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/missions/grid")})
    login(user_factory(role="coordinator", missions=[field]))
    created = client.post(
        "/missions/grid/plans/",
        data={**data, "csrf_token": csrf_token(client, "/missions/grid/plans/")},
    )
    assert created.status_code == 302
    plan = db.session.query(DeploymentPlan).one()
    assert plan.status.value == "draft" and plan.seed == 3 and plan.stops


def test_cli_plans_and_writes_the_pdf(field, db, database_url, tmp_path):
    runner = CliRunner()
    from observer_suite.cli import main

    result = runner.invoke(
        main,
        [
            "--database-url",
            database_url,
            "plan",
            "--mission",
            "grid",
            "--stations-per-team",
            "4",
            "--time-limit",
            "2",
            "--publish",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "published" in result.output
    out = tmp_path / "plan.pdf"
    result = runner.invoke(
        main,
        [
            "--database-url",
            database_url,
            "report",
            "deployment",
            "--out",
            str(out),
            "--mission",
            "grid",
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_sample_plan_records_the_draw_and_assigns_the_sample(field, db):
    from observer_suite.deployment.types import SampleOptions

    plan = services.create_plan(
        field, "sample", FAST, SampleOptions(sample_size=12, nonresponse=0.0)
    )
    db.session.commit()
    record = plan.sampling
    assert record["sample_size"] == 12 and record["frame_size"] == 80 and record["seed"] == 1
    assert sorted(s["sample"] for s in record["strata"]) == [6, 6]
    planned = {s.station_id for s in plan.stops}
    assert planned == set(record["station_ids"]) - set(record["unassigned_station_ids"])
    again = services.create_plan(
        field, "sample", FAST, SampleOptions(sample_size=12, nonresponse=0.0)
    )
    assert again.sampling["station_ids"] == record["station_ids"]
