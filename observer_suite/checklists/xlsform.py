"""XLSForm (.xlsx) → canonical definition, through pyxform; all or nothing.

pyxform reads the workbook (get_xlsform) and builds the form JSON (workbook_to_json), which is
converted to the canonical definition and checked by validate_definition. Before pyxform runs,
every row is scanned for features the tablet cannot do, one message per row naming row, column
and feature, so a coordinator sees them all at once; pyxform stops at its first error, so it
only runs when the scan is clean. Row numbers are the spreadsheet's (the header is row 1).
"""

import copy
import io
import logging
import re
from collections import defaultdict, deque

import openpyxl
from pyxform import aliases
from pyxform.errors import PyXFormError
from pyxform.xls2json import RE_SELECT, workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from observer_suite.checklists.definition import KINDS, normalize_definition, validate_definition

logger = logging.getLogger(__name__)
SIMPLE_TYPES = {
    "integer": "integer", "int": "integer", "decimal": "decimal", "text": "text",
    "string": "text", "date": "date", "time": "time", "note": "note",
}  # fmt: skip
TREE_TYPES = {**SIMPLE_TYPES, "group": "group", "select one": "select_one",
              "select all that apply": "select_multiple"}  # fmt: skip
# Metadata the suite records itself (arrival, departure, device, user): accepted and skipped.
METADATA = {"start", "end", "today", "deviceid", "username"}
_MEDIA = "media ({}) is not supported"
_DEVICE = "device metadata ({}) is not supported"
UNSUPPORTED_TYPES = {
    "calculate": "calculations are not supported",
    "hidden": "calculations are not supported",
    "geopoint": "locations (geopoint) are not supported",
    "geotrace": "locations (geotrace) are not supported",
    "geoshape": "locations (geoshape) are not supported",
    "start-geopoint": "locations (start-geopoint) are not supported",
    "background-geopoint": "locations (background-geopoint) are not supported",
    "image": _MEDIA.format("image"),
    "photo": _MEDIA.format("image"),
    "audio": _MEDIA.format("audio"),
    "video": _MEDIA.format("video"),
    "file": _MEDIA.format("file"),
    "background-audio": _MEDIA.format("background audio"),
    "audit": _MEDIA.format("audit log"),
    "barcode": "barcode questions are not supported",
    "acknowledge": "acknowledge questions are not supported",
    "trigger": "acknowledge questions are not supported",
    "datetime": "date-time questions are not supported; use a date and a time",
    "range": "range questions are not supported; use an integer with a constraint",
    "xml-external": "external data is not supported",
    "csv-external": "external data is not supported",
    "phonenumber": _DEVICE.format("phonenumber"),
    "simserial": _DEVICE.format("simserial"),
    "subscriberid": _DEVICE.format("subscriberid"),
    "email": _DEVICE.format("email"),
}
UNSUPPORTED_COLUMNS = {
    "repeat_count": "repeat counts are not supported",
    "jr:count": "repeat counts are not supported",
    "choice_filter": "choice filters (cascading selects) are not supported",
    "calculation": "calculations are not supported",
    "default": "default answers are not supported",
    "read_only": "read-only questions are not supported",
    "readonly": "read-only questions are not supported",
    "trigger": "triggers are not supported",
    "parameters": "question parameters are not supported",
    "required_message": "custom required messages are not supported",
    "requiredmsg": "custom required messages are not supported",
    "jr:requiredmsg": "custom required messages are not supported",
    "noapperrorstring": "external apps are not supported",
    "no_app_error_string": "external apps are not supported",
    "save_to": "entities are not supported",
}
# Columns that only matter with an unsupported type, which is already reported.
IMPLIED_BY_TYPE = {"calculation", "repeat_count", "jr:count", "parameters"}
MEDIA_COLUMNS = {"image", "big-image", "audio", "video", "media"}
UNSUPPORTED_SHEETS = {
    "external_choices": "external choices are not supported",
    "entities": "entities are not supported",
    "osm": "OpenStreetMap questions are not supported",
}
YES = {k for k, v in aliases.yes_no.items() if v} | {"1"}
NO = {k for k, v in aliases.yes_no.items() if not v} | {"0"}
LANGUAGES = {
    "english": "en", "french": "fr", "français": "fr", "francais": "fr", "spanish": "es",
    "español": "es", "portuguese": "pt", "português": "pt", "arabic": "ar", "العربية": "ar",
    "russian": "ru", "русский": "ru", "swahili": "sw", "kiswahili": "sw", "chinese": "zh",
    "中文": "zh", "german": "de", "deutsch": "de", "italian": "it", "ukrainian": "uk",
    "georgian": "ka", "armenian": "hy", "amharic": "am", "hausa": "ha", "somali": "so",
    "pashto": "ps", "dari": "prs", "turkish": "tr", "hindi": "hi", "bengali": "bn",
}  # fmt: skip
CODE_RE = re.compile(r"\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)\)\s*$")
PYXFORM_ROW_RE = re.compile(r"^\[row : (\d+)\]\s*")
PYXFORM_SHEET_RE = re.compile(r"On the '(\w+)' sheet")


