"""Throwaway databases for tests and benchmarks: a temp SQLite file or a fresh PG database."""

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from observer_suite.config import normalise_database_url

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
NO_FOREIGN_KEYS = (
    "SQLite, as the suite configures it, does not enforce foreign keys: a row removed "
    "meanwhile cannot refuse the insert there"
)


def backend() -> str:
    return "postgresql" if os.environ.get("TEST_DATABASE_URL", "") else "sqlite"


@contextlib.contextmanager
def fresh_database(base_url: str | None = None) -> Iterator[str]:
    """Yield the URL of an empty database that is removed afterwards.

    Each call makes its own (a temp folder, or a PG database with a random name), so pytest-xdist
    workers, parallel runs and the demo templates below never share one."""
    base_url = base_url if base_url is not None else os.environ.get("TEST_DATABASE_URL", "")
    if not base_url or base_url.startswith("sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'test.sqlite3'}"
        return
    url = make_url(normalise_database_url(base_url))
    name = f"observer_suite_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def copy_database(source_url: str, target_url: str) -> None:
    """Make the target database a copy of the source: a file copy on SQLite, `CREATE DATABASE
    ... TEMPLATE` on PostgreSQL. Both are far cheaper than building the rows again; nobody
    may be connected to either database meanwhile (dispose the engines first)."""
    source, target = make_url(source_url), make_url(target_url)
    if source.get_backend_name() == "sqlite":
        shutil.copyfile(source.database, target.database)
        return
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{target.database}" TEMPLATE "{source.database}"'))
    finally:
        admin.dispose()
