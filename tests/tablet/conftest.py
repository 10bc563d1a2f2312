"""A mission to observe from the tablet: stations, teams, a published plan and forms."""

from types import SimpleNamespace

import pytest

from tests.tablet.sample_form import DEFINITION

STATIONS = "region,district,code,name,lat,lon,registered_voters\n" + "".join(
    f"North,Hills,N{i:03d},School {i},{6.0 + (i % 6) * 0.02},{7.0 + (i // 6) * 0.02},{300 + i}\n"
    for i in range(24)
)
ROSTER = (
    "ref,name,role,nationality,gender,languages,previous_missions\n"
    "a,Anna Berg,sto,SE,female,en,3\nb,Bruno Costa,sto,PT,male,en;pt,0\n"
    "c,Chloé Martin,sto,FR,female,fr;en,0\nd,Dirk Jansen,sto,NL,male,en,5\n"
)


@pytest.fixture
def field_mission(db, mission_factory, user_factory):
    """Stations, four STOs in two teams, a published plan, the standard checklists plus a
    small one of our own (tests/tablet/sample_form.py), and anna's login."""
    from observer_suite.checklists.definition import validate_definition
    from observer_suite.checklists.services import load_standard_forms
    from observer_suite.deployment import services as plans
    from observer_suite.deployment.types import PlanOptions
    from observer_suite.imports import run_import
    from observer_suite.models import Form, Observer, Team
    from observer_suite.teams.services import auto_pair

    mission = mission_factory(
        slug="north", name="North test mission", levels="region,district", timezone="Africa/Lagos"
    )
    assert run_import("stations", mission, STATIONS.encode(), "s.csv", dry_run=False).ok
    assert run_import("observers", mission, ROSTER.encode(), "r.csv", dry_run=False).ok
    for index, team in enumerate(auto_pair(mission, seed=1).teams):
        team.base_latitude, team.base_longitude = 6.05, 7.02 + index * 0.1
    assert validate_definition(DEFINITION) == []
    form = Form(
        mission_id=mission.id,
        form_id=DEFINITION["form_id"],
        version=DEFINITION["version"],
        kind="opening",
        title="Opening",
        definition=DEFINITION,
        source="tests",
    )
    db.session.add(form)
    standard = [f.form_id for f in load_standard_forms(mission)]
    db.session.commit()
    plan = plans.create_plan(
        mission,
        "purposive",
        PlanOptions(stations_per_team=4, min_stations_per_team=2, time_limit_s=2),
    )
    plans.publish(plan, plan.version)
    db.session.commit()
    anna = db.session.query(Observer).filter_by(ref="a").one()
    user_factory(role="observer", username="anna", missions=[mission], observer=anna)
    team = db.session.query(Team).join(Team.members).filter_by(observer_id=anna.id).one()
    stops = sorted((s for s in plan.stops if s.team_id == team.id), key=lambda s: s.position)
    return SimpleNamespace(
        mission=mission,
        team=team,
        form=form,
        standard=standard,
        route=[s.station.code for s in stops],
    )
