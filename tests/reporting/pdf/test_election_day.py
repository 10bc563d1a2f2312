"""The election-day PDF from hand-made statistics: sections, numbers, languages, escaping."""

import io
import re
from datetime import UTC, date, datetime

import pypdf
import pytest

from observer_suite.reporting.pdf.election_day import UnknownIndicator, render_election_day_pdf
from observer_suite.reporting.pdf.election_day_map import MAX_POINTS, choose_indicator
from observer_suite.reporting.statistics.election_day_stats import (
    AreaRef,
    AssessmentDistribution,
    Coverage,
    CriticalAnswerRow,
    ElectionDayStats,
    FormProgress,
    IncidentBrief,
    IncidentSummary,
    IndicatorResult,
    PlanRef,
    Progress,
    Share,
    TeamRef,
)
from observer_suite.util.pdf_wording import Texts

HOSTILE = "<img src=x onerror=alert(1)>"
SQUARE = {"type": "Polygon", "coordinates": [[[3, 6], [4, 6], [4, 7], [3, 7], [3, 6]]]}
SQUARE_2 = {"type": "Polygon", "coordinates": [[[4, 6], [5, 6], [5, 7], [4, 7], [4, 6]]]}


def share(n: int, total: int, margin: float | None = None) -> Share:
    return Share(n, total, n / total if total else None, margin if total else None)


def make_stats(lang: str = "en", mode: str = "purposive", points=None, **overrides):
    """Two regions (North with data, South without), two phases, incidents, one critical."""
    areas = (AreaRef(1, "NO", "North"), AreaRef(2, "SO", "South"))
    margin = 0.041 if mode == "sample" else None
    indicators = (
        IndicatorResult(
            "opened_on_time",
            "opening",
            "std_opening",
            "opening_band",
            "Opened on time",
            ("on_time",),
            share(12, 16, margin),
            (share(12, 16, margin), share(0, 0)),
        ),
        IndicatorResult(
            "opening_bad",
            "opening",
            "std_opening",
            "overall",
            "Opening bad or very bad",
            ("bad", "very_bad"),
            share(3, 16, margin),
            (share(3, 16, margin), share(0, 0)),
        ),
        IndicatorResult(
            "secrecy",
            "voting",
            "std_voting",
            "secrecy",
            "Secrecy respected",
            ("yes",),
            share(40, 50, margin),
            (share(40, 50, margin), share(0, 0)),
        ),
    )
    critical = IncidentBrief(
        7,
        HOSTILE,
        "Violence",
        "critical",
        "verified",
        datetime(2027, 2, 25, 9, 30, tzinfo=UTC),
        "NO-001",
        "North",
        6.5,
        3.5,
    )
    incidents = IncidentSummary(
        categories=("violence", "intimidation"),
        category_labels=("Violence", "Intimidation"),
        severities=("low", "medium", "high", "critical"),
        counts=((1, 2, 0, 1), (0, 3, 1, 0)),
        total=8,
        areas=(7, 0),
        unplaced=1,
        critical=(critical,),
        points=tuple(points or ((6.5, 3.5, "critical"), (6.2, 3.2, "medium"))),
    )
    values = {
        "mission_slug": "demo",
        "mission_name": "Demo Mission \u00c9lection",
        "election_date": date(2027, 2, 25),
        "timezone": "Africa/Lagos",
        "lang": lang,
        "generated_at": datetime(2027, 2, 25, 17, 0, tzinfo=UTC),
        "until": datetime(2027, 2, 25, 16, 0, tzinfo=UTC),
        "region": None,
        "area_level": "region",
        "mode": mode,
        "plan": PlanRef(1, "Plan A", mode, datetime(2027, 2, 20, tzinfo=UTC)),
        "confidence": 0.95 if mode == "sample" else None,
        "sampling": {"n": 66, "frame_size": 400, "confidence": 0.95} if mode == "sample" else None,
        "areas": areas,
        "coverage": Coverage(400, 70, 66, 1234),
        "area_coverage": (Coverage(250, 70, 66, 1234), Coverage(150, 0, 0, 0)),
        "forms": (
            FormProgress(
                "std_opening",
                "opening",
                "Opening",
                Progress(16, 20),
                (Progress(16, 20), Progress(0, 0)),
                (),
            ),
        ),
        "teams_without_opening": (TeamRef(3, "T03", "North"),),
        "indicators": indicators,
        "assessments": (
            AssessmentDistribution(
                "std_opening",
                "opening",
                "Opening",
                "overall",
                ("very_good", "good", "bad", "very_bad"),
                ("Very good", "Good", "Bad", "Very bad"),
                (5, 8, 2, 1),
                ((5, 8, 2, 1), (0, 0, 0, 0)),
            ),
        ),
        "critical_answers": (
            CriticalAnswerRow(
                "std_voting", "voting", "box_sealed", "Ballot box sealed", ("no",), 4, (4, 0)
            ),
        ),
        "incidents": incidents,
    }
    values.update(overrides)
    return ElectionDayStats(**values)


