"""Plan PDF polish (issue 15, point 11): codes, phones and e-mails on one line, whole footers."""

import io
from dataclasses import replace

import pypdf

from observer_suite.deployment.pdf import render_plan_pdf
from observer_suite.deployment.types import MemberLine, RouteRow
from tests.reporting.sample_plans import make_plan

CODE = "KN/NASSARAWA-0012-034"
PHONE = "+234 (0) 803 123 4567"
EMAIL = "aisha.abubakar-mohammed@observers.example.org"


def _lines(pdf: bytes) -> list[list[str]]:
    """Each page's text lines, spaces normalised (non-breaking ones too)."""
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return [
        [
            " ".join(line.replace("\u00a0", " ").split())
            for line in (p.extract_text() or "").splitlines()
        ]
        for p in pages
    ]


def test_station_codes_phones_and_emails_are_never_broken_across_lines():
    doc = make_plan()
    team = doc.teams[0]
    team.code = "T-2027-ABUJA-01"
    team.members.append(MemberLine("Aisha Abubakar", "observer", "NG", "f", PHONE, EMAIL))
    team.rows.append(RouteRow(9, "visit", CODE, "Central School", "Ward", 8.0, 7.0, "10:00"))
    lines = [line for page in _lines(render_plan_pdf(doc)) for line in page]
    for value in (CODE, PHONE, EMAIL, "T-2027-ABUJA-01"):
        assert any(value in line for line in lines), value


def test_a_long_footer_is_printed_whole_on_every_page():
    mission = "Joint International Election Observation Mission to the Federal Republic"
    plan = "Deployment plan for the presidential and national assembly elections, final"
    doc = replace(make_plan(), mission_name=mission, plan_name=plan)
    pages = _lines(render_plan_pdf(doc))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        text = " ".join(page)
        assert f"{mission} \u00b7 {plan}" in text, number
        assert f"page {number} of {len(pages)}" in text


def test_the_coverage_table_is_never_split_when_it_fits_on_a_page():
    from observer_suite.deployment.types import CoverageRow

    for regions in range(12, 40, 3):
        rows = [CoverageRow(f"Region {i:02d}", 3, 40, 5000, 52000) for i in range(regions)]
        doc = replace(make_plan(), coverage=rows)
        pages = [" ".join(page) for page in _lines(render_plan_pdf(doc))]
        first = [n for n, text in enumerate(pages) if "Region 00 " in text]
        last = [n for n, text in enumerate(pages) if "All regions" in text]
        assert first == last, (regions, first, last)
