"""Publishing is reviewed (diff, override with a reason); a published plan is revised by a copy."""

import re

from observer_suite.deployment import services
from observer_suite.deployment.revisions import new_revision
from observer_suite.models import AuditEntry, DeploymentPlan, Team, TeamMember
from tests.conftest import csrf_token
from tests.deployment.test_plan_edits import _far_move
from tests.deployment.test_plans import _plan


def _version(html: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)


def test_publish_shows_the_diff_and_asks_for_confirmation(
    field,
    db,
    user_factory,
    login,
    client,
):
    first = _plan(field, db)
    services.publish(first, first.version)
    db.session.commit()
    login(user_factory(role="coordinator", missions=[field]))
    page = client.get(f"/missions/grid/plans/{first.id}").get_data(as_text=True)
    assert 'id="new-revision"' in page and 'id="publish-link"' not in page
    made = client.post(
        f"/missions/grid/plans/{first.id}/revise",
        data={"csrf_token": csrf_token(client, f"/missions/grid/plans/{first.id}"), "version": 1},
    )
    assert made.status_code == 302
    revision = db.session.query(DeploymentPlan).filter_by(revision_of_id=first.id).one()
    assert revision.status.value == "draft" and revision.revision == 2
    assert len(revision.stops) == len(first.stops)
    routes = services.routes_by_team(revision)
    a, b = sorted(routes)[:2]
    moved = routes[a][1].station
    services.move_station(revision, moved.id, b, revision.version)
    db.session.commit()
    url = f"/missions/grid/plans/{revision.id}/publish"
    confirm = client.get(url)
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and 'id="route-changes"' in html
    codes = {t.id: t.code for t in db.session.query(Team).all()}
    assert "2 team(s) get a changed route" in html
    assert codes[a] in html and codes[b] in html and moved.code in html
    assert (
        db.session.get(DeploymentPlan, revision.id).status.value == "draft"
    )  # GET changes nothing
    assert client.post(url, data={"version": _version(html)}).status_code == 400  # no CSRF
    done = client.post(url, data={"csrf_token": csrf_token(client, url), "version": _version(html)})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(DeploymentPlan, first.id).status.value == "superseded"
    now = db.session.get(DeploymentPlan, revision.id)
    assert now.status.value == "published" and now.replaced_id == first.id


def test_rule_breaks_need_an_override_with_a_reason_kept_in_the_audit_log(
    field,
    db,
    user_factory,
    login,
    client,
):
    plan = _plan(field, db)
    station, team = _far_move(plan, db)
    services.move_station(plan, station.id, team.id, plan.version)
    db.session.commit()
    login(user_factory(role="coordinator", missions=[field]))
    url = f"/missions/grid/plans/{plan.id}/publish"
    html = client.get(url).get_data(as_text=True)
    assert 'id="rule-breaks"' in html and f"station {station.code} is" in html
    refused = client.post(
        url, data={"csrf_token": csrf_token(client, url), "version": _version(html)}
    )
    assert refused.status_code == 400 and "needs an override with a reason" in refused.get_data(
        as_text=True
    )
    assert db.session.get(DeploymentPlan, plan.id).status.value == "draft"
    done = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "version": _version(html),
            "override_reason": "Road to the north closed; T04 takes it by boat",
        },
    )
    assert done.status_code == 302
    db.session.expire_all()
    stored = db.session.get(DeploymentPlan, plan.id)
    assert stored.status.value == "published" and "by boat" in stored.publish_override
    entry = db.session.query(AuditEntry).filter_by(action="publish_override").one()
    assert entry.details["override_reason"].endswith("by boat")
    assert any(station.code in b for b in entry.details["rule_breaks"])
    assert "by boat" in client.get(f"/missions/grid/plans/{plan.id}").get_data(as_text=True)


def test_assignments_api_carries_the_route_change(field, db, user_factory, login, client):
    first = _plan(field, db)
    services.publish(first, first.version)
    db.session.commit()
    revision = new_revision(first)
    db.session.commit()
    routes = services.routes_by_team(revision)
    a, b = sorted(routes)[:2]
    moved = routes[a][1].station
    services.move_station(revision, moved.id, b, revision.version)
    services.publish(revision, revision.version)
    db.session.commit()
    member = db.session.query(TeamMember).filter_by(team_id=b).first()
    user = user_factory(role="observer", missions=[field], observer=member.observer)
    login(user)
    body = client.get("/api/v1/me/assignments?mission=grid").get_json()
    change = body["route_change"]
    assert change["added"] == [moved.code] and change["removed"] == []
    assert moved.code not in change["previous_codes"]
    assert [s["code"] for s in body["stations"]][-2] == moved.code
