"""Is the database's schema the one this code expects? One clear line instead of a traceback.

Every CLI command that reads or writes data asks this first: a fresh database (no tables yet)
or one migrated to an older revision would otherwise fail deep inside a query.
"""

import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
UPGRADE = "observer-suite db upgrade"


@dataclass(frozen=True)
class SchemaState:
    ok: bool
    message: str = ""
    upgradable: bool = False  # `db upgrade` would bring it to the head


@contextlib.contextmanager
def _quiet_alembic():
    """MigrationContext logs its DDL mode at INFO: not a line an operator should see."""
    logger = logging.getLogger("alembic.runtime.migration")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _script() -> ScriptDirectory:
    return ScriptDirectory(str(MIGRATIONS))


def schema_state(engine: Engine, table_names: set[str]) -> SchemaState:
    """Compare the database's alembic revision with the migrations' head.

    A database without alembic_version but with every model table was made by
    `metadata.create_all` (the test suite does this): it is current by construction.
    """
    script = _script()
    heads = set(script.get_heads())
    try:
        with engine.connect() as conn, _quiet_alembic():
            current = MigrationContext.configure(conn).get_current_heads()
            present = set(inspect(conn).get_table_names())
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        return SchemaState(False, f"cannot open the database: {reason}")
    if not current:
        if not present & table_names:
            return SchemaState(
                False, f"database has no schema yet: run `{UPGRADE}` first", upgradable=True
            )
        if table_names <= present:
            return SchemaState(True)
        return SchemaState(False, f"database schema is older than the code: run `{UPGRADE}`")
    if set(current) == heads:
        return SchemaState(True)
    known = {rev.revision for rev in script.walk_revisions()}
    if not set(current) <= known:
        revisions = ", ".join(sorted(current))
        return SchemaState(
            False,
            f"database schema (revision {revisions}) is newer than this observer-suite: "
            "update the code",
        )
    return SchemaState(
        False, f"database schema is older than the code: run `{UPGRADE}`", upgradable=True
    )


def check_schema(engine: Engine, table_names: set[str]) -> str | None:
    """The one line to print when the schema is missing or stale, else None."""
    state = schema_state(engine, table_names)
    return None if state.ok else state.message


def prepare_schema(mode: str) -> None:
    """For the CLI, inside an app context: "check" stops with one line on a missing or old
    schema; "upgrade" migrates it first (demo, serve); "" does nothing (db upgrade itself)."""
    import click

    from observer_suite.extensions import db

    if not mode:
        return
    state = schema_state(db.engine, set(db.metadata.tables))
    if state.ok:
        return
    if mode == "upgrade" and state.upgradable:
        from flask_migrate import upgrade

        upgrade()
        return
    raise click.ClickException(state.message)
