"""`db upgrade` from an empty database yields exactly the models' schema, on either backend."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect

from observer_suite.cli import main
from observer_suite.config import normalise_database_url
from observer_suite.extensions import db
from tests.dbutil import fresh_database


def test_db_upgrade_from_empty_matches_models():
    with fresh_database() as url:
        result = CliRunner().invoke(main, ["--database-url", url, "db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert "up to date" in result.output
        engine = create_engine(normalise_database_url(url))
        try:
            with engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
                tables = set(inspect(conn).get_table_names())
        finally:
            engine.dispose()
    assert diff == []
    assert {"missions", "areas", "polling_stations", "observers", "users"} <= tables
    assert "alembic_version" in tables


def test_db_upgrade_twice_is_harmless():
    with fresh_database() as url:
        runner = CliRunner()
        assert runner.invoke(main, ["--database-url", url, "db", "upgrade"]).exit_code == 0
        again = runner.invoke(main, ["--database-url", url, "db", "upgrade"])
        assert again.exit_code == 0, again.output
