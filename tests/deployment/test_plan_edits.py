"""Manual edits re-time the route and re-check the rules; a break is never silent."""

import io

from pypdf import PdfReader

from observer_suite.deployment import services
from observer_suite.deployment.travel import haversine_km
from observer_suite.models import DeploymentPlan, PollingStation, Team
from tests.conftest import csrf_token
from tests.deployment.test_plans import _plan


def _far_move(plan, db):
    """A planned station and a team whose base is beyond the plan's radius from it."""
    routes = services.routes_by_team(plan)
    teams = {t.id: t for t in db.session.query(Team).all()}
    for team_id, stops in routes.items():
        for stop in stops:
            st = stop.station
            for other in teams.values():
                km = haversine_km(
                    (other.base_latitude, other.base_longitude), (st.latitude, st.longitude)
                )
                if other.id != team_id and km > 40:
                    return st, other
    raise AssertionError("no far pair in the fixture")


def test_a_move_beyond_the_radius_is_shown_on_the_page_and_in_the_pdf(
    field,
    db,
    user_factory,
    login,
    client,
):
    plan = _plan(field, db)
    assert not [p for p in plan.problems if "beyond the" in p]
    station, team = _far_move(plan, db)
    home = next(s.team_id for s in plan.stops if s.station_id == station.id)
    login(user_factory(role="coordinator", missions=[field]))
    url = f"/missions/grid/plans/{plan.id}"
    moved = client.post(
        f"{url}/move",
        data={
            "csrf_token": csrf_token(client, url),
            "version": plan.version,
            "station_code": station.code,
            "to_team": team.id,
        },
        follow_redirects=True,
    )
    html = moved.get_data(as_text=True)
    expected = f"team {team.code}: station {station.code} is"
    assert moved.status_code == 200 and "This change breaks" in html and expected in html
    db.session.expire_all()
    stored = db.session.get(DeploymentPlan, plan.id)
    assert any(p.startswith(expected) and "beyond the 40 km limit" in p for p in stored.problems)
    assert expected in client.get(url).get_data(as_text=True)
    pdf = client.get(f"{url}/deployment.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert f"station {station.code} is" in " ".join(text.split())
    # moving it back clears the break: the team's problems are what holds now
    services.move_station(stored, station.id, home, stored.version)
    db.session.commit()
    assert not [p for p in stored.problems if "beyond the" in p]


def test_reorder_recomputes_times_and_a_late_route_is_a_problem(field, db):
    plan = _plan(field, db)
    routes = services.routes_by_team(plan)
    team_id = sorted(routes)[0]
    before = [(s.station_id, s.planned_arrival) for s in routes[team_id]]
    order = [s for s, _ in before]
    breaks = services.reorder(plan, team_id, list(reversed(order)), plan.version)
    db.session.commit()
    after = services.routes_by_team(plan)[team_id]
    assert [s.station_id for s in after] == list(reversed(order))
    assert after[0].kind.value == "opening" and after[-1].kind.value == "closing"
    arrivals = [s.planned_arrival for s in after]
    assert arrivals == sorted(arrivals)
    assert breaks == []
    # a day too short for the route is reported at once
    plan.options = {**plan.options, "plan": {**plan.options["plan"], "closing_time": "07:40"}}
    db.session.commit()
    breaks = services.reorder(plan, team_id, order, plan.version)
    db.session.commit()
    assert any("reaches its closing station after 07:40" in b for b in breaks)
    assert set(breaks) <= set(plan.problems)


def test_add_a_left_out_station_and_remove_one(field, db):
    plan = _plan(field, db)
    planned = {s.station_id for s in plan.stops}
    routes = services.routes_by_team(plan)
    team_id = sorted(routes)[0]
    team = db.session.get(Team, team_id)
    base = (team.base_latitude, team.base_longitude)
    left_out = min(
        (s for s in db.session.query(PollingStation).all() if s.id not in planned),
        key=lambda s: haversine_km(base, (s.latitude, s.longitude)),
    )
    n = len(routes[team_id])
    services.add_station(plan, left_out.id, team_id, plan.version)
    db.session.commit()
    route = services.routes_by_team(plan)[team_id]
    assert len(route) == n + 1 and route[-2].station_id == left_out.id
    assert route[-1].kind.value == "closing" and route[-2].kind.value == "visit"
    assert route[-2].planned_arrival is not None
    for stop in route[1:-1]:
        services.remove_station(plan, stop.station_id, plan.version)
        db.session.commit()
    tid, breaks = services.remove_station(plan, route[-1].station_id, plan.version)
    db.session.commit()
    assert tid == team_id
    assert f"team {team.code}: only one station; the route has no closing station" in breaks
    assert f"team {team.code}: only one station; the route has no closing station" in plan.problems
