"""Turning user data into safe report text.

Paragraphs parse a small XML markup, so a name like "<font size=40>" would restyle the page or
abort the build. Every user string goes through `esc` (or `para`) before it becomes markup;
our own markup (<b>, <br/>) is added around already-escaped text only.
"""

import functools
import math
import re
from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph

# C0 controls other than tab/newline are invalid in XML and break the paragraph parser.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MISSING = "\u2014"  # em dash: an empty cell that is clearly empty, not forgotten
CELL_LIMIT = 300


def clean(value: object) -> str:
    """Plain text without control characters (for canvas strings, outlines, metadata)."""
    return _CONTROL.sub("", "" if value is None else str(value))


def shorten(text: str, limit: int | None) -> str:
    return text if limit is None or len(text) <= limit else text[:limit] + "\u2026"


def esc(value: object, limit: int | None = None) -> str:
    """Escape user text for Paragraph markup, optionally cut to `limit` characters."""
    return escape(shorten(clean(value), limit))


def para(value: object, style, missing: str = "", limit: int | None = CELL_LIMIT) -> Paragraph:
    """A Paragraph showing `value` literally.

    Text is cut at `limit` characters because a table row cannot break across pages: one
    absurdly long name would otherwise make the row taller than a page and abort the build.
    """
    text = shorten(clean(value), limit)
    return Paragraph(escape(text) if text.strip() else escape(missing), style)


def fmt_int(value: int | None) -> str:
    return "n/a" if value is None else f"{value:,}"


def fmt_share(numerator: float, denominator: float) -> str:
    """A share as a percentage, or "n/a" when the denominator is unknown (0)."""
    if not denominator:
        return "n/a"
    return f"{100 * numerator / denominator:.1f}%"


def fmt_km(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.1f} km"


def valid_point(lat: float | None, lon: float | None) -> bool:
    """Coordinates usable for drawing: present, finite and on the globe."""
    if lat is None or lon is None:
        return False
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return False
    return math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180


def fmt_coords(lat: float | None, lon: float | None) -> str:
    if lat is None or lon is None or not valid_point(lat, lon):
        return MISSING
    return f"{float(lat):.5f}, {float(lon):.5f}"


def truncate(text: str, font: str, size: float, width: float) -> str:
    """Shorten canvas text to `width` points with an ellipsis (canvas text does not wrap)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text + "\u2026"


MIN_UNBROKEN_SIZE = 5.5  # smallest font a code, phone or e-mail is shrunk to


def unbroken(value: object, style, width: float, missing: str = "") -> Paragraph:
    """A Paragraph for a station code, phone number or e-mail that never breaks across lines.

    Paragraphs break at spaces, hyphens, slashes and inside long words, so "NG-LA-0012" could
    end up as "NG-LA-" over "0012". Here the text is set smaller until it fits `width` (the
    cell's inner width) on one line; if it is still too wide at MIN_UNBROKEN_SIZE it stays one
    line anyway (no word splitting, spaces made non-breaking) rather than be read wrongly.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = shorten(clean(value), CELL_LIMIT).strip() or missing
    natural = stringWidth(text, style.fontName, style.fontSize)
    size = style.fontSize
    if natural > width > 0:
        size = max(MIN_UNBROKEN_SIZE, math.floor(2 * style.fontSize * width / natural) / 2)
        if natural * size / style.fontSize > width:
            text = text.replace(" ", "\u00a0")
    return Paragraph(escape(text), _unbroken_style(style, size))


@functools.lru_cache(maxsize=64)
def _unbroken_style(style, size: float):
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(
        f"{style.name}_unbroken_{size}",
        parent=style,
        fontSize=size,
        leading=max(style.leading, size * 1.2),
        splitLongWords=0,
    )
