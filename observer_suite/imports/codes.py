"""Codes in one canonical form: no invisible characters, no look-alike digits.

A code copied from a web page or a word processor can carry a zero-width space, a
byte-order mark or a no-break space, and one typed on an Arabic keyboard can mix ٠-٩ with
0-9: each looks like the plain code on screen but would be another station, or another
observer. So a code is normalised (format characters such as U+200B removed, NFKC, every
decimal digit written 0-9, dashes as "-" and other spaces as " ") and the change reported
as a warning on its line; two codes that look the same are then the same code, and a
duplicate. Letters that look alike across scripts (Cyrillic "А", Latin "A") are left alone.
"""

import unicodedata


def canonical_code(value: str) -> tuple[str, str | None]:
    """The code to store, and a warning saying what changed (None when nothing did)."""
    if value.isascii():
        return value, None
    text = "".join(c for c in value if unicodedata.category(c) != "Cf")
    text = unicodedata.normalize("NFKC", text)
    text = "".join(_plain(c) for c in text).strip()
    if text == value:
        return value, None
    changed = dict.fromkeys(c for c in value if not c.isascii() and c not in text)
    names = ", ".join(_name(c) for c in list(changed)[:5])
    return text, f"{value!r} was read as {text!r} (it had {names})"


def _plain(c: str) -> str:
    if c.isascii():
        return c
    if c.isdecimal():
        return str(unicodedata.decimal(c))
    if c.isspace():
        return " "
    if unicodedata.category(c) == "Pd":
        return "-"
    return c


def _name(c: str) -> str:
    return f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed character')}"
