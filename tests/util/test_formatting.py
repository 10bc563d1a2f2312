"""Escaping and number formats shared by reports."""

from reportlab.platypus import Paragraph

from observer_suite.util.formatting import (
    MISSING,
    clean,
    esc,
    fmt_coords,
    fmt_int,
    fmt_share,
    para,
    truncate,
    valid_point,
)
from observer_suite.util.pdf_styles import report_styles


def test_escape_keeps_markup_literal_and_drops_control_characters():
    assert esc("<b>X</b> & <font size=40>") == "&lt;b&gt;X&lt;/b&gt; &amp; &lt;font size=40&gt;"
    assert clean("a\x00b\x07c\td\ne") == "abc\td\ne"
    assert clean(None) == ""
    p = para("<font size=40>big</font>", report_styles().body)
    assert isinstance(p, Paragraph)
    assert p.getPlainText() == "<font size=40>big</font>"
    assert para("  ", report_styles().body, MISSING).getPlainText() == MISSING


def test_formats():
    assert fmt_int(1234567) == "1,234,567"
    assert fmt_share(5, 40) == "12.5%"
    assert fmt_share(5, 0) == "n/a"
    assert fmt_coords(9.07654321, 7.39) == "9.07654, 7.39000"
    assert fmt_coords(None, 7.0) == MISSING
    assert not valid_point(float("nan"), 0) and not valid_point(91, 0) and valid_point(-90, 180)


def test_truncate_fits_width():
    text = truncate("A very long mission name " * 10, "Helvetica", 8, 100)
    assert text.endswith("\u2026") and len(text) < 60
    assert truncate("short", "Helvetica", 8, 100) == "short"
