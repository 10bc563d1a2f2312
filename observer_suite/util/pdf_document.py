"""Page furniture shared by PDF reports: footer with "page N of M", watermark, outline.

"of M" is a form XObject drawn on every page and defined once the page count is known, so the
document is laid out in a single pass (no second build just to count pages).
"""

import functools
import io
import math
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

from observer_suite.util.formatting import clean, truncate
from observer_suite.util.pdf_fonts import FontSet
from observer_suite.util.pdf_styles import MUTED, RULE

_TOTAL_FORM = "pageTotal"
_FOOTER_SIZE = 7.5


class _TotalPagesCanvas(Canvas):
    """Counts finished pages and, on save, defines the form that shows the total."""

    def __init__(self, *args, footer_font: str = "Helvetica", **kwargs):
        super().__init__(*args, **kwargs)
        self._finished_pages = 0
        self._footer_font = footer_font

    def showPage(self):  # noqa: N802 - reportlab's name
        self._finished_pages += 1
        super().showPage()

    def save(self):
        self.beginForm(_TOTAL_FORM)
        self.setFont(self._footer_font, _FOOTER_SIZE)
        self.setFillColor(MUTED)
        self.drawString(0, 0, str(self._finished_pages))
        self.endForm()
        super().save()


class OutlineEntry(Flowable):
    """An invisible flowable that adds a PDF bookmark (outline entry) for its page."""

    def __init__(self, key: str, title: str, level: int = 0, closed: bool = False):
        super().__init__()
        self.key, self.title, self.level, self.closed = key, clean(title), level, closed
        self.width = self.height = 0

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self):
        self.canv.bookmarkHorizontal(self.key, 0, 0)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=self.closed)


@dataclass(frozen=True)
class PageSetup:
    title: str
    footer: str  # left part of the footer, e.g. mission and plan
    fonts: FontSet
    author: str = ""
    subject: str = ""
    watermark: str = ""  # e.g. "DRAFT"; empty for none
    pagesize: tuple[float, float] = A4
    margin: float = 1.8 * cm
    page_label: str = "page {page} of"  # before the total; e.g. "page {page} sur" in French


_FOOTER_MIN_SIZE = 6
_FOOTER_LINES = 3  # lines at most below the rule, all within the bottom margin


@functools.lru_cache(maxsize=16)
def footer_lines(setup: PageSetup, width: float) -> list[tuple[str, float]]:
    """The footer as (line, font size) pairs: whole, never cut off. Smaller type first, then
    wrapped at spaces onto up to three lines; only text beyond that is shortened."""
    text = " ".join(clean(setup.footer).split())
    font, size = setup.fonts.regular, _FOOTER_SIZE
    while size > _FOOTER_MIN_SIZE and stringWidth(text, font, size) > width:
        size -= 0.5
    lines = simpleSplit(text, font, size, width) or [""]
    if len(lines) > _FOOTER_LINES:
        rest = " ".join(lines[_FOOTER_LINES - 1 :])
        lines = [*lines[: _FOOTER_LINES - 1], truncate(rest, font, size, width)]
    return [(line, size) for line in lines]


def _decorate(canvas: Canvas, doc, setup: PageSetup) -> None:
    width, height = setup.pagesize
    if setup.watermark:
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.09))
        # As large as fits along the diagonal, at most 110 pt.
        size = min(
            110,
            0.8
            * math.hypot(width, height)
            / max(canvas.stringWidth(clean(setup.watermark), setup.fonts.bold, 1), 1),
        )
        canvas.setFont(setup.fonts.bold, size)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(math.degrees(math.atan2(height, width)))
        canvas.drawCentredString(0, -size / 3, clean(setup.watermark))
        canvas.restoreState()
    canvas.saveState()
    y = setup.margin * 0.55
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(setup.margin, y + 10, width - setup.margin, y + 10)
    canvas.setFont(setup.fonts.regular, _FOOTER_SIZE)
    canvas.setFillColor(MUTED)
    numbers = setup.page_label.format(page=9999) + " 9999"
    numbers_width = canvas.stringWidth(numbers, setup.fonts.regular, _FOOTER_SIZE)
    for number, line in enumerate(footer_lines(setup, width - 2 * setup.margin - numbers_width)):
        canvas.setFont(setup.fonts.regular, line[1])
        canvas.drawString(setup.margin, y - number * (line[1] + 1.5), line[0])
    canvas.setFont(setup.fonts.regular, _FOOTER_SIZE)
    label = setup.page_label.format(page=canvas.getPageNumber()) + " "
    x = width - setup.margin - numbers_width
    canvas.drawString(x, y, label)
    canvas.translate(x + canvas.stringWidth(label, setup.fonts.regular, _FOOTER_SIZE), y)
    canvas.doForm(_TOTAL_FORM)
    canvas.restoreState()


def build_pdf(story: list, setup: PageSetup) -> bytes:
    """Lay out `story` on pages with the shared footer, watermark and metadata."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=setup.pagesize,
        leftMargin=setup.margin,
        rightMargin=setup.margin,
        topMargin=setup.margin,
        bottomMargin=setup.margin,
        title=clean(setup.title),
        author=clean(setup.author),
        subject=clean(setup.subject),
        creator="Observer Suite",
    )
    decorate = functools.partial(_decorate, setup=setup)
    doc.build(
        story,
        onFirstPage=decorate,
        onLaterPages=decorate,
        canvasmaker=functools.partial(_TotalPagesCanvas, footer_font=setup.fonts.regular),
    )
    return buffer.getvalue()


def frame_size(setup: PageSetup) -> tuple[float, float]:
    """Width and height available to flowables (SimpleDocTemplate pads frames by 6pt)."""
    width, height = setup.pagesize
    return width - 2 * setup.margin - 12, height - 2 * setup.margin - 12
