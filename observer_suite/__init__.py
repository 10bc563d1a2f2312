"""Observer Suite: an election observation mission in one Flask application."""

from pathlib import Path

from flask import Flask

from observer_suite import config as config_module

ROOT = config_module.ROOT


def create_app(config: dict | None = None) -> Flask:
    """Config, then extensions, then blueprints, then CLI; no I/O beyond the instance folder."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(config_module.from_environment(Path(app.instance_path)))
    if config:
        app.config.from_mapping(config)
    app.config["SQLALCHEMY_DATABASE_URI"] = config_module.normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    from observer_suite import jsoncodec

    app.json = jsoncodec.JSONProvider(app)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "json_serializer": jsoncodec.dumps,
        "json_deserializer": jsoncodec.loads,
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
    }

    from observer_suite.web.converters import DatabaseId

    # Before any route exists: an id in a URL beyond the database's integer range is a 404,
    # not a database error.
    app.url_map.converters["int"] = DatabaseId

    from observer_suite import models  # noqa: F401  (register tables)
    from observer_suite.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    login_manager.init_app(app)

    from observer_suite.auth import setup as auth_setup
    from observer_suite.web import setup as web_setup

    auth_setup.init_app(app)
    web_setup.init_app(app)
    return app