BOUNDARIES = {1: SQUARE, 2: SQUARE_2}


def pdf_text(pdf: bytes) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, text


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def outline_titles(reader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def test_sections_numbers_outline_and_page_numbers():
    reader, text = pdf_text(render_election_day_pdf(make_stats(), BOUNDARIES))
    words = flat(text)
    for expected in (
        "Election-day report",
        "RESTRICTED",
        "2027-02-25 17:00 (Africa/Lagos)",
        "Key figures",
        "1,234",
        "75.0% (12 of 16)",
        "80.0% (40 of 50)",
        "Opening bad or very bad",
        "no data",
        "Whole mission",
        "Intimidation",
        "figures describe observed stations only",
        "Counting rules",
    ):
        assert expected in words, expected
    titles = outline_titles(reader)
    for section in (
        "Cover",
        "Key figures",
        "Coverage",
        "Findings by phase",
        "Opening",
        "Overall assessment",
        "Critical answers",
        "Incidents",
        "Map",
        "Annex: critical incidents",
        "Methodology",
    ):
        assert section in titles, section
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert f"page {number} of {pages}" in flat(page.extract_text())


def test_hostile_title_is_printed_literally():
    _, text = pdf_text(render_election_day_pdf(make_stats(), BOUNDARIES))
    assert HOSTILE in text


def test_french_labels_and_numbers():
    reader, text = pdf_text(render_election_day_pdf(make_stats(lang="fr"), BOUNDARIES))
    words = flat(text)
    for expected in (
        "Rapport du jour du scrutin",
        "Chiffres clés",
        "Méthodologie",
        "DIFFUSION RESTREINTE",
        "75,0 % (12 sur 16)",
        "1 234",
        "pas de données",
        "Ensemble de la mission",
    ):
        assert expected in words, expected
    assert "Constats par phase" in outline_titles(reader)
    pages = len(reader.pages)
    assert f"page 1 sur {pages}" in flat(reader.pages[0].extract_text())


def test_sample_mode_prints_margins_and_design():
    _, text = pdf_text(render_election_day_pdf(make_stats(mode="sample"), BOUNDARIES))
    words = flat(text)
    assert "75.0% ±4.1 (12 of 16)" in words
    assert "Random sample" in words and "95% confidence" in words
    assert "Sampling record" in words


def test_french_sample_report_prints_the_sampling_record_in_french():
    _, text = pdf_text(render_election_day_pdf(make_stats(lang="fr", mode="sample"), BOUNDARIES))
    words = flat(text)
    for expected in ("Plan d’échantillonnage", "Base de sondage (bureaux)", "Niveau de confiance"):
        assert expected in words, expected
    assert "Sampling record" not in words and "Sample size" not in words


def test_regional_briefing_title():
    stats = make_stats(region=AreaRef(1, "NO", "North"), area_level="district")
    _, text = pdf_text(render_election_day_pdf(stats, None))
    assert "Regional briefing: North" in flat(text)
    assert "District" in flat(text)


def test_indicator_choice():
    stats = make_stats()
    assert choose_indicator(stats, None).key == "opening_bad"
    assert choose_indicator(stats, "secrecy").key == "secrecy"
    with pytest.raises(UnknownIndicator, match="nope"):
        render_election_day_pdf(stats, BOUNDARIES, "nope")
    none = make_stats(indicators=(), critical_answers=(), assessments=())
    _, text = pdf_text(render_election_day_pdf(none, None))
    assert "No indicators are defined." in flat(text)


def test_many_points_are_aggregated_and_the_legend_says_so():
    points = [(6 + (i % 97) / 100, 3 + (i % 89) / 90, "medium") for i in range(MAX_POINTS * 3)]
    small = render_election_day_pdf(make_stats(points=points[:10]), BOUNDARIES)
    large = render_election_day_pdf(make_stats(points=points), BOUNDARIES)
    _, text = pdf_text(large)
    assert re.search(r"4,500 incident locations are aggregated", flat(text))
    assert len(large) < len(small) + 200_000  # bounded by the grid, not by the points


def test_empty_mission_builds():
    stats = make_stats(
        areas=(),
        area_coverage=(),
        coverage=Coverage(0, 0, 0, 0),
        forms=(),
        teams_without_opening=(),
        indicators=(),
        assessments=(),
        critical_answers=(),
        incidents=IncidentSummary(
            (), (), ("low", "medium", "high", "critical"), (), 0, (), 0, (), ()
        ),
        plan=None,
    )
    _, text = pdf_text(render_election_day_pdf(stats, {}))
    assert "No critical incidents up to the cut-off." in flat(text)
    assert Texts("en")("no_plan") in flat(text)


# ---- against the real statistics (tests/reporting/stats_world.py) ----------------------------


def expected_share(share: dict) -> str:
    """The PDF's text for one share of stats_to_json, written out independently."""
    if share["share"] is None:
        return "no data"
    margin = f" ±{100 * share['margin']:.1f}" if share["margin"] is not None else ""
    return f"{100 * share['share']:.1f}%{margin} ({share['n']} of {share['total']})"


def report_and_json(mission, **kwargs):
    from observer_suite.reporting.pdf.election_day import election_day_report
    from observer_suite.reporting.statistics.compute import election_day_stats
    from observer_suite.reporting.statistics.serialise import stats_to_json
    from tests.reporting.stats_world import CUTOFF

    reader, text = pdf_text(election_day_report(mission, until=CUTOFF, **kwargs))
    stats = stats_to_json(election_day_stats(mission, until=CUTOFF, **kwargs))
    return reader, flat(text), stats


def assert_numbers_match(words: str, stats: dict) -> None:
    """Key figures, area rows, indicator cells and incident counts as stats_to_json has them."""
    from observer_suite.reporting.pdf.sections import TABLE_INDICATORS

    cov = stats["coverage"]
    incidents = stats["incidents"]
    critical = sum(row[incidents["severities"].index("critical")] for row in incidents["counts"])
    assert (
        f"{cov['stations_observed']} stations observed ({cov['planned_observed']} of "
        f"{cov['stations_planned']} planned)" in words
    )
    assert f"{cov['observations']} observations" in words
    assert f"{incidents['total']} incidents ({critical} critical)" in words
    names = [a["name"] for a in stats["areas"]]
    for name, c in [*zip(names, stats["area_coverage"], strict=True), ("Whole mission", cov)]:
        assert (
            f"{name} {c['stations_observed']} {c['stations_planned']} {c['stations_total']}"
            in words
        )
    phases: dict[str, list] = {}
    for indicator in stats["indicators"]:
        phases.setdefault(indicator["phase"], []).append(indicator)
    for indicators in phases.values():
        for start in range(0, len(indicators), TABLE_INDICATORS):
            chunk = indicators[start : start + TABLE_INDICATORS]
            for index, name in enumerate(names):
                cells = " ".join(expected_share(i["areas"][index]) for i in chunk)
                assert f"{name} {cells}" in words, (name, cells)
            cells = " ".join(expected_share(i["mission"]) for i in chunk)
            assert f"Whole mission {cells}" in words
    for label, counts in zip(incidents["category_labels"], incidents["counts"], strict=True):
        if sum(counts):
            assert f"{label} {' '.join(map(str, counts))} {sum(counts)}" in words
    for name, count in zip(names, incidents["areas"], strict=True):
        assert f"{name} {count}" in words


def test_report_numbers_equal_the_stats_json(world):
    reader, words, stats = report_and_json(world)
    assert stats["incidents"]["total"] > 0 and stats["indicators"]
    assert_numbers_match(words, stats)
    assert HOSTILE in words and "<b>Fight</b> & run" in words
    assert "Areas shaded by: Opening assessed bad or very bad" in words
    assert {"Map", "Annex: critical incidents", "Methodology"} <= set(outline_titles(reader))


def test_regional_briefing_shows_only_its_districts(world):
    _, words, stats = report_and_json(world, region="N")
    assert [a["name"] for a in stats["areas"]] == ["N one", "N two"]
    assert "Regional briefing: North" in words
    assert_numbers_match(words, stats)
    for other in ("South", "East", "S one", "E one"):
        assert other not in words


def test_french_report_from_the_database(world):
    _, words, stats = report_and_json(world, lang="fr")
    assert "Constats par phase" in words and "Incidents par catégorie et gravité" in words
    assert "Ouverture évaluée mauvaise ou très mauvaise" in words
    opening = next(i for i in stats["indicators"] if i["key"] == "opening_on_time")["mission"]
    share = f"{100 * opening['share']:.1f}".replace(".", ",")
    assert f"{share} % ({opening['n']} sur {opening['total']})" in words
