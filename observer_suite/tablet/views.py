"""Thin views for the tablet client: the shell page, the service worker, the manifest."""

import hashlib
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    make_response,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import generate_csrf

from observer_suite.auth.current import current_user
from observer_suite.auth.permissions import Permission, can, mission_or_404, visible_missions
from observer_suite.extensions import db
from observer_suite.models import Role
from observer_suite.util.checked import present

bp = Blueprint("tablet", __name__, url_prefix="/tablet")

# Used until Permission.USE_TABLET exists (the lead wires it in auth/permissions.py).
TABLET_ROLES = {Role.OBSERVER, Role.LTO, Role.COORDINATOR, Role.ADMIN}
# Files the service worker keeps for offline use, besides everything in static/tablet/.
SHARED_ASSETS = ("js/expressions.js", "css/app.css")


@bp.before_request
def _tablet_users_only():
    permission = getattr(Permission, "USE_TABLET", None)
    allowed = can(current_user, permission) if permission else current_user.role in TABLET_ROLES
    if not allowed:
        abort(403)


def _no_cache(response, store: bool = True):
    response.headers["Cache-Control"] = "no-cache" if store else "no-store"
    return response


@bp.route("/")
def shell():
    slug = request.args.get("mission", "", type=str)
    if slug:
        mission = mission_or_404(slug)
    else:  # the most recent mission the user belongs to
        mission = db.session.scalars(visible_missions(current_user).limit(1)).first()
    if mission is None:
        return render_template("tablet/no_mission.html"), 404
    return _no_cache(make_response(render_template("tablet/shell.html", mission=mission)))


def _precache_files() -> list[Path]:
    static = Path(present(current_app.static_folder))
    files = sorted(p for p in (static / "tablet").iterdir() if p.is_file())
    return files + [static / name for name in SHARED_ASSETS if (static / name).is_file()]


@bp.route("/sw.js")
def service_worker():
    """Served from /tablet/ so the worker's default scope is /tablet/. Its version is a hash
    of every file it precaches: any change there changes the worker, which refreshes the
    cache on the tablet."""
    static = Path(present(current_app.static_folder))
    files = _precache_files()
    templates = Path(present(current_app.template_folder)) / "tablet"
    digest = hashlib.sha256()
    for path in [*files, templates / "shell.html"]:
        digest.update(path.read_bytes())
    assets = [url_for("static", filename=p.relative_to(static).as_posix()) for p in files]
    body = render_template(
        "tablet/sw.js",
        version=digest.hexdigest()[:16],
        shell_url=url_for(".shell"),
        assets=[*assets, url_for(".manifest")],
    )
    response = make_response(body)
    response.mimetype = "application/javascript"
    return _no_cache(response)


@bp.route("/manifest.webmanifest")
def manifest():
    icon = url_for("static", filename="tablet/icon.svg")
    response = jsonify(
        name="Observer Suite",
        short_name="Observer",
        description="Election-day checklists, offline",
        start_url=url_for(".shell"),
        scope=url_for(".shell"),
        display="standalone",
        orientation="any",
        background_color="#f4f6f9",
        theme_color="#17263f",
        icons=[{"src": icon, "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    )
    response.mimetype = "application/manifest+json"
    return _no_cache(response)


@bp.route("/csrf")
def csrf():
    """A fresh CSRF token: the shell cached on the tablet may hold one that has expired."""
    return _no_cache(jsonify(csrf_token=generate_csrf()), store=False)
