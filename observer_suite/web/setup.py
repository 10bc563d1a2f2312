from functools import lru_cache

from flask import Flask, current_app, g, make_response, render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

# Seconds a client is told to wait when the database cannot be reached: a restart or a
# fail-over of PostgreSQL takes a few; a tablet's outbox retries on its own after that.
DATABASE_RETRY_AFTER = 5
# SQLSTATEs that mean "not now" rather than "not this statement": class 08 (connection
# exception), 57P01-57P03 (shutting down, crashed, starting up), 53300 (too many connections).
UNAVAILABLE_SQLSTATES = ("08", "57P", "53300")


class DatabaseUnavailable(ServiceUnavailable):
    """503 database_unavailable: the page's title and the API's code say what is wrong."""

    # werkzeug types `name` as a property; a class attribute overrides it as well.
    name = "Database Unavailable"  # pyright: ignore[reportAssignmentType]
    description = (
        "The database cannot be reached just now. Nothing was saved; try again in a few seconds."
    )


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, except that a request without the cookie (a script
    with a bearer token, a health check) gets its empty session without building the
    signing serializer, which Flask does first on every request."""

    def open_session(self, app, request):
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


def _csp() -> str:
    # A page that resolved its mission's tiles (maps.tiles.use_tiles) admits exactly that
    # host, or none; other pages admit the app-wide MAP_TILE_URL host as before.
    if "map_tile_origin" in g:
        return _csp_for(g.map_tile_origin)
    return _csp_for_url(current_app.config.get("MAP_TILE_URL", ""))


@lru_cache(maxsize=64)
def _csp_for_url(url: str) -> str:
    from observer_suite.util.map_tiles import tile_origin

    return _csp_for(tile_origin(url))


@lru_cache(maxsize=64)
def _csp_for(origin: str | None) -> str:
    """Built once per tile origin: every response carries it, API answers included."""
    img = "'self' data:" + (" " + origin if origin else "")
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src {img}; font-src 'self'; connect-src 'self'; object-src 'none'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )


FIXED_HEADERS = (
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000")


def _security_headers(response):
    """On every response; a view that sets one of these itself (a map's own CSP, a map
    framed by its page) keeps its value. Added rather than set: set() searches the list
    again for each one."""
    headers = response.headers
    if "Content-Security-Policy" not in headers:
        headers.add("Content-Security-Policy", _csp())
    extra = (HSTS,) if current_app.config.get("SESSION_COOKIE_SECURE") else ()
    for name, value in FIXED_HEADERS + extra:
        if name not in headers:
            headers.add(name, value)
    return response


def _rollback() -> None:
    """Give the connection back; when the database is gone that may fail too, quietly."""
    from observer_suite.extensions import db

    try:
        db.session.rollback()
    except sa_exc.SQLAlchemyError:
        db.session.close()


def _error(exc: HTTPException):
    """4xx/5xx as JSON under /api/ (api.errors, the OpenAPI Error shape), as a page
    elsewhere; either way with the exception's own headers (Allow, Retry-After); never a
    traceback."""
    if exc.code and exc.code >= 500:
        _rollback()
    if request.path.startswith("/api/"):
        from observer_suite.api.errors import handle_http_error

        return handle_http_error(exc)
    from observer_suite.api.errors import exception_headers

    shown = isinstance(exc, CSRFError | ServiceUnavailable)
    page = render_template(
        "error.html", code=exc.code, name=exc.name, description=exc.description if shown else None
    )
    response = make_response(page, exc.code)
    response.headers.extend(exception_headers(exc))
    return response


def database_unavailable(exc: Exception) -> bool:
    """Whether a database error means the server cannot be reached just now (refused or lost
    connection, shutting down or starting up, no free connection), not a fault of the
    statement: only that is worth a 503 and a retry."""
    if isinstance(exc, sa_exc.TimeoutError):  # no pooled connection came free in time
        return True
    if not isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError):
        return False
    if exc.connection_invalidated:  # SQLAlchemy recognised a disconnect
        return True
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate:
        return sqlstate.startswith(UNAVAILABLE_SQLSTATES)
    module = type(orig).__module__
    if module.startswith("psycopg"):  # the client's own errors: no connection, none left
        return True
    if module == "sqlite3":  # the file cannot be opened, or stays locked
        name = getattr(orig, "sqlite_errorname", "")
        return name.startswith(("SQLITE_CANTOPEN", "SQLITE_BUSY"))
    return False


def _database_error(exc: Exception):
    """An unreachable database is a 503 with Retry-After and one log line per request, not
    a traceback each; any other database error is a 500 as any other fault."""
    if not database_unavailable(exc):
        return _unexpected(exc)
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    current_app.logger.warning(
        "database unavailable, %s %s answered 503: %s",
        request.method,
        request.path,
        reason[0] if reason else type(exc).__name__,
    )
    from observer_suite.extensions import login_manager

    # The error page must not ask the database who is logged in, nor reload that user.
    g._login_user = login_manager.anonymous_user()
    return _error(DatabaseUnavailable(retry_after=DATABASE_RETRY_AFTER))


def _unexpected(exc: Exception):
    current_app.logger.exception("unhandled error")
    return _error(InternalServerError())


def _end_transaction(response):
    """The request boundary (transaction.py): commit when the answer is under 400, roll
    back otherwise, and touch nothing when the request never used the session (the intake
    fast path writes in autocommit). Runs before the headers hooks, so the answer to a
    failed commit gets them too. A streamed body (the CSV exports) runs after this commit:
    it may read, and whatever it wrote would be rolled back when the session is removed. A
    redirect after a flashed refusal commits what is left after errors.page_message rolled
    the refused writes back: nothing."""
    from observer_suite.extensions import db, session_started

    if not session_started():
        return response
    if response.status_code >= 400:
        _rollback()
        return response
    try:
        db.session.commit()
    except (sa_exc.DBAPIError, sa_exc.TimeoutError) as exc:
        _rollback()  # the same answers as a failure inside the view: 503 or 500
        return current_app.make_response(_database_error(exc))
    except Exception as exc:  # a flush at commit refused by the ORM (a stale version)
        _rollback()
        return current_app.make_response(_unexpected(exc))
    return response


def _retry_after_503(response):
    """Every 503 says when to come back (the health check's, a submission's "retry")."""
    if response.status_code == 503 and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


def init_app(app: Flask) -> None:
    from observer_suite.web.views import bp

    app.session_interface = CookieSessionInterface()
    from observer_suite.web import filters

    filters.init_app(app)

    app.register_blueprint(bp)
    from observer_suite.missions.views import bp as missions_bp
    from observer_suite.registry.views import bp as registry_bp

    app.register_blueprint(missions_bp)
    app.register_blueprint(registry_bp)
    from observer_suite.checklists.views import bp as checklists_bp
    from observer_suite.deployment.views import bp as plans_bp
    from observer_suite.imports.views import bp as imports_bp
    from observer_suite.teams.base_views import bp as team_bases_bp
    from observer_suite.teams.views import bp as teams_bp

    app.register_blueprint(imports_bp)
    app.register_blueprint(teams_bp)
    app.register_blueprint(team_bases_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(checklists_bp)
    from observer_suite import api
    from observer_suite.observations.views import bp as observations_bp
    from observer_suite.tablet import bp as tablet_bp

    api.init_app(app)
    app.register_blueprint(observations_bp)
    app.register_blueprint(tablet_bp)
    from observer_suite.incidents.views import bp as incidents_bp
    from observer_suite.maps.views import bp as maps_bp

    app.register_blueprint(incidents_bp)
    app.register_blueprint(maps_bp)
    from observer_suite.reporting.downloads import bp as report_files_bp
    from observer_suite.reporting.views import bp as reporting_bp

    app.register_blueprint(reporting_bp)
    app.register_blueprint(report_files_bp)
    from observer_suite.auth.permissions import can

    app.jinja_env.globals["can"] = can
    app.after_request(_security_headers)
    app.after_request(_retry_after_503)
    app.after_request(_end_transaction)  # registered last: Flask runs it first
    app.register_error_handler(HTTPException, _error)
    app.register_error_handler(sa_exc.DBAPIError, _database_error)
    app.register_error_handler(sa_exc.TimeoutError, _database_error)
    app.register_error_handler(Exception, _unexpected)

    @app.teardown_request
    def rollback_unfinished(exc):
        from observer_suite.extensions import db

        if exc is not None:
            db.session.rollback()
