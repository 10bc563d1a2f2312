"""Coordinator pages for incidents: list, incident page, triage, exports, taxonomy."""

from flask import Blueprint

bp = Blueprint("incidents", __name__, url_prefix="/missions/<slug>/incidents")


@bp.get("/")
def index(slug: str):
    raise NotImplementedError
