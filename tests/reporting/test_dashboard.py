"""The election-day dashboard and the indicator definitions page, over HTTP.

The dashboard's server-rendered snapshot must show the numbers the stats API gives for the
same cut-off; user text stays text; the indicator editor saves all or nothing.
"""

import html
import json
import re
import uuid
from datetime import UTC, datetime

import pytest

from observer_suite.checklists.services import load_standard_forms
from observer_suite.models import Observation, PlanMode, ReportDefinition
from observer_suite.reporting.views import margin, pct
from tests.api.fixtures import make_user
from tests.conftest import csrf_token

HOSTILE = "<img src=x onerror=alert(1)>"
CUTOFF = "2027-02-25T12:00"
FIGURES = ("stations_observed", "stations_planned", "stations_total", "observations")


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 2, 25, hour, minute, tzinfo=UTC)


def observe(db, mission, form, station, team, received_at, **answers):
    db.session.add(
        Observation(uuid=str(uuid.uuid4()), mission_id=mission.id, form_pk=form.id,
                    station_id=station.id, team_id=team.id if team else None, answers=answers,
                    content_hash="0" * 64, received_at=received_at)
    )  # fmt: skip


@pytest.fixture
def day(field, db):
    """The `field` mission with the standard forms and a morning of opening reports:
    T01 opened S001 on time, T02 has not reported opening; S003 and S005 were visited late."""
    forms = {f.form_id: f for f in load_standard_forms(field.mission)}
    opening = forms["std_opening"]
    s = field.stations
    observe(db, field.mission, opening, s["S001"], field.t1, at(7, 10),
            opening_band="on_time", ballot_box_sealed="yes", overall="good")  # fmt: skip
    observe(db, field.mission, opening, s["S002"], field.t1, at(8),
            opening_band="late_less_30", ballot_box_sealed="no", overall="bad")  # fmt: skip
    observe(db, field.mission, opening, s["S005"], None, at(9),
            opening_band="on_time", ballot_box_sealed="na", overall="very_good")  # fmt: skip
    # after the cut-off: counted now, not at 12:00
    observe(db, field.mission, opening, s["S004"], field.t2, at(13),
            opening_band="not_opened", ballot_box_sealed="yes", overall="very_bad")  # fmt: skip
    db.session.commit()
    field.forms = forms
    return field


def figure(page: str, key: str) -> str:
    match = re.search(rf'data-figure="{key}">([^<]*)<', page)
    assert match, key
    return match.group(1)


def row_text(page: str, key: str) -> str:
    match = re.search(rf'<tr data-key="{key}">(.*?)</tr>', page, re.S)
    assert match, key
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


# ---- access ----