def language_code(name: str) -> str:
    """'English (en)' → 'en'; 'Français' → 'fr'; an unknown name → itself, lower-cased."""
    match = CODE_RE.search(name)
    if match:
        return match.group(1).lower()
    key = name.strip().lower()
    return LANGUAGES.get(key, key)


def parse_xlsform(data: bytes, filename: str) -> tuple[dict | None, list[str]]:
    """(definition, []) or (None, every problem found): never raises for a bad file."""
    if not filename.lower().endswith((".xlsx", ".xlsm")):
        return None, [f"{filename}: upload an XLSForm as an .xlsx workbook"]
    try:
        book = get_xlsform(data, file_type=".xlsx")
    except PyXFormError as exc:
        return None, [f"{filename}: not a readable .xlsx workbook ({exc})"]
    except Exception as exc:  # a broken upload must give a message, not a 500
        return None, [f"{filename}: not a readable .xlsx workbook ({type(exc).__name__})"]
    errors = _scan(book)
    if errors:
        return None, errors
    try:
        tree = workbook_to_json(copy.deepcopy(book), warnings=[])
    except PyXFormError as exc:
        return None, [pyxform_message(exc)]
    except Exception as exc:  # pyxform raises more than PyXFormError on odd workbooks
        return None, [f"{filename}: pyxform could not read the form ({type(exc).__name__}: {exc})"]
    try:
        definition = _convert(tree, book)
        definition["checks"] = _read_checks(data, book, definition["default_language"])
        definition = normalize_definition(definition)
    except Exception as exc:  # a shape pyxform allows and we did not foresee
        logger.exception("XLSForm conversion failed for %s", filename)
        return None, [f"{filename}: the form could not be converted ({type(exc).__name__})"]
    errors = validate_definition(definition)
    return (None, errors) if errors else (definition, [])


def pyxform_message(exc: PyXFormError) -> str:
    """pyxform's '[row : 14] …' as 'survey row 14, column relevant: …'."""
    text = str(exc)
    match = PYXFORM_ROW_RE.match(text)
    if not match:
        return f"XLSForm: {text}"
    rest = text[match.end() :]
    context = getattr(exc, "context", None) or {}
    sheet_match = PYXFORM_SHEET_RE.search(rest)
    sheet = context.get("sheet") or (sheet_match.group(1) if sheet_match else "survey")
    column = context.get("column")
    return f"{sheet} row {match.group(1)}" + (f", column {column}" if column else "") + f": {rest}"


# ---------------------------------------------------------------- the unsupported-feature scan


