"""Fonts for PDF reports.

The PDF standard fonts only cover Latin-1, so names like "Łódź" or Cyrillic place names would
come out as boxes. DejaVu Sans covers Latin, Greek and Cyrillic and ships with Debian
(fonts-dejavu-core); when it is missing we fall back to Helvetica rather than fail.
"""

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

# Standard Debian locations (fonts-dejavu-core, and fonts installed by hand).
FONT_DIRS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/local/share/fonts",
    "/usr/local/share/fonts/truetype/dejavu",
)

_FAMILY = "DejaVuSans"
_FILES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "bold_italic": "DejaVuSans-BoldOblique.ttf",
}


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    italic: str
    bold_italic: str
    unicode: bool  # False: Latin-1 only (Helvetica fallback)


HELVETICA = FontSet(
    "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", unicode=False
)


# (bold, italic, variant) of each face a family maps; reportlab wants 0/1 flags.
_FACES: tuple[tuple[Literal[0, 1], Literal[0, 1], str], ...] = (
    (0, 0, "regular"),
    (1, 0, "bold"),
    (0, 1, "italic"),
)


def load_fonts(dirs: tuple[str, ...] | None = None) -> FontSet:
    """Register DejaVu Sans from the first directory that has it (of FONT_DIRS, read at call
    time so a test can set it), else use Helvetica."""
    for directory in FONT_DIRS if dirs is None else dirs:
        regular = Path(directory) / _FILES["regular"]
        if not regular.is_file():
            continue
        names = {}
        try:
            for variant, filename in _FILES.items():
                path = Path(directory) / filename
                if not path.is_file():
                    path = regular  # a missing variant shows as regular, not as an error
                name = f"{_FAMILY}-{variant}"
                if name not in pdfmetrics.getRegisteredFontNames():
                    pdfmetrics.registerFont(TTFont(name, str(path)))
                names[variant] = name
        except (TTFError, OSError):
            continue
        # Paragraph markup (<b>, <i>) in our own templates needs the family mapping.
        for bold, italic, variant in _FACES:
            addMapping(names["regular"], bold, italic, names[variant])
        addMapping(names["regular"], 1, 1, names["bold_italic"])
        return FontSet(**names, unicode=True)
    return HELVETICA


@functools.cache
def report_fonts() -> FontSet:
    """The process-wide font set (registration is global in reportlab, so do it once)."""
    return load_fonts()