@pytest.mark.parametrize("path", ["dashboard", "indicators"])
def test_anonymous_users_are_sent_to_login(field, client, path):
    response = client.get(f"/missions/field/{path}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["observer", "lto"])
@pytest.mark.parametrize("path", ["dashboard", "indicators"])
def test_observers_and_ltos_are_refused(field, db, login, client, role, path):
    user = make_user(f"someone-{role}", role, field.mission)
    db.session.commit()
    login(user)
    assert client.get(f"/missions/field/{path}").status_code == 403


@pytest.mark.parametrize("who", ["lead", "analyst", "coordinator"])
def test_staff_see_the_dashboard(field, login, client, who):
    login(getattr(field.users, who))
    response = client.get("/missions/field/dashboard")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="dashboard"' in page
    assert "/static/js/dashboard.js" in page and "/static/css/dashboard.css" in page
    assert "<script>" not in page  # the CSP forbids inline scripts
    assert 'href="/missions/field/indicators"' in page


def test_other_missions_are_not_found(field, login, client, mission_factory, user_factory):
    other = mission_factory(slug="other")
    login(user_factory("coordinator", missions=[other]))
    assert client.get("/missions/field/dashboard").status_code == 404
    assert client.get("/missions/field/indicators").status_code == 404


# ---- the snapshot equals the API ----


def test_snapshot_numbers_equal_the_stats_endpoint(day, login, client, incident_factory):
    incident_factory(day.mission, severity="critical", station_id=day.stations["S001"].id,
                     received_at=at(10))  # fmt: skip
    incident_factory(day.mission, severity="low", received_at=at(11))
    incident_factory(day.mission, severity="critical", received_at=at(14))  # after the cut-off
    login(day.users.analyst)
    page = client.get(f"/missions/field/dashboard?until={CUTOFF}").get_data(as_text=True)
    api = client.get(f"/api/v1/stats/indicators?mission=field&until={CUTOFF}").get_json()

    for key in FIGURES:
        assert figure(page, key) == f"{api['coverage'][key]:,}", key
    assert figure(page, "observations") == "3"  # the 13:00 report is after the cut-off
    assert figure(page, "incidents") == str(api["incidents"]["total"]) == "2"
    assert figure(page, "critical_incidents") == "1"
    for indicator in api["indicators"]:
        text = row_text(page, indicator["key"])
        assert text.startswith(indicator["label"])
        for share in [indicator["mission"], *indicator["areas"]]:
            if share["total"]:
                assert (
                    f"{pct(share['n'], share['total'])} ({share['n']} of {share['total']})" in text
                )
            else:
                assert "no data" in text
    on_time = api["indicators"][0]
    assert on_time["key"] == "opening_on_time" and on_time["mission"]["total"] == 3
    # mission, Region 1, Region 2
    assert row_text(page, "opening_on_time").endswith(
        "66.7% (2 of 3) 50.0% (1 of 2) 100.0% (1 of 1)"
    )
    sealed = row_text(page, "opening_box_sealed")
    assert "50.0% (1 of 2)" in sealed  # "na" is left out of N
    # the refreshes ask the API for the same cut-off
    url = html.unescape(re.search(r'data-stats-url="([^"]+)"', page).group(1))
    assert url.startswith("/api/v1/stats/indicators?") and "mission=field" in url
    assert client.get(url).get_json()["coverage"] == api["coverage"]


def test_progress_per_form_region_and_team(day, login, client):
    login(day.users.coordinator)
    page = client.get(f"/missions/field/dashboard?until={CUTOFF}").get_data(as_text=True)
    teams = re.search(r'<table class="table compact" id="dash-teams">(.*?)</table>', page, re.S)
    rows = re.findall(r"<tr[^>]*>\s*<td>(T0\d)</td>", teams.group(1))
    assert rows == ["T02", "T01"]  # T02 is behind plan: listed first
    no_opening = re.search(r'id="dash-no-opening">(.*?)</ul>', page, re.S).group(1)
    assert "T02" in no_opening and "T01" not in no_opening
    assert "Purposive mode: figures describe observed stations only." in page
    assert "Opening" in page  # the opening form's row in received vs expected


def test_live_dashboard_counts_everything_received_so_far(day, db, login, client):
    observe(db, day.mission, day.forms["std_opening"], day.stations["S003"], day.t2,
            datetime.now(UTC), opening_band="on_time")  # fmt: skip
    db.session.commit()
    login(day.users.lead)
    page = client.get("/missions/field/dashboard").get_data(as_text=True)
    # No cut-off: everything received so far, the 2027 test reports stamped ahead of the
    # clock included, so a simulated or imported day never shows as empty.
    api = client.get("/api/v1/stats/indicators?mission=field").get_json()
    assert figure(page, "observations") == str(api["coverage"]["observations"])
    assert api["coverage"]["observations"] > 1
    url = html.unescape(re.search(r'data-stats-url="([^"]+)"', page).group(1))
    assert "until" not in url  # every refresh asks for "now"


def test_region_briefing_breaks_down_by_district(day, login, client):
    login(day.users.lead)
    response = client.get("/missions/field/dashboard?region=R1&lang=fr")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Election-day dashboard · Region 1" in page
    assert "Bureau de vote ouvert à l&#39;heure" in page  # French indicator labels
    url = html.unescape(re.search(r'data-stats-url="([^"]+)"', page).group(1))
    assert "region=R1" in url and "lang=fr" in url


def test_sample_mode_shows_margins(day, db, login, client):
    day.plan.mode = PlanMode.SAMPLE
    day.plan.sampling = {"confidence": 0.95}
    db.session.commit()
    login(day.users.lead)
    page = client.get(f"/missions/field/dashboard?until={CUTOFF}").get_data(as_text=True)
    api = client.get(f"/api/v1/stats/indicators?mission=field&until={CUTOFF}").get_json()
    assert "margin of error at 95% confidence" in page
    share = api["indicators"][0]["mission"]
    assert share["margin"] is not None
    assert margin(share["margin"]) in row_text(page, "opening_on_time")


@pytest.mark.parametrize(
    ("query", "field_name"),
    [("until=yesterday", "until"), ("lang=de", "lang"), ("region=NOPE", "region")],
)
def test_bad_controls_are_400_naming_the_field(field, login, client, query, field_name):
    login(field.users.lead)
    response = client.get(f"/missions/field/dashboard?{query}")
    assert response.status_code == 400
    errors = re.search(r'id="dash-errors">(.*?)</ul>', response.get_data(as_text=True), re.S)
    assert errors and field_name in errors.group(1)


def test_hostile_incident_title_is_text(field, login, client, incident_factory):
    incident = incident_factory(field.mission, severity="critical", title=HOSTILE)
    login(field.users.lead)
    page = client.get("/missions/field/dashboard").get_data(as_text=True)
    assert HOSTILE not in page
    assert html.escape(HOSTILE, quote=False) in page
    assert f'href="/missions/field/incidents/{incident.id}"' in page


def test_download_form_and_refresh_setting(field, app, login, client):
    app.config["DASHBOARD_REFRESH_SECONDS"] = 5
    try:
        login(field.users.lead)
        page = client.get(f"/missions/field/dashboard?until={CUTOFF}&region=R2").get_data(
            as_text=True
        )
    finally:
        app.config.pop("DASHBOARD_REFRESH_SECONDS")
    assert 'formaction="/missions/field/reports/election-day.pdf"' in page
    form = re.search(r'<form[^>]*id="dash-controls".*?</form>', page, re.S).group(0)
    assert 'method="get"' in form
    for name in ("until", "lang", "region"):
        assert f'name="{name}"' in form
    assert f'value="{CUTOFF}"' in form
    assert '<option value="R2" selected>' in form
    assert 'data-refresh-seconds="5"' in page


# ---- indicator definitions ----


def definitions_page(client) -> str:
    return client.get("/missions/field/indicators").get_data(as_text=True)


def post_definitions(client, text: str, version: str = "0", token: str | None = None):
    token = token if token is not None else csrf_token(client, "/missions/field/indicators")
    return client.post(
        "/missions/field/indicators",
        data={"definition": text, "version": version, "csrf_token": token},
    )


ONE = [
    {"key": "sealed", "phase": "opening", "form": "std_opening", "question": "ballot_box_sealed",
     "answers": ["yes"], "label": {"en": "Box sealed " + HOSTILE, "fr": "Urne scellée"}}
]  # fmt: skip


def test_analysts_read_the_definitions_but_cannot_save(field, login, client):
    login(field.users.analyst)
    page = definitions_page(client)
    assert "opening_on_time" in page and "Polling station opened on time" in page
    assert "Bureau de vote ouvert" in page
    assert "<textarea" not in page
    response = client.post("/missions/field/indicators", data={"definition": "[]"})
    assert response.status_code in (400, 403)
    assert client.post("/missions/field/indicators/reset").status_code in (400, 403)


def test_analyst_with_a_token_is_still_refused(field, login, client):
    login(field.users.analyst)
    token = csrf_token(client, "/missions/field/dashboard")
    response = post_definitions(client, json.dumps(ONE), token=token)
    assert response.status_code == 403


def test_save_validate_and_reset(field, db, login, client):
    login(field.users.coordinator)
    page = definitions_page(client)
    assert "<textarea" in page and "opening_on_time" in page

    response = post_definitions(client, json.dumps(ONE))
    assert response.status_code == 302
    stored = db.session.query(ReportDefinition).one()
    assert [d["key"] for d in stored.indicators] == ["sealed"]
    page = definitions_page(client)
    assert "version 1" in page and "saved by coord" in page
    assert html.escape(HOSTILE, quote=False) in page and HOSTILE not in page
    dashboard = client.get("/missions/field/dashboard").get_data(as_text=True)
    assert 'data-key="sealed"' in dashboard and 'data-key="opening_on_time"' not in dashboard
    assert HOSTILE not in dashboard

    bad = [dict(ONE[0], question="no_such_question"), dict(ONE[0], key="Bad Key")]
    response = post_definitions(client, json.dumps(bad), version="1")
    assert response.status_code == 200
    text = html.unescape(response.get_data(as_text=True))
    assert "Not saved" in text
    assert "indicator 1 (sealed): question: 'no_such_question'" in text
    assert "indicator 2 (Bad Key): key:" in text
    assert "no_such_question" in text  # the submitted text is kept for correction
    db.session.expire_all()
    assert [d["key"] for d in db.session.query(ReportDefinition).one().indicators] == ["sealed"]

    response = post_definitions(client, "[{not json", version="1")
    assert response.status_code == 200
    assert "not valid JSON" in response.get_data(as_text=True)

    stale = post_definitions(client, json.dumps(ONE), version="0")  # edited before version 1
    assert stale.status_code == 200
    assert "meanwhile" in stale.get_data(as_text=True)

    token = csrf_token(client, "/missions/field/indicators")
    response = client.post("/missions/field/indicators/reset", data={"csrf_token": token})
    assert response.status_code == 302
    assert db.session.query(ReportDefinition).count() == 0
    assert "The suite's default definitions" in definitions_page(client)


def test_saving_without_the_csrf_token_is_refused(field, db, login, client):
    login(field.users.coordinator)
    response = client.post(
        "/missions/field/indicators", data={"definition": json.dumps(ONE), "version": "0"}
    )
    assert response.status_code == 400
    assert client.post("/missions/field/indicators/reset").status_code == 400
    assert db.session.query(ReportDefinition).count() == 0


def test_oversized_or_odd_input_is_an_error_not_a_crash(field, db, login, client):
    login(field.users.coordinator)
    assert post_definitions(client, "x" * 600_000).status_code in (200, 413)
    response = post_definitions(client, json.dumps(ONE), version="abc")
    assert response.status_code == 200 and "version" in response.get_data(as_text=True)
    response = post_definitions(client, json.dumps({"indicators": "nope"}))
    assert response.status_code == 200
    assert "must be a list" in response.get_data(as_text=True)
    assert db.session.query(ReportDefinition).count() == 0


def test_a_new_mission_without_plan_or_data_renders(mission_factory, user_factory, login, client):
    mission = mission_factory(slug="fresh")
    login(user_factory("lead", missions=[mission]))
    response = client.get("/missions/fresh/dashboard")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert figure(page, "observations") == "0"
    assert "No published deployment plan" in page
    assert "no data" in row_text(page, "opening_on_time")
