"""PDF downloads: permissions, parameters, attachment headers, and the numbers in the PDF."""

import io

import pypdf
import pytest

from tests.api.fixtures import make_user
from tests.reporting.pdf.test_election_day import assert_numbers_match

HOSTILE = "<img src=x onerror=alert(1)>"


def words(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.parametrize("path", ["election-day.pdf", "incidents.pdf"])
def test_observers_are_refused_and_anonymous_users_sent_to_login(field, login, client, path):
    url = f"/missions/field/reports/{path}"
    assert client.get(url).status_code in (302, 401)
    login(field.users.obs1)
    assert client.get(url).status_code == 403


def test_other_missions_are_not_found(field, login, client, mission_factory, user_factory):
    other = mission_factory(slug="other")
    login(user_factory("coordinator", missions=[other]))
    assert client.get("/missions/field/reports/election-day.pdf").status_code == 404
    assert client.get("/missions/field/reports/incidents.pdf").status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("until=yesterday", "until"),
        ("until=99999-01-01T00:00", "until"),
        ("until=0001-01-01T00:00", "out of range"),
        ("lang=de", "lang"),
    ],
)
def test_bad_election_day_parameters_are_400(field, login, client, query, message):
    login(field.users.lead)
    response = client.get(f"/missions/field/reports/election-day.pdf?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["lang=xx", "severity=huge", "from=notatime", "region=abc"])
def test_bad_incident_report_parameters_are_400(field, login, client, query):
    login(field.users.coordinator)
    response = client.get(f"/missions/field/reports/incidents.pdf?{query}")
    assert response.status_code == 400
    assert "ignored" in response.get_data(as_text=True) or "lang" in response.get_data(as_text=True)


def test_incident_report_download(field, login, client, incident_factory):
    incident_factory(field.mission, "violence", severity="critical", title=HOSTILE)
    incident_factory(field.mission, "vote_buying", severity="low", title="Cash")
    login(field.users.analyst)
    response = client.get("/missions/field/reports/incidents.pdf?severity=critical&lang=fr")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="incidents-field-')
    assert disposition.endswith('-fr.pdf"')
    text = words(response.data)
    assert HOSTILE in text and "Cash" not in text
    assert "Rapport d’incidents" in text


def test_incident_list_links_to_the_pdf_with_its_filters(field, login, client):
    login(field.users.coordinator)
    page = client.get("/missions/field/incidents/?severity=critical").get_data(as_text=True)
    assert "/missions/field/reports/incidents.pdf?severity=critical" in page


# ---- the election-day report against the stats endpoint ---------------------------------------


def test_report_numbers_equal_the_stats_endpoint(world, login, client, user_factory):
    login(user_factory("lead", missions=[world]))
    until = "2027-02-25T20:00"  # the mission's zone is UTC: the world's cut-off
    response = client.get(f"/missions/sw/reports/election-day.pdf?until={until}&lang=en")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="election-day-sw-20270225-2000-en.pdf"'
    )
    api = client.get(f"/api/v1/stats/indicators?mission=sw&until={until}%2B00:00")
    assert api.status_code == 200
    assert_numbers_match(words(response.data), api.get_json())


def test_regional_briefing_download(world, login, client, user_factory):
    login(user_factory("analyst", missions=[world]))
    response = client.get("/missions/sw/reports/election-day.pdf?region=N&until=")
    assert response.status_code == 200
    assert 'filename="briefing-N-sw-' in response.headers["Content-Disposition"]
    text = words(response.data)
    assert "Regional briefing: North" in text and "South" not in text


@pytest.mark.parametrize(
    ("query", "message"), [("region=XX", "no region with code"), ("indicator=nope", "indicator")]
)
def test_unknown_region_or_indicator_is_400(world, login, client, user_factory, query, message):
    login(user_factory("coordinator", missions=[world]))
    response = client.get(f"/missions/sw/reports/election-day.pdf?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_sample_mode_margins_equal_the_stats_endpoint(db, mission_factory, login, client):
    from tests.reporting.stats_world import build_world

    mission, *_ = build_world(
        db, mission_factory, mode="sample", sampling={"frame_size": 6, "confidence": 0.9}
    )
    lead = make_user("lead2", "lead", mission)
    db.session.commit()
    login(lead)
    until = "2027-02-25T20:00%2B00:00"
    response = client.get(f"/missions/sw/reports/election-day.pdf?until={until}")
    api = client.get(f"/api/v1/stats/indicators?mission=sw&until={until}").get_json()
    text = words(response.data)
    assert any(i["mission"]["margin"] for i in api["indicators"])
    assert_numbers_match(text, api)
    assert "Random sample" in text and "90% confidence" in text and "Sampling record" in text
