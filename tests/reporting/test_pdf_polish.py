"""PDF polish (issue 15, point 11): answers by label, unbroken codes, whole footers, tables
that repeat their header, one name per phase. Every check reads the text back from the PDF."""

import io
import re

import pypdf
import pytest

from tests.reporting.stats_world import CUTOFF


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def day(db, mission_factory, incident_factory):
    from tests.reporting.stats_world import add_incidents, build_world

    mission, _plan, _teams, stations = build_world(db, mission_factory)
    add_incidents(mission, stations, incident_factory)
    return mission


def report(mission, **kwargs) -> str:
    from observer_suite.reporting.election_day_pdf import election_day_report

    return flat(" ".join(page_texts(election_day_report(mission, until=CUTOFF, **kwargs))))


# ---- 1. answers by their labels ---------------------------------------------------------


def test_critical_answers_are_printed_with_their_labels(day):
    words = report(day)
    assert "Critical answers" in words
    assert re.search(r"\[Opening: No\]", words), "the label of the answer 'no'"
    assert not re.search(r"\[[^\]]*: (no|yes)\]", words), "a raw answer code"


def test_labels_in_the_report_language(day):
    words = report(day, lang="fr")
    assert "[Ouverture : Non]" in words or "[Ouverture: Non]" in words
    assert not re.search(r"\[[^\]]*: ?(no|yes)\]", words)


def test_language_falls_back_to_the_form_default(db, day):
    from observer_suite.models import Form
    from observer_suite.reporting.election_day_pdf import answer_labels

    form = db.session.query(Form).filter_by(mission_id=day.id, kind="opening").first()
    definition = dict(form.definition)
    definition["default_language"] = "fr"
    definition["choices"] = {
        **definition["choices"],
        "yes_no_na": [
            {"name": "yes", "label": {"fr": "Oui", "es": "Sí"}},
            {"name": "no", "label": {"fr": "Non", "es": "No"}},
        ],
    }
    form.definition = definition
    db.session.commit()
    labels = answer_labels(day.id, {form.form_id}, "en")
    assert labels[(form.form_id, "ballot_box_sealed", "no")] == "Non"


# ---- 2. codes never broken, footers whole -----------------------------------------------


def _lines(pdf: bytes) -> list[list[str]]:
    return [
        [" ".join(line.replace("\u00a0", " ").split()) for line in text.splitlines()]
        for text in page_texts(pdf)
    ]


def test_annex_station_code_is_on_one_line():
    from dataclasses import replace

    from observer_suite.reporting.election_day_pdf import render_election_day_pdf
    from tests.reporting.test_election_day_pdf import make_stats

    stats = make_stats()
    code = "KN/NASSARAWA-0012-034"
    critical = replace(stats.incidents.critical[0], station_code=code)
    stats = replace(stats, incidents=replace(stats.incidents, critical=(critical,)))
    lines = [line for page in _lines(render_election_day_pdf(stats, None)) for line in page]
    assert any(code in line for line in lines)


def test_election_day_footer_is_whole_on_every_page():
    from dataclasses import replace

    from observer_suite.reporting.election_day_pdf import render_election_day_pdf
    from tests.reporting.test_election_day_pdf import make_stats

    name = "Joint International Election Observation Mission to the Federal Republic of Nigeria"
    stats = replace(make_stats(lang="fr"), mission_name=name)
    pages = _lines(render_election_day_pdf(stats, None))
    assert len(pages) >= 3
    footer = f"{name} \u00b7 Rapport du jour du scrutin \u00b7 DIFFUSION RESTREINTE"
    for number, page in enumerate(pages, start=1):
        text = " ".join(page)
        assert footer in text, number
        assert f"page {number} sur {len(pages)}" in text
