"""Thin JSON views under /api/v1; the contract is /api/v1/openapi.json (api/openapi.py)."""

from flask import Blueprint, current_app, g, jsonify, request
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from observer_suite.api import services
from observer_suite.api.bodies import TokenRequest
from observer_suite.api.errors import handle_http_error, json_body
from observer_suite.api.openapi import document
from observer_suite.auth import services as auth_services
from observer_suite.auth import tokens
from observer_suite.auth.current import current_user, signed_in_user
from observer_suite.auth.limits import per_account
from observer_suite.auth.permissions import Permission, can, visible_missions
from observer_suite.errors import RequestError, ServiceError, error_response
from observer_suite.extensions import csrf, db, limiter
from observer_suite.incidents.photos import Limits
from observer_suite.incidents.submission import report
from observer_suite.models import Mission
from observer_suite.observations.payload import check_nesting
from observer_suite.observations.submission import submit
from observer_suite.reporting.statistics.endpoint import stats_json
from observer_suite.transaction import abandon
from observer_suite.util.checked import present
from observer_suite.util.schema import validate

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # CSRFProtect skips the API; cookie requests are checked below instead
bp.register_error_handler(ServiceError, error_response)
bp.register_error_handler(HTTPException, handle_http_error)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
NO_CSRF = {"api.create_token"}  # the credentials in the body are the proof


@bp.before_request
def _csrf_for_cookie_requests():
    """Bearer-token requests cannot be forged cross-site; cookie ones send X-CSRFToken."""
    if request.method in SAFE_METHODS or request.endpoint in NO_CSRF:
        return
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if current_user.is_authenticated and g.get("api_token_id") is not None:
        return
    csrf.protect()


# No per-address limit on intake: a whole fleet of tablets may share one carrier NAT.
UNLIMITED = {"api.submissions", "api.incidents"}


@limiter.request_filter
def _intake_is_unlimited() -> bool:
    """A request filter rather than @limiter.exempt: the limiter then skips its lookups on
    the busiest endpoints of election day instead of finding nothing to count."""
    return request.endpoint in UNLIMITED


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _mission() -> Mission:
    """?mission=<slug>, else the most recent mission the user belongs to."""
    query = visible_missions(current_user)
    slug = request.args.get("mission", "", type=str).strip()
    if slug:
        query = query.where(Mission.slug == slug)
    mission = db.session.scalar(query.limit(1))
    if mission is None:
        raise RequestError(
            "no such mission among yours", field="mission", status=404, code="not_found"
        )
    return mission


@bp.post("/auth/token")
@limiter.limit(_login_limit)
@per_account
def create_token():
    credentials, problems = validate(TokenRequest, json_body())
    if problems:
        raise RequestError(
            "username and password are required", code="invalid_request", fields=problems
        )
    credentials = present(credentials)  # validate gives the model when nothing failed
    user = auth_services.authenticate(credentials.username, credentials.password)
    if user is None:
        raise RequestError("wrong username or password", status=401, code="invalid_credentials")
    raw, token = tokens.issue(user)
    expires_at = token.expires_at.isoformat()  # aware; SQLite would reload it naive
    body = {"token": raw, "token_type": "Bearer", "expires_at": expires_at}
    return jsonify(body), 201


@bp.delete("/auth/token")
def revoke_token():
    token_id = g.get("api_token_id")
    if token_id is None:
        raise RequestError(
            "send the token to revoke as Authorization: Bearer", status=400, code="no_token"
        )
    tokens.revoke(token_id)
    return "", 204


@bp.get("/me/assignments")
def my_assignments():
    return jsonify(services.assignments(current_user, _mission()))


@bp.get("/stations")
def stations():
    q = request.args.get("q", "", type=str).strip()[:100]
    return jsonify(stations=services.search_stations(_mission(), q))


@bp.get("/forms")
def forms():
    return jsonify(forms=services.form_list(_mission()))


@bp.get("/forms/<int:form_pk>")
def form(form_pk: int):
    found = services.form_in(visible_missions(current_user), form_pk)
    if found is None:
        raise RequestError("no such form in your missions", status=404, code="not_found")
    return jsonify(services.form_document(found))


def _intake_body() -> tuple[dict, bytes]:
    """The JSON object and its raw bytes; too deep a nesting is refused before parsing."""
    raw = request.get_data(cache=True)
    if request.is_json:  # else json_body answers 415
        check_nesting(raw)
    return json_body(), raw


@bp.post("/submissions")
def submissions():
    user = signed_in_user()
    payload, raw = _intake_body()
    outcome = submit(user, payload, request.args.get("mission", type=str), raw)
    body = {
        "id": outcome.id,
        "uuid": outcome.uuid,
        "status": outcome.status,
        "flags": outcome.flags,
    }
    return jsonify(body), 201 if outcome.created else 200


@bp.post("/incidents")
def incidents():
    user = signed_in_user()
    limits = Limits.from_config(current_app.config)
    payload, raw = _intake_body()
    outcome = report(user, payload, request.args.get("mission", type=str), limits, raw)
    body = {"id": outcome.id, "uuid": outcome.uuid, "status": outcome.status}
    return jsonify(body), 201 if outcome.created else 200


@bp.get("/incidents/categories")
def incident_categories():
    mission = _mission()
    try:
        found = services.incident_categories(mission)
        db.session.flush()  # the default taxonomy, made on first use
    except IntegrityError:  # another request made it at the same moment
        abandon()
        found = services.incident_categories(mission)
    return jsonify(categories=found)


@bp.get("/me/incidents")
def my_incidents():
    return jsonify(incidents=services.team_incidents(current_user, _mission()))


@bp.get("/stats/indicators")
def stats_indicators():
    """The election-day statistics as JSON: the numbers of the dashboard and the PDFs."""
    if not can(current_user, Permission.VIEW_REPORTS):
        raise RequestError("your role may not view reports", status=403, code="forbidden")
    return jsonify(stats_json(_mission(), request.args))  # StatsArgumentError: a 422


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
