"""Builders for the malformed files the hardening tests feed the import (no test here)."""

import io
import struct
import zipfile

from openpyxl import Workbook

STATIONS_HEADER = "state,lga,ward,code,name,registered_voters"
SHEET = "xl/worksheets/sheet1.xml"


def stations_csv(*rows: str, header: str = STATIONS_HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def station_rows(count: int) -> list[list]:
    return [["state", "lga", "ward", "code", "name"]] + [
        ["A", "B", "C", f"{n:05d}", f"Station {n}"] for n in range(count)
    ]


def rezip(data: bytes, replace: dict[str, bytes] | None = None, method: int | None = None) -> bytes:
    """The archive with some members' content replaced (or added), or all compressed with
    `method`."""
    replace = dict(replace or {})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = replace.pop(info.filename, None) or source.read(info)
            info.compress_type = method if method is not None else zipfile.ZIP_DEFLATED
            target.writestr(info, content)
        for name, content in replace.items():
            target.writestr(name, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sheet_xml(rows: str, dimension: str | None = None) -> bytes:
    """A worksheet part whose <sheetData> is `rows` (hand-written <row> elements)."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dim}<sheetData>{rows}</sheetData></worksheet>"
    ).encode()


def inline_row(number: int, *values: str) -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """The archive with `name`'s uncompressed size in both its headers set to `size`: a zip
    that says it unpacks to more (or less) than it does."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    struct.pack_into("<I", patched, info.header_offset + 22, size)  # local file header
    encoded = name.encode()
    position = 0
    while (position := patched.find(b"PK\x01\x02", position)) != -1:  # central directory
        length = struct.unpack_from("<H", patched, position + 28)[0]
        if bytes(patched[position + 46 : position + 46 + length]) == encoded:
            struct.pack_into("<I", patched, position + 24, size)
        position += 4
    return bytes(patched)


def streamed_member(data: bytes, name: str, chunks) -> bytes:
    """The archive with `name` rewritten from an iterable of byte chunks (never all in memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info), zipfile.ZIP_DEFLATED)
                continue
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with target.open(info, "w") as member:
                for chunk in chunks:
                    member.write(chunk)
    return out.getvalue()
