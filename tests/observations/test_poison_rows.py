"""Rows the door now refuses, written straight to the database as older versions stored
them (issue 14, point 2): every page, export and statistic that reads them still answers
200, showing the bad value as invalid, never a 500 for the whole mission. Run on both
databases: the NUL only breaks PostgreSQL, the far years break both."""

import csv
import io
import json
import uuid
from datetime import UTC, datetime

import openpyxl
import pytest

from observer_suite.maps.findings import find_indicator, findings
from observer_suite.models import Form, Observation, ReviewStatus
from tests.dbutil import backend

SCALE = [{"name": n, "label": {"en": n}} for n in ("very_good", "good", "bad", "very_bad")]
ASSESS = {
    "form_id": "t_assess",
    "version": "1",
    "kind": "voting",
    "title": {"en": "Assessment"},
    "default_language": "en",
    "languages": ["en"],
    "questions": [
        {"name": "overall", "type": "select_one", "label": {"en": "Overall"},
         "choices": "assessment", "critical": ["very_bad"]},
        {"name": "remarks", "type": "text", "label": {"en": "Remarks"}},
    ],
    "choices": {"assessment": SCALE},
    "checks": [],
}  # fmt: skip
FAR_FUTURE = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
FAR_PAST = datetime(1, 1, 1, 0, 0, tzinfo=UTC)
# PostgreSQL text columns cannot hold NUL at all (the driver refuses it), so there a title
# carries the other control characters; SQLite stored NUL too.
TITLE = "Shots\x1b[2J fired\x01\x85" + ("\x00" if backend() == "sqlite" else "")


def _observation(db, mission, form, station, team, answers, **times):
    row = Observation(
        uuid=str(uuid.uuid4()),
        mission_id=mission.id,
        form_pk=form.id,
        station_id=station.id,
        team_id=team.id,
        answers=answers,
        content_hash="0" * 64,
        received_at=datetime(2027, 2, 25, 9, 0, tzinfo=UTC),
        review_status=ReviewStatus.RECEIVED,
        flags=[],
        critical=[],
        **times,
    )
    db.session.add(row)
    db.session.flush()
    return row


# East of UTC the year 9999 overflows; west of it the year 1 does.
@pytest.fixture(params=["Africa/Lagos", "America/Bogota"])
def poisoned(request, field, db, incident_factory):
    mission, s = field.mission, field.stations
    mission.timezone = request.param
    assess = Form(mission_id=mission.id, form_id="t_assess", version="1", kind="voting",
                  title="Assessment", definition=ASSESS, source="tests", active=True)  # fmt: skip
    db.session.add(assess)
    db.session.flush()
    nul = _observation(
        db, mission, assess, s["S001"], field.t1,
        {"overall": "bad\x00", "remarks": "calm\x00count\x1b"},
        arrived_at=datetime(2027, 2, 25, 7, 0, tzinfo=UTC),
    )  # fmt: skip
    fine = _observation(
        db, mission, assess, s["S002"], field.t1, {"overall": "bad", "remarks": "typed \\u0000"},
        arrived_at=datetime(2027, 2, 25, 7, 0, tzinfo=UTC),
    )  # fmt: skip
    far = _observation(
        db, mission, field.form, s["S003"], field.t2,
        {"seals_intact": "yes", "remarks": "far"},
        arrived_at=FAR_FUTURE, departed_at=FAR_PAST,
    )  # fmt: skip
    db.session.commit()
    incident = incident_factory(
        mission,
        "violence",
        severity="critical",
        title=TITLE,
        description="line\x00two" if backend() == "sqlite" else "line\x07two",
        station_id=s["S001"].id,
        team_id=field.t1.id,
        occurred_at=FAR_FUTURE,
    )
    early = incident_factory(mission, "vote_buying", title="Early", occurred_at=FAR_PAST)
    return field, {"nul": nul.id, "fine": fine.id, "far": far.id}, (incident.id, early.id)


@pytest.fixture
def staff(poisoned, login):
    field, _observations, _incidents = poisoned
    return login(field.users.coordinator)


def _ok(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:500])
    return response