def _scan(book) -> list[str]:
    errors = []
    if not book.survey_header:
        errors.append("survey sheet: missing; an XLSForm needs a survey sheet")
    for sheet, feature in UNSUPPORTED_SHEETS.items():
        if getattr(book, sheet, None) or getattr(book, f"{sheet}_header", None):
            errors.append(f"{sheet} sheet: {feature}")
    for sheet in ("survey", "choices"):
        for row, values in enumerate(getattr(book, sheet) or [], start=2):
            problems = _row_problems(values, sheet)
            if problems:
                errors.append(
                    f"{sheet} row {row}, "
                    + "; ".join(
                        f"column{'s' if ',' in column else ''} {column}: {what}"
                        for column, what in problems
                    )
                )
    return errors


def _row_problems(values: dict, sheet: str) -> list[tuple[str, str]]:
    problems = []
    if sheet == "survey":
        raw = values.get("type", "")
        feature = _type_problem(" ".join(raw.split()))
        if feature:
            problems.append(("type", f"{raw!r} — {feature}"))
    implied = IMPLIED_BY_TYPE if problems else set()
    for column, value in values.items():
        if column.lower() in implied:
            continue
        base = column.split("::")[0].strip().lower()
        if base in MEDIA_COLUMNS:
            problems.append((column, "media (images, audio, video) is not supported"))
        elif sheet == "choices":
            continue
        elif base in UNSUPPORTED_COLUMNS:
            problems.append((column, UNSUPPORTED_COLUMNS[base]))
        elif base in ("body", "bind", "instance") and "::" in column:
            problems.append((column, "custom XForm attributes are not supported"))
        elif base == "required" and value not in YES | NO:
            problems.append((column, f"{value!r} — a condition is not supported; use yes or no"))
        elif base == "appearance" and value.startswith("ex:"):
            problems.append((column, "external apps (ex:…) are not supported"))
    merged: dict[str, list[str]] = {}
    for column, what in problems:
        merged.setdefault(what, []).append(column)
    return [(", ".join(columns), what) for what, columns in merged.items()]


def _type_problem(kind: str) -> str | None:
    """Why the survey type `kind` cannot be imported, or None when it can."""
    lowered = kind.lower()
    control = re.sub(r"[\s_]+", " ", lowered)
    if control in ("begin repeat", "begin loop"):
        return "repeats are not supported"
    if control in ("end repeat", "end loop", "begin group", "end group", ""):
        return None  # end repeat: reported on its begin row; "": pyxform names the row
    select = RE_SELECT.match(kind)
    if select:
        command = select.group("select_command")
        if command in aliases.select_from_file:
            return "choices from a file (select_one_from_file) are not supported"
        meaning = aliases.select.get(command)
        if meaning == "select one external":
            return "external choices (select_one_external) are not supported"
        if meaning == "rank":
            return "rank questions are not supported"
        if select.group("specify_other"):
            return "'or_other' is not supported; add an 'other' choice and a text question"
        return None
    if lowered.startswith(("select_one_from_file", "select_multiple_from_file")):
        return "choices from a file (select_one_from_file) are not supported"
    if lowered.startswith("select_one_external"):
        return "external choices (select_one_external) are not supported"
    if lowered in SIMPLE_TYPES or lowered in METADATA:
        return None
    if lowered.startswith("uri:"):
        return _DEVICE.format(kind)
    if lowered.startswith("osm"):
        return "OpenStreetMap questions are not supported"
    return UNSUPPORTED_TYPES.get(lowered) or "unknown question type"


# ---------------------------------------------------------------- pyxform JSON → canonical


def _settings(book) -> dict:
    settings = dict((book.settings or [{}])[0])
    for alias, key in (("id_string", "form_id"), ("set_form_id", "form_id")):
        settings.setdefault(key, settings.get(alias))
    return settings


def guess_kind(*texts: str) -> str:
    words = " ".join(t for t in texts if t).lower()
    for stem, kind in (("tabul", "tabulation"), ("count", "counting"), ("clos", "closing"),
                       ("open", "opening"), ("vot", "voting"), ("poll", "voting")):  # fmt: skip
        if stem in words:
            return kind
    return "other"


