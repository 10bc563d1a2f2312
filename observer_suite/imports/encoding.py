"""Which encoding a CSV file is in, found without decoding the whole file at once.

Excel saves CSV in cp1252 unless told otherwise, so a file that is not UTF-8 is read as
cp1252 (Latin-1 when it has bytes cp1252 leaves undefined). A file that mixes the two, UTF-8
lines and then a line pasted in by a program that wrote cp1252, is refused with the line
where the encoding changes: any single choice would turn part of it into mojibake.
"""

import re

from observer_suite.imports.errors import ImportFileError

CHUNK = 1 << 20
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_RESAVE = "save it again as “CSV UTF-8” and upload that"


def detect_encoding(data: bytes) -> str:
    """'utf-8-sig', 'cp1252' or 'latin-1'; ImportFileError when the file mixes encodings."""
    if data.isascii():
        return "utf-8-sig"
    bad = _first_invalid_utf8(data)
    if bad is None:
        return "utf-8-sig"
    earlier = _NON_ASCII.search(data, 0, bad)
    if earlier is not None:
        raise ImportFileError(
            f"line {line_of(data, bad)}: this line is not UTF-8 but line "
            f"{line_of(data, earlier.start())} is; the file mixes two encodings: {_RESAVE}"
        )
    later = _first_utf8_line(data, bad)
    if later is not None:
        raise ImportFileError(
            f"line {later}: this line is UTF-8 but line {line_of(data, bad)} is not; "
            f"the file mixes two encodings: {_RESAVE}"
        )
    return "latin-1" if _CP1252_UNDEFINED.search(data) else "cp1252"


def line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def _first_invalid_utf8(data: bytes) -> int | None:
    """Offset of the first byte that is not valid UTF-8, decoding one chunk at a time."""
    start = 0
    while start < len(data):
        end = min(start + CHUNK, len(data))
        for _ in range(3):  # end before a character, not inside one
            if end < len(data) and 0x80 <= data[end] < 0xC0:
                end -= 1
        try:
            data[start:end].decode("utf-8")
        except UnicodeDecodeError as exc:
            return start + exc.start
        start = end
    return None


def _first_utf8_line(data: bytes, start: int) -> int | None:
    """The first line after `start` that is valid UTF-8 and has a multi-byte character."""
    position = start
    while (found := _UTF8_SEQUENCE.search(data, position)) is not None:
        begin = data.rfind(b"\n", 0, found.start()) + 1
        end = data.find(b"\n", found.end())
        end = len(data) if end == -1 else end
        try:
            data[begin:end].decode("utf-8")
        except UnicodeDecodeError:
            position = end + 1
            continue
        return line_of(data, begin)
    return None
