"""Map pages: incident map, findings choropleth, map settings and boundary import.

Each map is a page of the suite with an iframe holding the folium document; the document is
served with its own CSP (inline scripts by hash, tiles from exactly one host).
"""

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from observer_suite.auth.permissions import Permission, mission_or_404, require
from observer_suite.extensions import db
from observer_suite.maps import boundaries as bounds
from observer_suite.maps import findings as fnd
from observer_suite.maps.filters import SEVERITIES, STATUSES, parse_filters
from observer_suite.maps.findings_map import format_share, render_findings_map
from observer_suite.maps.forms import BoundaryForm, TileForm
from observer_suite.maps.incident_map import (
    STATUS_LABELS,
    incident_counts,
    load_incident_rows,
    render_incident_map,
)
from observer_suite.models import IncidentCategory
from observer_suite.transaction import abandon
from observer_suite.util.checked import present
from observer_suite.util.choices import SelectChoice
from observer_suite.util.folium_map import MapPage
from observer_suite.util.map_tiles import NONE, map_csp, tile_attribution, tile_url, use_tiles

bp = Blueprint("maps", __name__, url_prefix="/missions/<slug>/maps")


@bp.app_template_global("map_tile_url")
def map_tile_url(mission) -> str:
    """For templates with a small map (station page): the mission's tiles, admitted by CSP."""
    return use_tiles(mission) or ""


@bp.app_template_global("map_tile_attribution")
def map_tile_attribution(mission) -> str:
    return tile_attribution(tile_url(mission))


def _asset(path: str) -> str:
    return url_for("static", filename=path)


def _frame(page: MapPage, tiles: str | None) -> Response:
    """The document under a CSP admitting only the skeleton's own inline scripts and styles."""
    response = Response(page.html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = map_csp(
        tiles, page.script_hashes, page.style_hashes
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _level(mission, name: str, default: int | None) -> int | None:
    value = request.args.get(name, type=int)
    if value is not None and 0 <= value < len(mission.area_levels or []):
        return value
    return default


def _tile_form(mission) -> TileForm:
    form = TileForm()
    if request.method == "GET":
        setting = mission.map_tiles
        form.mode.data = "default" if not setting else ("none" if setting == NONE else "custom")
        form.url.data = setting if setting and setting != NONE else ""
    return form


@bp.get("/")
@require(Permission.VIEW_MAPS)
def index(slug: str):
    mission = mission_or_404(slug)
    return _index(mission, _tile_form(mission))


def _index(mission, form: TileForm, status: int = 200):
    return render_template(
        "maps/index.html",
        mission=mission,
        levels=bounds.boundary_status(mission),
        tiles=use_tiles(mission),
        app_tiles=current_app.config.get("MAP_TILE_URL", "") or NONE,
        form=form,
    ), status


@bp.post("/tiles")
@require(Permission.MANAGE_MAPS)
def tiles(slug: str):
    mission = mission_or_404(slug)
    form = TileForm()
    if not form.validate_on_submit():
        return _index(mission, form, 400)
    mission.map_tiles = form.setting()
    flash("Map background saved.")
    return redirect(url_for("maps.index", slug=slug))


@bp.route("/boundaries", methods=["GET", "POST"])
@require(Permission.MANAGE_MAPS)
def boundaries(slug: str):
    mission = mission_or_404(slug)
    form = BoundaryForm()
    form.level.choices = [
        SelectChoice(str(i), name) for i, name in enumerate(mission.area_levels or [])
    ]
    report, status = None, 200
    if request.method == "POST":
        if form.validate_on_submit():
            data = form.file.data.read()
            report = bounds.import_boundaries(
                mission, data, int(form.level.data), present(form.key.data).strip(),
                dry_run=form.dry_run.data,
            )  # fmt: skip
            if not report.applied:
                abandon()  # a dry run, or a file with errors, keeps nothing
            status = 200 if report.ok else 400
        else:
            status = 400
    return render_template(
        "maps/boundaries.html", mission=mission, form=form, report=report, aliases=bounds.ALIASES
    ), status


def _categories(mission) -> list[IncidentCategory]:
    return list(
        db.session.scalars(
            select(IncidentCategory)
            .where(IncidentCategory.mission_id == mission.id)
            .order_by(IncidentCategory.position, IncidentCategory.id)
        )
    )


@bp.get("/incidents")
@require(Permission.VIEW_MAPS)
def incidents(slug: str):
    mission = mission_or_404(slug)
    categories = _categories(mission)
    filters = parse_filters(request.args, [c.code for c in categories], mission.timezone)
    total, unplaced = incident_counts(mission, filters)
    use_tiles(mission)
    level = _level(mission, "boundaries", bounds.default_boundary_level(mission))
    frame_args: dict[str, Any] = dict(filters.query_args())
    if level is not None:
        frame_args["boundaries"] = level
    return render_template(
        "maps/incidents.html",
        mission=mission,
        filters=filters,
        categories=categories,
        severities=SEVERITIES,
        statuses=[(s, STATUS_LABELS.get(s, s)) for s in STATUSES],
        total=total,
        unplaced=unplaced,
        level=level,
        frame_url=url_for("maps.incidents_frame", slug=slug, **frame_args),
    )


@bp.get("/incidents/map")
@require(Permission.VIEW_MAPS)
def incidents_frame(slug: str):
    mission = mission_or_404(slug)
    codes = [c.code for c in _categories(mission)]
    filters = parse_filters(request.args, codes, mission.timezone)
    level = _level(mission, "boundaries", bounds.default_boundary_level(mission))
    tiles = tile_url(mission)
    page = render_incident_map(
        load_incident_rows(mission, filters),
        _asset,
        incident_link=url_for("incidents.index", slug=slug),
        tiles_url=tiles,
        attribution=tile_attribution(tiles),
        boundaries=bounds.boundary_shapes(mission, level) if level is not None else [],
        boundary_label=(mission.area_levels[level] if level is not None else ""),
    )
    return _frame(page, tiles)


def _findings_args(mission):
    offered = fnd.indicators(mission)
    key = request.args.get("indicator", "")
    indicator = next((i for i in offered if i.key == key), offered[0] if offered else None)
    return offered, indicator, _level(mission, "level", 0) or 0


@bp.get("/findings")
@require(Permission.VIEW_MAPS)
def findings(slug: str):
    mission = mission_or_404(slug)
    offered, indicator, level = _findings_args(mission)
    rows = fnd.findings(mission, indicator, level) if indicator and mission.area_levels else []
    drawn = {s.area_id for s in bounds.boundary_shapes(mission, level)} if rows else set()
    use_tiles(mission)
    return render_template(
        "maps/findings.html",
        mission=mission,
        offered=offered,
        indicator=indicator,
        level=level,
        rows=rows,
        undrawn=[r.name for r in rows if r.area_id not in drawn],
        observed=sum(r.observed for r in rows),
        matching=sum(r.matching for r in rows),
        format_share=format_share,
        frame_url=url_for("maps.findings_frame", slug=slug, indicator=indicator.key, level=level)
        if indicator
        else None,
    )


@bp.get("/findings/map")
@require(Permission.VIEW_MAPS)
def findings_frame(slug: str):
    mission = mission_or_404(slug)
    _offered, indicator, level = _findings_args(mission)
    if indicator is None or not mission.area_levels:
        abort(404)
    tiles = tile_url(mission)
    page = render_findings_map(
        fnd.findings(mission, indicator, level),
        bounds.boundary_shapes(mission, level),
        _asset,
        title=indicator.label,
        tiles_url=tiles,
        attribution=tile_attribution(tiles),
    )
    return _frame(page, tiles)