def _survey_rows(book) -> dict[str, deque]:
    """The sheet row numbers of each named survey line, in order, so a converted question
    can say which row of the workbook it came from."""
    rows: dict[str, deque] = defaultdict(deque)
    for row, values in enumerate(book.survey or [], start=2):
        kind = re.sub(r"[\s_]+", " ", values.get("type", "").lower()).strip()
        if values.get("name") and kind not in ("end group", "end repeat"):
            rows[values["name"]].append(row)
    return rows


def _question(element: dict, labels, group: str | None, row: int | None) -> dict:
    """One element of pyxform's tree as a question of our definition."""
    kind = element.get("type")
    bind = element.get("bind", {})
    question = {
        "name": element.get("name"),
        "type": TREE_TYPES.get(kind, kind) if isinstance(kind, str) else kind,
    }
    optional = (
        ("label", labels(element.get("label"))),
        ("hint", labels(element.get("hint"))),
        ("relevant", bind.get("relevant")),
        ("constraint", bind.get("constraint")),
        ("constraint_message", labels(bind.get("jr:constraintMsg"))),
        ("choices", element.get("list_name")),
    )
    question.update({key: value for key, value in optional if value})
    if bind.get("required") in YES:
        question["required"] = True
    if element.get("critical"):
        question["critical"] = re.split(r"[\s,]+", str(element["critical"]).strip())
    question["group"] = group
    question["row"] = row
    return question


def _convert(tree: dict, book) -> dict:
    settings = _settings(book)
    default = language_code(settings.get("default_language") or "en")
    languages = [default]

    def labels(value) -> dict | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            return {default: str(value)}
        out = {}
        for name, text in value.items():
            code = default if name == "default" else language_code(name)
            out[code] = str(text)
            if code not in languages:
                languages.append(code)
        return out

    rows = _survey_rows(book)
    questions: list[dict] = []

    def walk(children: list, group: str | None) -> None:
        for element in children:
            kind, name = element.get("type"), element.get("name")
            if kind == "group" and name == "meta" and element.get("control", {}).get("bodyless"):
                continue
            row = rows[name].popleft() if rows[name] else None
            if kind in METADATA:
                continue
            questions.append(_question(element, labels, group, row))
            if kind == "group":
                walk(element.get("children", []), name)

    walk(tree.get("children", []), None)
    choices = {
        name: [
            {"name": str(c.get("name")), "label": labels(c.get("label")) or {default: c["name"]}}
            for c in items
        ]
        for name, items in (tree.get("choices") or {}).items()
    }
    form_id = settings.get("form_id") or ""
    title = settings.get("form_title") or tree.get("title") or form_id
    kind = settings.get("kind") if settings.get("kind") in KINDS else guess_kind(form_id, title)
    return {
        "form_id": form_id,
        "version": settings.get("version") or "",
        "kind": kind,
        "title": {default: title},
        "default_language": default,
        "languages": languages,
        "questions": questions,
        "choices": choices,
        "checks": [],
    }


def _read_checks(data: bytes, book, default: str) -> list[dict]:
    """The optional `checks` sheet (our extension; pyxform skips unknown sheets): columns id,
    expression, message[::language], requires (names, space-separated)."""
    names = [s for s in (book.sheet_names or []) if s.strip().lower() == "checks"]
    if not names:
        return []
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        rows = list(workbook[names[0]].iter_rows(values_only=True))
    finally:
        workbook.close()
    if not rows:
        return []
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    checks = []
    for number, cells in enumerate(rows[1:], start=2):
        values = {h: str(v).strip() for h, v in zip(header, cells, strict=False) if h and v}
        if not values:
            continue
        message = {}
        for column, text in values.items():
            if column.split("::")[0].lower() == "message":
                _, _, language = column.partition("::")
                message[language_code(language) if language else default] = text
        check: dict[str, object] = {
            "id": values.get("id", ""),
            "expression": values.get("expression", ""),
        }
        check["message"] = message
        if values.get("requires"):
            check["requires"] = re.split(r"[\s,]+", values["requires"])
        check["row"] = number
        checks.append(check)
    return checks
