"""Where to go after login: only a path of this site, read the way a browser would read it."""

import re
from urllib.parse import unquote, urljoin, urlsplit

MAX_LENGTH = 2000
# Browsers drop tabs and newlines anywhere in a URL and strip C0 controls and spaces around
# it, and read a backslash as a slash: "/\t/evil.example" and "/\\evil.example" are
# "//evil.example" to them, another host.
_DROPPED = re.compile(r"[\t\n\r]")
_AROUND = "".join(chr(c) for c in range(0x21))
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _as_browser_reads(target: str) -> str:
    return _DROPPED.sub("", target).strip(_AROUND).replace("\\", "/")


def _is_local_path(url: str, host_url: str) -> bool:
    if not url.startswith("/") or url.startswith("//") or _CONTROL.search(url):
        return False
    resolved = urlsplit(urljoin(host_url, url))
    base = urlsplit(host_url)
    return (resolved.scheme, resolved.netloc) == (base.scheme, base.netloc) and not (
        resolved.path.startswith("//")
    )


def safe_next(target: str | None, host_url: str) -> str | None:
    """`target` when it is a path on `host_url`'s origin, else None (the caller goes home).

    Only an absolute path is taken, never a URL with a scheme or host, even our own. The
    percent-decoded form must pass too, as a proxy or server behind us may decode it."""
    if not target or len(target) > MAX_LENGTH:
        return None
    url = _as_browser_reads(target)
    decoded = _as_browser_reads(unquote(url))
    if _is_local_path(url, host_url) and _is_local_path(decoded, host_url):
        return url
    return None
