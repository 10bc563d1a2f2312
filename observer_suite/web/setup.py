from functools import lru_cache

from flask import Flask, current_app, g, make_response, render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, InternalServerError


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
    from observer_suite.maps.tiles import tile_origin

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

    shown = isinstance(exc, CSRFError)
    page = render_template(
        "error.html", code=exc.code, name=exc.name, description=exc.description if shown else None
    )
    response = make_response(page, exc.code)
    response.headers.extend(exception_headers(exc))
    return response


def _unexpected(exc: Exception):
    current_app.logger.exception("unhandled error")
    return _error(InternalServerError())


def init_app(app: Flask) -> None:
    from observer_suite.web.views import bp

    app.session_interface = CookieSessionInterface()

    app.register_blueprint(bp)
    from observer_suite.missions.views import bp as missions_bp
    from observer_suite.registry.views import bp as registry_bp

    app.register_blueprint(missions_bp)
    app.register_blueprint(registry_bp)
    from observer_suite.checklists.views import bp as checklists_bp
    from observer_suite.deployment.views import bp as plans_bp
    from observer_suite.imports.views import bp as imports_bp
    from observer_suite.teams.views import bp as teams_bp

    app.register_blueprint(imports_bp)
    app.register_blueprint(teams_bp)
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
    app.register_error_handler(HTTPException, _error)
    app.register_error_handler(Exception, _unexpected)

    @app.teardown_request
    def rollback_unfinished(exc):
        from observer_suite.extensions import db

        if exc is not None:
            db.session.rollback()
