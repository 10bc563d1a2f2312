from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from observer_suite.auth.permissions import Permission, can, visible_missions
from observer_suite.extensions import db

bp = Blueprint("web", __name__)


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # the health check reports, it does not raise
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.route("/")
def home():
    missions = db.session.scalars(visible_missions(current_user)).all()
    if len(missions) == 1 and not can(current_user, Permission.CREATE_MISSION):
        return redirect(url_for("missions.show", slug=missions[0].slug))
    return render_template("home.html", missions=missions)
