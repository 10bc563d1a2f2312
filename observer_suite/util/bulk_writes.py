"""Many rows written in a few statements: executemany INSERT and UPDATE in chunks.

Shared by the imports (stations, observers) and the boundary import (maps); a chunk is small
enough to keep one statement's parameters well under the drivers' limits.
"""

from collections.abc import Callable, Iterable

from sqlalchemy import insert, update

from observer_suite.extensions import db

CHUNK = 2000


def bulk_insert(model, rows: list[dict], progress: Callable[[int], None] | None = None) -> None:
    for chunk in _chunks(rows):
        db.session.execute(insert(model), chunk)
        if progress:
            progress(len(chunk))


def bulk_update(model, rows: list[dict], progress: Callable[[int], None] | None = None) -> None:
    """UPDATE ... WHERE id = :id executemany; rows are grouped by the columns they set."""
    groups: dict[tuple[str, ...], list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    for group in groups.values():
        for chunk in _chunks(group):
            db.session.execute(update(model), chunk)
            if progress:
                progress(len(chunk))


def _chunks(rows: list[dict]) -> Iterable[list[dict]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]
