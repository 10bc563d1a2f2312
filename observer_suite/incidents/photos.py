"""Incident photos as sent: base64 decoded, size-limited, typed by their bytes, safely named.

Plain functions, no database. The declared content type is never trusted alone: the first
bytes must say JPEG, PNG or WebP and agree with it, so a script or an SVG cannot be stored
as a "photo" and served back to a coordinator's browser. Limits are settings
(INCIDENT_MAX_PHOTOS, INCIDENT_PHOTO_MAX_MB) because a mission on satellite links may want
fewer, smaller photos.
"""

import base64
import binascii
import hashlib
import re
import unicodedata
from dataclasses import dataclass

MAX_PHOTOS = 3
MAX_PHOTO_MB = 5
FILENAME_LIMIT = 100
EXTENSIONS = {"image/jpeg": (".jpg", ".jpeg"), "image/png": (".png",), "image/webp": (".webp",)}
UNSAFE_RE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Limits:
    count: int = MAX_PHOTOS
    size: int = MAX_PHOTO_MB * 1024 * 1024  # bytes, decoded

    @classmethod
    def from_config(cls, config) -> "Limits":
        count = int(config.get("INCIDENT_MAX_PHOTOS", MAX_PHOTOS))
        megabytes = float(config.get("INCIDENT_PHOTO_MAX_MB", MAX_PHOTO_MB))
        return cls(count=count, size=int(megabytes * 1024 * 1024))


@dataclass(frozen=True)
class Photo:
    filename: str  # sanitised
    content_type: str
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def sniff(data: bytes) -> str | None:
    """The image type the bytes themselves announce, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def safe_filename(name, content_type: str, index: int) -> str:
    """A name safe in a path and a Content-Disposition header: the last path part in ASCII
    letters, digits, dash and underscore, then the type's one extension (no "x.php.png")."""
    text = name if isinstance(name, str) else ""
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    extensions = EXTENSIONS[content_type]
    if text.lower().endswith(extensions):
        text = text.rsplit(".", 1)[0]
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = UNSAFE_RE.sub("_", text.replace(".", "_")).strip("_-")
    stem = text[: FILENAME_LIMIT - 6] or f"photo-{index + 1}"
    return stem + extensions[0]


def _decode(value) -> bytes | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.startswith("data:") and "," in text:  # a data: URL as a canvas gives it
        text = text.split(",", 1)[1]
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return None


def parse_photo(item, index: int, limits: Limits) -> tuple[Photo | None, str | None]:
    """One photo, or the message for its field `photos.<index>`."""
    if not isinstance(item, dict):
        return None, "must be an object {filename, content_type, data}"
    declared = item.get("content_type")
    declared = declared.split(";")[0].strip().lower() if isinstance(declared, str) else ""
    if declared not in EXTENSIONS:
        return None, "content_type must be image/jpeg, image/png or image/webp"
    raw = item.get("data")
    too_big = f"is larger than {limits.size / (1024 * 1024):g} MB"
    # A cheap bound before decoding: base64 is 4 characters per 3 bytes.
    if isinstance(raw, str) and len(raw) > (limits.size // 3 + 1) * 4 + 4096:
        return None, too_big
    data = _decode(raw)
    if not data:
        return None, "data must be the photo in base64"
    if len(data) > limits.size:
        return None, too_big
    actual = sniff(data)
    if actual is None:
        return None, "is not a JPEG, PNG or WebP image"
    if actual != declared:
        return None, f"is a {actual} image, not {declared}"
    filename = safe_filename(item.get("filename"), actual, index)
    return Photo(filename, actual, data, hashlib.sha256(data).hexdigest()), None


def parse_photos(value, limits: Limits, errors: dict) -> list[Photo]:
    """Every photo of the list; problems go into `errors` as photos or photos.<n>."""
    if value is None:
        return []
    if not isinstance(value, list):
        errors["photos"] = "must be a list of photos"
        return []
    if len(value) > limits.count:
        errors["photos"] = f"at most {limits.count} photos per incident"
        return []
    photos = []
    for index, item in enumerate(value):
        photo, problem = parse_photo(item, index, limits)
        if problem:
            errors[f"photos.{index}"] = problem
        else:
            photos.append(photo)
    return photos
