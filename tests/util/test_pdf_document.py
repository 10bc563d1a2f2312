"""Page furniture: "page N of M", watermark, outline, metadata; fonts with fallback."""

import io

import pypdf
from reportlab.platypus import PageBreak, Paragraph

from observer_suite.util.pdf_document import OutlineEntry, PageSetup, build_pdf
from observer_suite.util.pdf_fonts import FONT_DIRS, HELVETICA, load_fonts, report_fonts
from observer_suite.util.pdf_styles import report_styles


def test_page_numbers_outline_and_metadata():
    fonts = report_fonts()
    st = report_styles(fonts)
    story = []
    for i in range(3):
        story += [OutlineEntry(f"k{i}", f"Part {i} (\u0141\u00f3d\u017a)", 0)]
        story += [Paragraph(f"Body {i}", st.body), PageBreak()]
    setup = PageSetup(title="Title (x) \\ y", footer="Footer", fonts=fonts, watermark="DRAFT")
    reader = pypdf.PdfReader(io.BytesIO(build_pdf(story[:-1], setup)))
    assert len(reader.pages) == 3
    for n, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"page {n} of 3" in text and "Footer" in text and "DRAFT" in text
    assert [o.title for o in reader.outline] == [f"Part {i} (Łódź)" for i in range(3)]
    assert [reader.get_destination_page_number(o) for o in reader.outline] == [0, 1, 2]
    assert reader.metadata.title == "Title (x) \\ y"


def test_fonts_fall_back_to_helvetica():
    assert load_fonts(("/nonexistent",)) == HELVETICA
    fonts = load_fonts(FONT_DIRS)
    assert fonts.unicode == (fonts != HELVETICA)
