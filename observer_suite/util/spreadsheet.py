"""Cell values for CSV and XLSX exports, shared by every capability that exports a table.

Text a spreadsheet would run as a formula is defused: CSV cells get a leading quote (the
program opening the file decides what a cell is), XLSX cells are typed as strings (the file
says what a cell is, so the text itself stays as it was).
"""

import re
from datetime import datetime

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control characters a cell should not carry (tab and line breaks stay): shown as U+FFFD,
# so a row stored before intake refused them is exported, marked, and never breaks a file.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def printable(text: str) -> str:
    return CONTROL_RE.sub(REPLACEMENT, text)


def defuse(value):
    """A leading quote on text a spreadsheet would read as a formula (CSV only)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(value) -> str:
    """One CSV cell: ISO times, true/false, lists joined by spaces, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = " ".join(map(str, value))
    return defuse(printable(value)) if isinstance(value, str) else str(value)


def xlsx_cell(sheet, value):
    """One value for a write-only sheet: text that starts with = is typed as text."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)  # local wall-clock time; Excel has no offsets
    if isinstance(value, list):
        value = " ".join(map(str, value))
    if isinstance(value, str):  # control characters break the file (IllegalCharacterError)
        value = ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, printable(value))
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"  # text, never a formula
        return cell
    return value
