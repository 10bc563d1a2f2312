"""The incident report PDF: the incident list's rows under the same filters, summary, escaping."""

import io
from datetime import UTC, datetime

import pypdf
import pytest
from sqlalchemy import func, select

from observer_suite.incidents.listing import IncidentFilters, filtered
from observer_suite.reporting.pdf.incident_report import incident_report

HOSTILE = "<img src=x onerror=alert(1)>"


def words(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.fixture
def incidents(field, incident_factory):
    s = field.stations
    made = [
        incident_factory(
            field.mission,
            "violence",
            severity="critical",
            title=HOSTILE,
            description="<b>not bold</b> & more",
            station_id=s["S001"].id,
            team_id=field.t1.id,
        ),
        incident_factory(
            field.mission,
            "vote_buying",
            severity="medium",
            status="verified",
            title="Cash handed out",
            station_id=s["S004"].id,
            team_id=field.t2.id,
            occurred_at=datetime(2027, 2, 25, 11, 0, tzinfo=UTC),
        ),
        incident_factory(
            field.mission, "violence", severity="medium", title="Scuffle", station_id=s["S002"].id
        ),
        incident_factory(
            field.mission,
            "missing_materials",
            severity="low",
            title="No ink",
            latitude=6.5,
            longitude=7.25,
        ),
    ]
    return made


def test_all_incidents_with_summary_and_literal_user_text(field, incidents, db):
    text = words(incident_report(field.mission, IncidentFilters()))
    assert "Incident report" in text and "RESTRICTED" in text
    assert HOSTILE in text and "<b>not bold</b> & more" in text
    for title in ("Cash handed out", "Scuffle", "No ink"):
        assert title in text
    # summary: violence medium 1 + critical 1 = 2, total row 4
    total = db.session.scalar(
        select(func.count()).select_from(filtered(field.mission, IncidentFilters()).subquery())
    )
    assert total == 4
    assert "Total 1 2 0 1 4" in text  # low medium high critical total
    assert "S001 School S001, Region 1" in text and "T01" in text
    assert "6.50000, 7.25000" in text  # GPS-only place


def test_filters_match_the_list(field, incidents):
    filters = IncidentFilters.from_args({"severity": "medium", "q": "cash"})
    text = words(incident_report(field.mission, filters))
    assert "Cash handed out" in text
    assert "Scuffle" not in text and HOSTILE not in text
    assert "severity: medium; text: cash" in text
    region = IncidentFilters.from_args({"region": str(field.stations["S004"].area.parent_id)})
    assert "region: Region 2" in words(incident_report(field.mission, region))


def test_french_labels(field, incidents):
    text = words(incident_report(field.mission, IncidentFilters(), lang="fr"))
    assert "Rapport d’incidents" in text
    assert "Incidents par catégorie et gravité" in text
    assert "Gravité: critique" in text or "Gravité : critique" in text
    assert "DIFFUSION RESTREINTE" in text


def test_no_incidents(field):
    assert "No incidents." in words(incident_report(field.mission, IncidentFilters()))


def test_unknown_language_is_refused(field):
    with pytest.raises(ValueError, match="'de'") as refused:
        incident_report(field.mission, IncidentFilters(), lang="de")
    assert refused.value.field == "lang"
