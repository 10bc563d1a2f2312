"""Helpers for incident intake tests: a report body, small real images, and the POST.

The mission itself is tests/api/fixtures.py's `field` (T01 plans S001-S002, T02 S003-S004).
"""

import base64
import struct
import uuid as uuid_module
import zlib

from tests.conftest import csrf_token


def _png(width: int = 2, height: int = 2) -> bytes:
    """A real PNG (grey pixels), so the bytes are an image and not only a header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = _png()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 16


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def photo(data: bytes = PNG, content_type: str = "image/png", filename: str = "p.png") -> dict:
    return {"filename": filename, "content_type": content_type, "data": b64(data)}


def incident(station: str | None = "S001", **changes) -> dict:
    body = {
        "uuid": str(uuid_module.uuid4()),
        "category": "voter_intimidation",
        "severity": "high",
        "occurred_at": "2027-02-25T09:15:00+01:00",
        "title": "Party agents questioning voters at the door",
        "description": "Two agents ask voters whom they will vote for.\nPolice absent.",
    }
    if station:
        body["station_code"] = station
    body.update(changes)
    return body


def post_incident(client, body, token: str | None = None, **kwargs):
    """POST /api/v1/incidents as the tablet does (cookie + X-CSRFToken) or with a token."""
    headers = {"Authorization": f"Bearer {token}"} if token else {"X-CSRFToken": csrf_token(client)}
    return client.post("/api/v1/incidents", json=body, headers=headers, **kwargs)
