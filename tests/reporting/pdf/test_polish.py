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
    from observer_suite.reporting.pdf.election_day import election_day_report

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
    from observer_suite.reporting.pdf.election_day import answer_labels

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


def test_assessment_scale_falls_back_to_the_form_default_language(db, day):
    from observer_suite.models import Form

    form = db.session.query(Form).filter_by(mission_id=day.id, kind="opening").first()
    definition = dict(form.definition)
    definition["default_language"] = "fr"
    definition["choices"] = {
        **definition["choices"],
        "assessment": [
            {"name": code, "label": {"es": f"es-{code}", "fr": f"fr-{code}"}}
            for code in ("very_good", "good", "bad", "very_bad")
        ],
    }
    form.definition = definition
    db.session.commit()
    words = report(day)
    assert "fr-very_good fr-good fr-bad fr-very_bad" in words
    assert "es-very_good" not in words


# ---- 2. codes never broken, footers whole -----------------------------------------------


def _lines(pdf: bytes) -> list[list[str]]:
    return [
        [" ".join(line.replace("\u00a0", " ").split()) for line in text.splitlines()]
        for text in page_texts(pdf)
    ]


def test_annex_station_code_is_on_one_line():
    from dataclasses import replace

    from observer_suite.reporting.pdf.election_day import render_election_day_pdf
    from tests.reporting.pdf.test_election_day import make_stats

    stats = make_stats()
    code = "KN/NASSARAWA-0012-034"
    critical = replace(stats.incidents.critical[0], station_code=code)
    stats = replace(stats, incidents=replace(stats.incidents, critical=(critical,)))
    lines = [line for page in _lines(render_election_day_pdf(stats, None)) for line in page]
    assert any(code in line for line in lines)


def test_election_day_footer_is_whole_on_every_page():
    from dataclasses import replace

    from observer_suite.reporting.pdf.election_day import render_election_day_pdf
    from tests.reporting.pdf.test_election_day import make_stats

    name = "Joint International Election Observation Mission to the Federal Republic of Nigeria"
    stats = replace(make_stats(lang="fr"), mission_name=name)
    pages = _lines(render_election_day_pdf(stats, None))
    assert len(pages) >= 3
    footer = f"{name} \u00b7 Rapport du jour du scrutin \u00b7 DIFFUSION RESTREINTE"
    for number, page in enumerate(pages, start=1):
        text = " ".join(page)
        assert footer in text, number
        assert f"page {number} sur {len(pages)}" in text


# ---- 3. tables: header on every page, a region's rows together ---------------------------


def test_annex_keeps_a_regions_incidents_on_one_page_under_a_repeated_header():
    from dataclasses import replace
    from datetime import timedelta

    from observer_suite.reporting.pdf.election_day import render_election_day_pdf
    from tests.reporting.pdf.test_election_day import make_stats

    stats = make_stats()
    first = stats.incidents.critical[0]
    critical = []
    for i in range(36):  # newest first, the two regions interleaved
        region = ("North", "South")[i % 2]
        critical.append(
            replace(
                first,
                id=100 + i,
                title=f"{region} incident {i:02d} at the polling station gate",
                station_code=f"{region[:2].upper()}-{i:03d}",
                area_name=region,
                occurred_at=first.occurred_at - timedelta(minutes=i),
            )
        )
    stats = replace(stats, incidents=replace(stats.incidents, critical=tuple(critical)))
    pages = [flat(text) for text in page_texts(render_election_day_pdf(stats, None))]
    annex = [text for text in pages if "incident 0" in text or "incident 1" in text]
    assert len(annex) >= 2
    for text in annex:
        assert "Time Title Category Place Status" in text
    for region in ("North", "South"):
        holding = {n for n, text in enumerate(annex) if f"{region} incident" in text}
        assert len(holding) == 1, (region, holding)


def test_a_region_longer_than_a_page_still_flows_over_pages():
    from dataclasses import replace

    from observer_suite.reporting.pdf.election_day import render_election_day_pdf
    from tests.reporting.pdf.test_election_day import make_stats

    stats = make_stats()
    first = stats.incidents.critical[0]
    critical = tuple(replace(first, id=i, title=f"Long run {i:03d}") for i in range(120))
    stats = replace(stats, incidents=replace(stats.incidents, critical=critical))
    text = flat(" ".join(page_texts(render_election_day_pdf(stats, None))))
    assert all(f"Long run {i:03d}" in text for i in range(120))


# ---- 4. one name per phase ---------------------------------------------------------------


def test_each_phase_has_one_name_in_the_french_report(day):
    from observer_suite.util.pdf_wording import Texts

    words = report(day, lang="fr")
    phases = Texts("fr").raw("phases")
    for english in ("Opening", "Voting", "Closing and counting", "Tabulation"):
        assert f"\u2014 {english}" not in words  # no "Ouverture — Opening" headings
    assert "Fermeture" not in words  # the counting form calls it "Clôture et dépouillement"
    for kind in ("opening", "voting", "counting"):
        assert words.count(phases[kind]) >= 3, kind  # findings, assessment, forms table …


def test_plan_pdf_names_the_closing_stop_like_the_report_names_the_phase():
    from observer_suite.deployment.pdf import render_plan_pdf
    from observer_suite.util.pdf_wording import Texts
    from tests.reporting.sample_plans import make_plan

    doc = make_plan()
    assert any(row.kind == "closing" for team in doc.teams for row in team.rows)
    words = flat(" ".join(page_texts(render_plan_pdf(doc))))
    assert Texts("en").label("phases", "counting") in words


def _many_regions(lang: str = "en"):
    """make_stats widened to fourteen regions and five assessment forms, so tables meet pages."""
    from dataclasses import replace

    from observer_suite.reporting.statistics.election_day_stats import AreaRef, Coverage
    from tests.reporting.pdf.test_election_day import make_stats, share

    stats = make_stats(lang)
    names = ("Haut-Kéran", "Dassari", "Plateau-Mabo", "Sanvani", "Lac-Tassou", "Zondo", "Bako")
    names += tuple(f"{name} Nord" for name in names)
    areas = tuple(AreaRef(i + 1, f"R{i}", name) for i, name in enumerate(names))
    n = len(areas)
    indicators = tuple(
        replace(i, key=f"{i.key}{k}", label=f"{i.label} {k}", areas=(share(3, 9),) * n)
        for k in range(3)
        for i in stats.indicators
    )
    dist = stats.assessments[0]
    assessments = tuple(
        replace(dist, form_id=f"f{k}", title=f"Form {k}", areas=((1, 2, 3, 4),) * n)
        for k in range(5)
    )
    critical = tuple(replace(row, areas=(1,) * n) for row in stats.critical_answers)
    return replace(
        stats,
        areas=areas,
        area_coverage=(Coverage(10, 5, 4, 30),) * n,
        forms=tuple(replace(f, areas=(f.mission,) * n) for f in stats.forms),
        indicators=indicators,
        assessments=assessments,
        critical_answers=critical,
        incidents=replace(stats.incidents, areas=(1,) * n),
    )


def test_no_region_table_is_parted_from_its_total_row():
    from observer_suite.reporting.pdf.election_day import render_election_day_pdf

    pages = _lines(render_election_day_pdf(_many_regions(), None))
    assert len(pages) > 8
    for number, lines in enumerate(pages, start=1):
        # The last table header on a page is followed by its total row on the same page.
        headers = [i for i, line in enumerate(lines) if line == "Region"]
        if headers:
            rest = lines[headers[-1] :]
            assert any(line.startswith("Whole mission") for line in rest), (number, rest[:6])
