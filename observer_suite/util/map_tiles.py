"""Which tile server a mission's maps use, and the Content-Security-Policy that admits it.

A tile URL is the one thing a map page loads from another origin, so it is validated (https,
{z}/{x}/{y}, nothing that could break out of an attribute or a CSP) and the map pages admit
exactly its host in img-src. Resolution: the mission's own setting, else the app's
MAP_TILE_URL, else no tiles; "none" at either level turns tiles off.
"""

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from flask import current_app, g

from observer_suite.errors import ServiceError
from observer_suite.models import Mission

NONE = "none"
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_ALLOWED_PLACEHOLDERS = {"s", "z", "x", "y", "r"}
_HOST = re.compile(r"^(\{s\}\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")
_FORBIDDEN = set(" \t\r\n\"'<>\\`;,^|")
ATTRIBUTIONS = {"openstreetmap.org": "© OpenStreetMap contributors"}


class TileError(ServiceError):
    """Why a tile setting is refused."""


def validate_tiles(value: str) -> str:
    """The setting as stored: "none", or an https URL template with {z}, {x} and {y}."""
    text = (value or "").strip()
    if text.lower() == NONE:
        return NONE
    if len(text) > 400:
        raise TileError("The tile URL is longer than 400 characters.")
    if not text.startswith("https://"):
        raise TileError("The tile URL must start with https:// (or be “none”).")
    if _FORBIDDEN & set(text):
        raise TileError("The tile URL contains spaces, quotes or other characters it cannot.")
    names = _PLACEHOLDER.findall(text)
    if not {"z", "x", "y"} <= set(names):
        raise TileError("The tile URL needs {z}, {x} and {y}.")
    if set(names) - _ALLOWED_PLACEHOLDERS or "{" in _PLACEHOLDER.sub("", text):
        raise TileError("Only {s}, {z}, {x}, {y} and {r} may appear in braces.")
    try:
        parts = urlsplit(text.replace("{s}", "a"))
        port = parts.port
    except ValueError as exc:
        raise TileError("The tile URL is not a valid URL.") from exc
    host = text[len("https://") :].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    hostname = host.rsplit(":", 1)[0] if port is not None else host
    if parts.username or parts.password or not _HOST.match(hostname.lower()):
        raise TileError("The tile URL needs a plain host name (no user, no odd characters).")
    if "{" in text[: len("https://") + len(host)].replace("{s}.", "", 1):
        raise TileError("Only {s}. may appear in the host name, at its start.")
    return text


def _valid_or_none(value: str | None) -> str | None:
    if not value:
        return None
    try:
        checked = validate_tiles(value)
    except TileError:
        current_app.logger.warning("ignoring an invalid tile URL setting: %r", value[:80])
        return None
    return None if checked == NONE else checked


def tile_url(mission: Mission | None) -> str | None:
    """The tile URL template the mission's maps use, or None for no background tiles."""
    setting = getattr(mission, "map_tiles", None)
    if setting:
        return _valid_or_none(setting)
    return _valid_or_none(current_app.config.get("MAP_TILE_URL", ""))


def tile_origin(url: str | None) -> str | None:
    """The CSP source for a tile template: "https://host", "https://*.host" for {s}."""
    if not url or not url.startswith("https://"):
        return None
    host = url[len("https://") :].split("/", 1)[0].split("?", 1)[0]
    return "https://" + host.replace("{s}.", "*.", 1)


def tile_attribution(url: str | None) -> str:
    """Credit the tile provider asks for (plain text; OpenStreetMap's policy requires it)."""
    origin = tile_origin(url)
    if origin is None:
        return ""
    host = origin[len("https://") :].split(":", 1)[0]
    for domain, text in ATTRIBUTIONS.items():
        if host == domain or host.endswith("." + domain):
            return text
    return f"Tiles: {host.removeprefix('*.')}"


def use_tiles(mission: Mission | None) -> str | None:
    """tile_url(), remembered for this request so the page's CSP admits exactly that host."""
    url = tile_url(mission)
    g.map_tile_origin = tile_origin(url)
    return url


def map_csp(url: str | None, scripts: Sequence[str] = (), styles: Sequence[str] = ()) -> str:
    """CSP of a map document: own scripts and styles by hash, tiles from one host only."""
    quoted = " ".join(f"'{h}'" for h in scripts)
    styled = " ".join(f"'{h}'" for h in styles)
    origin = tile_origin(url)
    img = "'self' data:" + (f" {origin}" if origin else "")
    return (
        f"default-src 'self'; script-src 'self' {quoted}; style-src 'self' {styled}; "
        f"img-src {img}; font-src 'self'; connect-src 'self'; object-src 'none'; "
        "frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
    ).replace("  ", " ")
