"""Uploaded files kept between the preview and "Import now", so nobody chooses them twice.

Each upload is stored under a random token in the instance folder (IMPORT_UPLOAD_DIR to
put it elsewhere), never under a name the user gave, with a small JSON record of who
uploaded it, for which mission and kind, and the mapping last previewed. Only that user
can use the token; files expire after UPLOAD_TTL seconds and the upload itself is deleted
once imported (the refused rows of a --skip-invalid import stay until they expire). Its
size is bounded by the request limit, MAX_CONTENT_LENGTH.
"""

import contextlib
import json
import os
import re
import secrets
import time
from pathlib import Path

from flask import current_app

UPLOAD_TTL = 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
_SUFFIXES = (".data", ".json", ".rejects.csv")


def _folder() -> Path:
    folder = current_app.config.get("IMPORT_UPLOAD_DIR") or Path(current_app.instance_path)
    path = Path(folder) / "import-uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _expire(folder: Path) -> None:
    cutoff = time.time() - UPLOAD_TTL
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:  # another request expired it first
            pass


def store(data: bytes, record: dict) -> str:
    folder = _folder()
    _expire(folder)
    token = secrets.token_urlsafe(24)
    _write(folder / f"{token}.data", data)
    _write(folder / f"{token}.json", json.dumps(record).encode())
    return token


def _write(path: Path, content: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(content)


def record(token: str, owner: dict) -> dict | None:
    """The stored record when `token` is a live upload of this owner (user, mission, kind)."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    path = _folder() / f"{token}.json"
    try:
        if path.stat().st_mtime < time.time() - UPLOAD_TTL:
            discard(token, everything=True)
            return None
        stored = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if any(stored.get(key) != value for key, value in owner.items()):
        return None
    return stored


def update(token: str, stored: dict) -> None:
    _write(_folder() / f"{token}.json", json.dumps(stored).encode())


def data(token: str) -> bytes | None:
    try:
        return (_folder() / f"{token}.data").read_bytes()
    except OSError:
        return None


def save_rejects(token: str, content: bytes) -> None:
    _write(_folder() / f"{token}.rejects.csv", content)


def rejects(token: str) -> bytes | None:
    try:
        return (_folder() / f"{token}.rejects.csv").read_bytes()
    except OSError:
        return None


def discard(token: str, everything: bool = False) -> None:
    """Delete the upload (after its import); with `everything`, its record and rejects too."""
    for suffix in _SUFFIXES if everything else (".data",):
        with contextlib.suppress(OSError):
            (_folder() / f"{token}{suffix}").unlink()
