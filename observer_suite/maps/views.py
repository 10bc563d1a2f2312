"""Map pages: incident map, findings choropleth, map settings."""

from flask import Blueprint

bp = Blueprint("maps", __name__, url_prefix="/missions/<slug>/maps")


@bp.get("/")
def index(slug: str):
    raise NotImplementedError
