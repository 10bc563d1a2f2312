"""From roster to route: import, pair, plan, publish; the observer sees their route on a phone."""

from observer_suite.deployment import services as plans
from observer_suite.deployment.types import PlanOptions
from observer_suite.imports import run_import
from observer_suite.models import Observer, Team
from observer_suite.teams.services import auto_pair

STATIONS = "region,district,code,name,lat,lon,registered_voters\n" + "".join(
    f"North,Hills,N{i:03d},School {i},{6.0 + (i % 6) * 0.02},{7.0 + (i // 6) * 0.02},{300 + i}\n"
    for i in range(36)
)
ROSTER = (
    "ref,name,role,nationality,gender,languages,previous_missions\n"
    "a,Anna Berg,sto,SE,female,en,3\nb,Bruno Costa,sto,PT,male,en;pt,0\n"
    "c,Chloé Martin,sto,FR,female,fr;en,0\nd,Dirk Jansen,sto,NL,male,en,5\n"
)


def test_observer_sees_published_route_on_a_phone(
    live_server, browser, mission_factory, user_factory, db
):
    mission = mission_factory(slug="north", levels="region,district")
    assert run_import("stations", mission, STATIONS.encode(), "s.csv", dry_run=False).ok
    assert run_import("observers", mission, ROSTER.encode(), "r.csv", dry_run=False).ok
    summary = auto_pair(mission, seed=1)
    assert len(summary.teams) == 2
    for index, team in enumerate(summary.teams):
        team.base_latitude, team.base_longitude = 6.05, 7.02 + index * 0.1
    db.session.commit()
    plan = plans.create_plan(
        mission,
        "purposive",
        PlanOptions(stations_per_team=5, min_stations_per_team=2, time_limit_s=2),
    )
    plans.publish(plan, plan.version)
    db.session.commit()
    anna = db.session.query(Observer).filter_by(ref="a").one()
    user_factory(role="observer", username="anna", missions=[mission], observer=anna)
    team = db.session.query(Team).join(Team.members).filter_by(observer_id=anna.id).one()
    mine = [
        s.station.code for s in sorted(plan.stops, key=lambda s: s.position) if s.team_id == team.id
    ]

    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "anna")
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("main button[type=submit]")
    page.wait_for_selector("#my-route")
    text = page.inner_text("#my-route")
    assert f"team {team.code}" in text
    positions = [text.index(code) for code in mine]
    assert positions == sorted(positions)  # in visiting order
    assert "opening" in text and "closing" in text
    assert page.locator("nav >> text=Plans").count() == 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # no sideways scrolling on a phone
    context.close()
