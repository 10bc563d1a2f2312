from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select, text

from observer_suite.auth.current import current_user
from observer_suite.auth.permissions import Permission, can, require, visible_missions
from observer_suite.extensions import db
from observer_suite.models import AuditEntry, Mission
from observer_suite.registry.services import paginate

bp = Blueprint("web", __name__)


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # the health check reports, it does not raise (a 503: rolled back)
        current_app.logger.warning("health check: database unavailable (%s)", type(exc).__name__)
        response = jsonify(status="error", database="unreachable")
        response.headers["Retry-After"] = "5"
        return response, 503
    return jsonify(status="ok", database="ok")


@bp.route("/")
def home():
    show_archived = request.args.get("archived") == "1"
    query = visible_missions(current_user)
    if not show_archived:
        query = query.where(Mission.archived_at.is_(None))
    missions = db.session.scalars(query).all()
    if len(missions) == 1 and not can(current_user, Permission.CREATE_MISSION):
        return redirect(url_for("missions.show", slug=missions[0].slug))
    return render_template("home.html", missions=missions, show_archived=show_archived)


@bp.route("/audit")
@require(Permission.VIEW_AUDIT)
def audit():
    query = select(AuditEntry, Mission.slug).outerjoin(Mission, AuditEntry.mission_id == Mission.id)
    entity = request.args.get("entity", "", type=str)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    page = paginate(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()),
        request.args.get("page", 1, type=int) or 1,
    )
    return render_template("web/audit.html", page=page, entity=entity)