def test_lists_and_detail_pages_answer_showing_invalid_dates(poisoned, staff):
    field, observations, incidents = poisoned
    base = f"/missions/{field.mission.slug}"
    listing = _ok(staff, f"{base}/observations/").get_data(as_text=True)
    assert "invalid date" in listing
    far = _ok(staff, f"{base}/observations/{observations['far']}").get_data(as_text=True)
    assert "invalid date" in far
    nul = _ok(staff, f"{base}/observations/{observations['nul']}").get_data(as_text=True)
    assert "calm\ufffdcount\ufffd" in nul and "\x00" not in nul
    assert "invalid date" in _ok(staff, f"{base}/incidents/").get_data(as_text=True)
    for incident_id in incidents:
        page = _ok(staff, f"{base}/incidents/{incident_id}").get_data(as_text=True)
        assert "invalid date" in page
    _ok(staff, f"{base}/incidents/alerts.json")


@pytest.mark.parametrize("labels", ["", "?labels=1"])
def test_observation_exports_mark_invalid_values(poisoned, staff, labels):
    field, observations, _incidents = poisoned
    base = f"/missions/{field.mission.slug}/observations"
    text = _ok(staff, f"{base}/export.csv{labels}").get_data(as_text=True)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    far = rows[str(observations["far"])]
    assert far["arrived_at"] == far["departed_at"] == "invalid date"
    assert rows[str(observations["nul"])]["remarks"] == "calm\ufffdcount\ufffd"
    assert "\x00" not in text and "\x1b" not in text
    book = openpyxl.load_workbook(io.BytesIO(_ok(staff, f"{base}/export.xlsx{labels}").data))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    rows = sheet.iter_rows(min_row=2, values_only=True)
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_id[observations["far"]]["arrived_at"] == "invalid date"
    assert by_id[observations["nul"]]["remarks"] == "calm\ufffdcount\ufffd"


def test_incident_exports_mark_invalid_values(poisoned, staff):
    field, _observations, incidents = poisoned
    base = f"/missions/{field.mission.slug}/incidents"
    text = _ok(staff, f"{base}/export.csv").get_data(as_text=True)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    for incident_id in incidents:
        assert rows[str(incident_id)]["occurred_at"] == "invalid date"
    assert rows[str(incidents[0])]["title"].startswith("Shots\ufffd[2J fired\ufffd\ufffd")
    book = openpyxl.load_workbook(io.BytesIO(_ok(staff, f"{base}/export.xlsx").data))
    values = list(book.active.iter_rows(2, None, values_only=True))
    assert {row[2] for row in values} == {"invalid date"}
    features = json.loads(_ok(staff, f"{base}/export.geojson").data)["features"]
    assert {f["properties"]["occurred_at"] for f in features} == {"invalid date"}


def test_statistics_dashboard_and_findings_skip_unreadable_answers(poisoned, staff):
    field, _observations, _incidents = poisoned
    slug = field.mission.slug
    stats = _ok(staff, f"/api/v1/stats/indicators?mission={slug}").json
    forms = {form["form_id"]: form for form in stats["forms"]}
    assert forms["t_assess"]["mission"]["received"] == 2
    assert forms["t_assess"]["unreadable"] == 1  # the NUL row: received, in no share
    (assessment,) = [a for a in stats["assessments"] if a["form_id"] == "t_assess"]
    assert assessment["mission"] == [0, 0, 1, 0]  # only the readable "bad"
    (critical,) = [c for c in stats["incidents"]["critical"] if c["title"] == TITLE]
    assert critical["occurred_at"] is None  # the year 9999 cannot be shown
    _ok(staff, f"/missions/{slug}/dashboard")
    indicator = find_indicator(field.mission, "negative:t_assess:overall")
    rows = findings(field.mission, indicator)
    assert sum(r.observed for r in rows) == 1 and sum(r.matching for r in rows) == 1
    _ok(staff, f"/missions/{slug}/maps/findings?indicator=negative:t_assess:overall")


@pytest.mark.parametrize("path", ["election-day.pdf", "incidents.pdf"])
def test_pdf_reports_read_the_rows(poisoned, staff, path):
    field, _observations, _incidents = poisoned
    response = _ok(staff, f"/missions/{field.mission.slug}/reports/{path}")
    assert response.data.startswith(b"%PDF")


@pytest.mark.parametrize(
    "query",
    ["station=S0%00", "form=t%00", "from=0001-01-01T00:00", "to=9999-12-31T23:59"],
)
def test_observation_filters_with_poison_values_are_ignored(poisoned, staff, query):
    field, _observations, _incidents = poisoned
    base = f"/missions/{field.mission.slug}/observations"
    _ok(staff, f"{base}/?{query}")
    _ok(staff, f"{base}/export.csv?{query}")
