"""The autocommit engine the submission hot path writes on."""

from sqlalchemy import func, insert, select

from observer_suite.extensions import autocommit_engine
from observer_suite.models import AuditEntry

COUNT = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "probe")


def _probe() -> dict:
    return {"action": "probe", "entity": "Test", "details": {}}


def test_one_engine_per_app_whose_writes_need_no_commit(app, db):
    engine = autocommit_engine()
    assert autocommit_engine() is engine
    with engine.connect() as connection:
        connection.execute(insert(AuditEntry.__table__), _probe())
    # no commit was sent, yet another connection sees the row
    with db.engine.connect() as other:
        assert other.execute(COUNT).scalar_one() == 1


def test_the_apps_own_connections_keep_their_transactions(app, db):
    with autocommit_engine().connect():  # one made and returned first
        pass
    with db.engine.connect() as connection:
        connection.execute(insert(AuditEntry.__table__), _probe())
        with autocommit_engine().connect() as other:
            assert other.execute(COUNT).scalar_one() == 0  # not committed yet
        connection.rollback()
    with autocommit_engine().connect() as other:
        assert other.execute(COUNT).scalar_one() == 0
