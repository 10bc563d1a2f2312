"""Small helpers shared by the incident page tests."""

import re

from tests.conftest import CSRF_RE

BASE = "/missions/field/incidents"


def row_ids(page: str) -> list[int]:
    """Incident ids of the list table's rows, in page order."""
    return [int(i) for i in re.findall(r'<tr data-id="(\d+)"', page)]


def token(client, url: str = "/missions/field") -> str:
    """The session's CSRF token, from any page with a form (every page has the log-out one)."""
    return CSRF_RE.search(client.get(url).get_data(as_text=True)).group(1)


def logout(client) -> None:
    client.post("/logout", data={"csrf_token": token(client)})
