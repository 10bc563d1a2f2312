"""The plan PDF: content, escaping, outline, page numbering, and speed on a big plan."""

import io
from dataclasses import replace

import pypdf
import pytest

from observer_suite.deployment.pdf import render_plan_pdf
from observer_suite.deployment.types import MemberLine, RouteRow
from observer_suite.util import pdf_fonts as fonts
from tests.reporting.sample_plans import HOSTILE, make_big_plan, make_plan


def _read(data: bytes) -> pypdf.PdfReader:
    assert data.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(data))


def _page_texts(reader: pypdf.PdfReader) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def _outline(reader: pypdf.PdfReader) -> list[tuple[str, int, int]]:
    """(title, level, 0-based page) for every outline entry, depth first."""
    found = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((item.title, level, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def test_every_team_station_and_coverage_figure_is_in_the_pdf():
    doc = make_plan()
    reader = _read(render_plan_pdf(doc))
    text = " ".join(_page_texts(reader))
    for team in doc.teams:
        assert f"Team {team.code}" in text
        for row in team.rows:
            assert row.station_code in text
    # North 5/40 stations, 6,100/52,000 voters; East has no voter figures.
    for figure in ("52,000", "6,100", "12.5%", "11.7%", "71,000", "8,300", "n/a", "123,000"):
        assert figure in text
    assert "All regions" in text
    assert "130.5 km" in text  # total road distance
    assert "13 stations in East are beyond every team's radius." in text
    assert "Only 4 stations within 60 km of the base (minimum 6)." in text
    assert "Purposive selection" in text
    assert "Sampling record" not in text


def test_hostile_and_non_latin_names_show_literally():
    reader = _read(render_plan_pdf(make_plan()))
    text = " ".join(_page_texts(reader))
    assert HOSTILE in text  # problem list, member table, route table
    if fonts.report_fonts().unicode:
        for name in ("Kéké Ouattara", "Anders Ørsted", "Paweł Łódź", "Łódź Ward"):
            assert name in text


def test_control_characters_and_markup_in_every_field_do_not_break_the_build():
    doc = make_plan()
    nasty = "a\x00b\x07c <para> </para> <img src=x/> &amp; &#9999999;"
    doc.teams[0].members.append(MemberLine(nasty, nasty, nasty, nasty, nasty, nasty))
    doc.teams[0].rows.append(RouteRow(99, nasty, nasty, nasty, nasty, None, None, nasty))
    doc.teams[0].problems.append(nasty)
    doc = replace(doc, mission_name=nasty, plan_name=nasty, election_day=nasty)
    text = " ".join(_page_texts(_read(render_plan_pdf(doc))))
    assert "abc <para> </para> <img src=x/> &amp; &#9999999;" in text


def test_absurdly_long_names_are_cut_instead_of_aborting_the_layout():
    doc = make_plan(status="superseded")
    doc.teams[0].code = "C" * 3000
    doc.teams[0].members[0].name = "word " * 5000
    doc.teams[0].rows[0].station_name = "x" * 5000
    doc.problems.append("p " * 20000)  # flows over pages: kept whole
    text = " ".join(_page_texts(_read(render_plan_pdf(doc))))
    assert "SUPERSEDED" in text and "\u2026" in text


def test_outline_has_one_entry_per_team_and_pages_are_numbered():
    doc = make_plan()
    reader = _read(render_plan_pdf(doc))
    entries = _outline(reader)
    assert entries[0][:2] == ("Overview", 0)
    assert entries[1][:2] == ("Teams", 0)
    teams = [e for e in entries if e[1] == 1]
    assert [title for title, _, _ in teams] == [f"Team {t.code}" for t in doc.teams]
    first_team_page = teams[0][2]
    assert first_team_page >= 1  # the overview comes first
    assert [page for _, _, page in teams] == list(
        range(first_team_page, first_team_page + len(doc.teams))
    )
    assert len(reader.pages) == first_team_page + len(doc.teams)  # one page per short team
    texts = _page_texts(reader)
    total = len(reader.pages)
    for number, text in enumerate(texts, start=1):
        assert f"page {number} of {total}" in text
    assert reader.metadata.title == "EU EOM Veridia 2025 \u2014 Election day plan A"
    for team, (_, _, page) in zip(doc.teams, teams, strict=True):
        assert f"Team {team.code}" in texts[page]
        assert all(row.station_code in texts[page] for row in team.rows)


def test_draft_is_marked_and_published_is_not():
    draft = " ".join(_page_texts(_read(render_plan_pdf(make_plan(status="draft")))))
    published = " ".join(_page_texts(_read(render_plan_pdf(make_plan(status="published")))))
    assert "this plan is not published" in draft
    assert "DRAFT" in draft
    assert "not published" not in published
    assert "DRAFT" not in published
    assert "PUBLISHED" in published


def test_sample_mode_prints_the_sampling_record():
    text = " ".join(_page_texts(_read(render_plan_pdf(make_plan(mode="sample")))))
    assert "Random sample" in text
    assert "Sampling record" in text
    for expected in ("Sample size (n) 12", "Confidence level 95%", "Margin of error 5%"):
        assert expected in text
    assert "Random seed 20240607" in text  # a seed is an identifier, not a quantity
    assert "Strata" in text and "North 40 5" in text and "South 60 7" in text


def test_long_route_repeats_the_table_header_on_every_page():
    doc = make_plan()
    team = doc.teams[0]
    team.rows = [
        RouteRow(i, "visit", f"LONG-{i:03d}", f"Station {i}", "Ward", 8.0, 7.0, "09:00")
        for i in range(1, 121)
    ]
    reader = _read(render_plan_pdf(doc))
    pages = [(t, i) for i, t in enumerate(_page_texts(reader)) if "LONG-" in t]
    assert len(pages) >= 2
    for text, _ in pages:
        assert "# Kind Station Name Area Coordinates Arrival" in text
    assert all(f"LONG-{i:03d}" in " ".join(t for t, _ in pages) for i in range(1, 121))


def test_plan_without_coordinates_boundaries_teams_or_coverage_still_renders():
    doc = make_plan()
    for team in doc.teams:
        team.base_lat = team.base_lon = None
        for row in team.rows:
            row.lat = row.lon = None
    text = " ".join(_page_texts(_read(render_plan_pdf(replace(doc, boundaries=[])))))
    assert "No coordinates are known" in text

    empty = replace(doc, teams=[], coverage=[], boundaries=[], problems=[])
    reader = _read(render_plan_pdf(empty))
    assert len(reader.pages) == 1
    assert "No teams in this plan." in _page_texts(reader)[0]


def test_broken_boundary_geometry_is_skipped():
    doc = make_plan()
    doc.boundaries += [
        ("Broken", {"type": "Polygon", "coordinates": [[["x", 1], [None, 2]]]}),
        ("Odd", {"type": "Point", "coordinates": [7, 8]}),
        ("Junk", "not a geometry"),  # type: ignore[list-item]
    ]
    assert _read(render_plan_pdf(doc)).pages


@pytest.fixture
def without_dejavu(monkeypatch):
    """A machine without DejaVu Sans: no font folder is configured (FONT_DIRS is a setting)."""
    monkeypatch.setattr(fonts, "FONT_DIRS", ())
    fonts.report_fonts.cache_clear()
    yield
    fonts.report_fonts.cache_clear()  # the next report finds DejaVu again


def test_helvetica_fallback_renders_without_dejavu(without_dejavu):
    assert fonts.report_fonts() == fonts.HELVETICA
    reader = _read(render_plan_pdf(make_plan()))
    text = " ".join(_page_texts(reader))
    assert "Team T01" in text and HOSTILE in text
    used = {
        str(f.get("/BaseFont")) for p in reader.pages for f in p["/Resources"]["/Font"].values()
    }
    assert "/Helvetica" in used and not any("DejaVu" in name for name in used), used


def test_a_big_plan_has_one_section_per_team():
    """The country-sized plan's time is measured by benchmarks/plan_outputs.py."""
    teams = 40
    reader = _read(render_plan_pdf(make_big_plan(teams, stations=400)))
    entries = [e for e in _outline(reader) if e[1] == 1]
    assert len(entries) == teams
    assert len(reader.pages) == entries[0][2] + teams
