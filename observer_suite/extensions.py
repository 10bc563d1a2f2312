"""Extension objects, created unbound so create_app can bind them to any config."""

import threading
from typing import TYPE_CHECKING, ClassVar, cast

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import CursorResult, Engine, MetaData, Result, Table, create_engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    if TYPE_CHECKING:
        # Every model here is mapped to a Table (none to a join or a select), so its
        # __table__ has insert(), delete() and .c as Core code uses them.
        __table__: ClassVar[Table]


db = SQLAlchemy(model_class=Base)

if TYPE_CHECKING:
    # At run time db.Model is a class built on Base (with Flask-SQLAlchemy's mixins), but its
    # declared type, type[_FSAModel], leaves Base out, so a type checker would know neither the
    # mapped columns nor the keyword constructor. Models subclass this name instead.
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def rowcount(result: Result) -> int:
    """The rows an UPDATE or DELETE matched. Session.execute types every result as Result,
    but a DML statement's is a CursorResult, which has the count."""
    return cast(CursorResult, result).rowcount


def session_started() -> bool:
    """Whether this request has used its database session, asked without creating one: the
    submission hot path writes on a connection of its own and need not build and commit an
    empty session."""
    return db.session.registry.has()


_autocommit_lock = threading.Lock()


def autocommit_engine() -> Engine:
    """An engine beside db.engine whose connections stay in autocommit, for the one-row
    writes of the election-day hot path (observations.submission): switching a pooled
    connection into autocommit and back on every request cost more Python time than the
    statements themselves. Its own small pool, made on first use; on SQLite the app's engine
    with the option, as a second pool on one file would only wait for the first's locks."""
    # The proxy has it; Flask types current_app as the app itself.
    app = current_app._get_current_object()  # pyright: ignore[reportAttributeAccessIssue]
    engine = app.extensions.get("autocommit_engine")
    if engine is not None:
        return engine
    with _autocommit_lock:
        engine = app.extensions.get("autocommit_engine")
        if engine is None:
            base = db.engine
            if base.dialect.name == "sqlite":
                engine = base.execution_options(isolation_level="AUTOCOMMIT")
            else:
                options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
                engine = create_engine(base.url, **{**options, "isolation_level": "AUTOCOMMIT"})
            app.extensions["autocommit_engine"] = engine
    return engine
