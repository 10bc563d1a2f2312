"""What every intake body must pass before it is parsed or stored: nesting and text.

Shared by observation and incident intake (POST /api/v1/submissions and /incidents). Both
checks are built to cost almost nothing on an ordinary body, which is the election-day hot
path (benchmarks/ingest.py):
- nesting: a body whose arrays and objects nest deeper than MAX_DEPTH is refused before the
  JSON parser sees it (hashing or walking 1,000 levels raised RecursionError, a 500). Two
  byte counts settle an ordinary body; only one with many brackets is scanned, and one with
  more than MAX_CONTAINERS arrays and objects is refused without looking further.
- text: control characters (C0 but tab, line feed and carriage return; DEL; C1) and lone
  surrogates are refused in every string of the body, keys included, with the field named.
  PostgreSQL cannot turn a JSON "\\u0000" into text, so one such answer broke every statistic
  of the mission. A search of the raw bytes decides whether the parsed body needs a walk:
  in JSON these characters arrive as escapes (\\u0000, \\b, \\f) or as DEL/C1 bytes.
"""

import re

MAX_DEPTH = 32  # arrays/objects inside each other; an intake body needs 3
MAX_CONTAINERS = 10_000  # arrays and objects in one body; an intake body holds a few dozen
CONTROL_MESSAGE = "holds control characters (e.g. NUL); send printable text"

# What in the raw bytes may decode to a refused character: an escape of C0, DEL, C1 or a
# surrogate, the short escapes \b and \f, a DEL byte, C1 in UTF-8. Raw C0 bytes need no
# search: the parser refuses them. Searched as literal prefixes, which is fast; a hit only
# means a walk (a \u000a line feed, or an escaped backslash before "b", hits too).
_ESCAPE_RE = re.compile(rb"\\(?:u(?:00[01]|007[fF]|00[89]|[dD][89a-fA-F])|[bf])")
_C1_RE = re.compile(rb"\xc2[\x80-\x9f]")
TEXT_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
KEY_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # keys are one line

_STRING_RE = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_OTHER_BYTES = bytes(b for b in range(256) if b not in b"[]{}")
_SAME_BRACKETS = bytes.maketrans(b"{}", b"[]")


def structure_problem(raw: bytes, limit: int = MAX_DEPTH) -> str | None:
    """What is wrong with the nesting of this JSON text, or None: deeper than `limit`, or
    more than MAX_CONTAINERS arrays and objects (which bounds the cost of looking). Brackets
    inside strings do not count. Text that is not JSON may pass; the parser refuses it."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return None
    brackets = _STRING_RE.sub(b"", raw).translate(_SAME_BRACKETS, _OTHER_BYTES)
    if brackets.count(b"[") > MAX_CONTAINERS:
        return f"the body holds more than {MAX_CONTAINERS:,} arrays and objects"
    # Each pass drops the innermost pairs, exactly one level (replace does not rescan what
    # it joins): nesting of depth d is gone after d passes.
    for _ in range(limit):
        shorter = brackets.replace(b"[]", b"")
        if len(shorter) == len(brackets):
            break
        brackets = shorter
    # Left over: deeper nesting, or brackets that do not pair up (not JSON: the parser's).
    if brackets and brackets.count(b"[") == brackets.count(b"]"):
        return f"the body nests arrays and objects more than {limit} deep"
    return None


def suspect(raw: bytes) -> bool:
    """Whether the raw body may hold a refused character (then the parsed one is walked)."""
    return _ESCAPE_RE.search(raw) is not None or b"\x7f" in raw or _C1_RE.search(raw) is not None


def printable(value):
    """Text with refused characters shown as U+FFFD (rows stored before intake refused
    them); anything else as it is."""
    return TEXT_CONTROL_RE.sub("\ufffd", value) if isinstance(value, str) else value


def _name(path: str, key) -> str:
    key = KEY_CONTROL_RE.sub("\ufffd", str(key))  # the name itself must be printable
    return f"{path}.{key}" if path else key


def control_fields(value) -> dict[str, str]:
    """{field path: message} for every string holding a refused character, keys included:
    "answers.q3", "photos.0.filename". Iterative: the depth of what it walks is not its own."""
    found: dict[str, str] = {}
    stack = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if TEXT_CONTROL_RE.search(item):
                found[path or "body"] = CONTROL_MESSAGE
        elif isinstance(item, dict):
            for key, child in item.items():
                name = _name(path, key)
                if isinstance(key, str) and KEY_CONTROL_RE.search(key):
                    found[name] = "the name " + CONTROL_MESSAGE
                else:
                    stack.append((name, child))
        elif isinstance(item, list):
            stack.extend((_name(path, i), child) for i, child in enumerate(item))
    return dict(sorted(found.items()))


def text_problems(payload, raw: bytes | None) -> dict[str, str]:
    """control_fields(payload), walked only when the raw body may hold such a character
    (always when the raw body is not at hand)."""
    if raw is not None and not suspect(raw):
        return {}
    return control_fields(payload)
