"""An archived mission is read-only: every write to its pages and its API intake is refused.

One check before every request, rather than one per view, so no page or endpoint can forget
it. Pages name the mission by the `slug` in their URL; the intake endpoints by ?mission=, the
body's "mission", or else the station code among the sender's missions.
"""

from flask import Flask, render_template, request
from sqlalchemy import select

from observer_suite.auth.current import current_user
from observer_suite.extensions import db
from observer_suite.models import Membership, Mission, PollingStation, Role
from observer_suite.util.intake_checks import structure_problem

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
EXEMPT = {"missions.archive"}  # restoring the mission is the one write allowed
INTAKE = {"api.submissions", "api.incidents"}
MESSAGE = (
    "The mission {name} is archived and read-only: nothing can be added or changed. "
    "A coordinator can restore it on its settings page."
)


def _mission_by_slug(slug: str) -> Mission | None:
    return db.session.scalar(select(Mission).where(Mission.slug == slug))


def _intake_missions() -> list[Mission]:
    """The missions an intake request may write to (its named one, else by station code)."""
    body = {}
    if request.is_json and not structure_problem(request.get_data(cache=True)):
        parsed = request.get_json(silent=True, cache=True)  # too deep a body is left to the view
        body = parsed if isinstance(parsed, dict) else {}
    slug = request.args.get("mission", type=str) or body.get("mission")
    if isinstance(slug, str) and slug.strip():
        found = _mission_by_slug(slug.strip()[:60])
        return [found] if found is not None else []
    code = body.get("station_code")
    if not isinstance(code, str) or not code:
        return []
    ids = (
        select(Mission.id)
        .join(PollingStation, PollingStation.mission_id == Mission.id)
        .where(PollingStation.code == code[:60])
    )
    if current_user.role != Role.ADMIN:
        ids = ids.join(Membership, Membership.mission_id == Mission.id).where(
            Membership.user_id == current_user.id
        )
    return list(db.session.scalars(select(Mission).where(Mission.id.in_(ids))))


def _archived_target() -> Mission | None:
    if request.method in SAFE_METHODS or request.endpoint in EXEMPT:
        return None
    if not current_user.is_authenticated:  # the login check answers first; nothing leaks
        return None
    slug = (request.view_args or {}).get("slug")
    if isinstance(slug, str):
        mission = _mission_by_slug(slug)
        return mission if mission is not None and mission.archived else None
    if request.endpoint in INTAKE:
        missions = _intake_missions()
        if missions and all(m.archived for m in missions):
            return missions[0]
    return None


def refuse_writes_to_archived():
    mission = _archived_target()
    if mission is None:
        return None
    detail = MESSAGE.format(name=mission.name)
    if request.path.startswith("/api/"):
        from observer_suite.errors import json_error

        return json_error(409, "mission_archived", detail, "mission")
    page = render_template(
        "error.html", code=409, name="Mission archived", description=detail, mission=mission
    )
    return page, 409


def init_app(app: Flask) -> None:
    app.before_request(refuse_writes_to_archived)
