"""A team in a published plan: its pages say what to do, and dissolving it is one step."""

from observer_suite.deployment import services
from observer_suite.models import DeploymentPlan, PlanStop, Team
from tests.conftest import csrf_token
from tests.deployment.test_plans import _plan


def test_dissolving_a_routed_team_publishes_a_revision_without_it_in_one_step(
    field,
    db,
    user_factory,
    login,
    client,
):
    plan = _plan(field, db)
    services.publish(plan, plan.version)
    db.session.commit()
    before = {
        tid: [s.station_id for s in stops] for tid, stops in services.routes_by_team(plan).items()
    }
    team = db.session.query(Team).filter_by(code="T02").one()
    team_id = team.id
    login(user_factory(role="coordinator", missions=[field]))
    url = f"/missions/grid/teams/{team.id}/dissolve"
    page = client.get(url).get_data(as_text=True)
    assert 'id="published-plans"' in page and 'id="release-and-dissolve"' in page
    assert "its stops are removed from them" not in page  # no longer contradicts the refusal
    edit = client.get(f"/missions/grid/teams/{team.id}/edit").get_data(as_text=True)
    assert 'id="team-in-published-plan"' in edit and "New revision" in edit

    refused = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert refused.status_code == 400
    assert "the dissolve page does both in one step" in refused.get_data(as_text=True)
    assert db.session.get(Team, team.id) is not None

    done = client.post(url, data={"csrf_token": csrf_token(client, url), "release": "1"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Team, team_id) is None
    assert db.session.get(DeploymentPlan, plan.id).status.value == "superseded"
    revision = db.session.query(DeploymentPlan).filter_by(status="published").one()
    assert revision.revision_of_id == plan.id and revision.replaced_id == plan.id
    after = {
        tid: [s.station_id for s in stops]
        for tid, stops in services.routes_by_team(revision).items()
    }
    assert team_id not in after
    assert after == {tid: route for tid, route in before.items() if tid != team_id}
    assert not db.session.query(PlanStop).filter_by(team_id=team_id).count()
    assert not [p for p in revision.problems if p.startswith("team T02:")]
