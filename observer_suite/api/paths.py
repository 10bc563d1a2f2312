"""What each view of api/views.py answers, as a table: the paths of the OpenAPI document.

One row per operation: its summary, query or path parameters, request body (a declared
model's name), its answers and the error statuses it may give. api/openapi.py turns the
table into the document; a test checks that every route of the blueprint has a row.
"""

from dataclasses import dataclass, field

MISSION = {
    "name": "mission",
    "in": "query",
    "required": False,
    "description": "Mission slug; default: the most recent mission you belong to",
    "schema": {"type": "string"},
}


INTEGER = {"type": "integer"}


def query(name: str, schema: dict, description: str | None = None) -> dict:
    found = {"name": name, "in": "query", "required": False, "schema": schema}
    return {**found, "description": description} if description else found


ERRORS = {
    400: "Malformed JSON, or a failed CSRF check (cookie requests)",
    401: "Not logged in, or a bad token",
    403: "Your role or team may not do this",
    404: "Not found among your missions",
    409: "The uuid holds other content",
    413: "The body is larger than the server accepts",
    415: "The body is not application/json",
    422: "Invalid fields; `fields` names each",
    429: "Too many attempts; Retry-After says when to try again",
    503: "The database cannot be reached just now (database_unavailable), or the mission "
    "data changed meanwhile (retry); send again after Retry-After",
}


@dataclass(frozen=True)
class Operation:
    """`answers`: status → (response schema name, "" for any JSON, None for no body;
    description); `errors`: the statuses answered with the Error body, to which 503 is
    added (any operation that reads the database may meet it unreachable); `error_text`:
    this operation's own description of an error status."""

    method: str
    path: str
    summary: str
    answers: dict[int, tuple[str | None, str]]
    errors: tuple[int, ...] = (401, 404)
    params: tuple[dict, ...] | None = (MISSION,)
    body: str | None = None
    public: bool = False
    error_text: dict[int, str] = field(default_factory=dict)


def _ok(schema: str) -> dict[int, tuple[str | None, str]]:
    return {200: (schema, "OK")}


def _stored(schema: str) -> dict[int, tuple[str | None, str]]:
    return {201: (schema, "Stored"), 200: (schema, "Identical replay; the stored id")}


OPERATIONS = (
    Operation(
        "post",
        "/api/v1/auth/token",
        "Exchange a username and password for a bearer token (rate-limited)",
        {201: ("Token", "Token issued")},
        errors=(400, 401, 415, 422, 429),
        params=None,
        body="TokenRequest",
        public=True,
    ),
    Operation(
        "delete",
        "/api/v1/auth/token",
        "Revoke the bearer token of this request",
        {204: (None, "Revoked")},
        errors=(400, 401),
        params=None,
    ),
    Operation(
        "get",
        "/api/v1/me/assignments",
        "Your team and its route in the published plan",
        _ok("Assignments"),
    ),
    Operation(
        "get",
        "/api/v1/stations",
        "Search stations by code, name or centre (at most 50)",
        _ok("StationList"),
        params=(MISSION, query("q", {"type": "string"})),
    ),
    Operation("get", "/api/v1/forms", "The active version of each form", _ok("FormList")),
    Operation(
        "get",
        "/api/v1/forms/{form_pk}",
        "One form version's definition",
        _ok("FormDefinition"),
        params=({"name": "form_pk", "in": "path", "required": True, "schema": INTEGER},),
    ),
    Operation(
        "post",
        "/api/v1/submissions",
        "Submit one observation (idempotent by uuid)",
        _stored("SubmissionResult"),
        errors=(400, 401, 403, 409, 415, 422),
        body="Submission",
    ),
    Operation(
        "post",
        "/api/v1/incidents",
        "Report one incident with up to 3 photos (idempotent by uuid)",
        _stored("IncidentResult"),
        errors=(400, 401, 403, 409, 413, 415, 422),
        body="IncidentReport",
    ),
    Operation(
        "get",
        "/api/v1/incidents/categories",
        "The mission's active incident categories",
        _ok("IncidentCategoryList"),
    ),
    Operation(
        "get",
        "/api/v1/me/incidents",
        "Your team's incidents, newest first (at most 200)",
        _ok("IncidentList"),
    ),
    Operation(
        "get",
        "/api/v1/stats/indicators",
        "Election-day statistics: coverage, forms received vs expected, indicators by region, "
        "assessments, critical answers, incidents (coordinators, analysts, leads); the numbers "
        "of the dashboard and the PDF reports",
        _ok("ElectionDayStats"),
        errors=(401, 403, 404, 422),
        params=(
            MISSION,
            query(
                "until",
                {"type": "string"},
                "Data cut-off, ISO 8601; without an offset in the mission's local time; "
                "default: now",
            ),
            query(
                "region",
                {"type": "string"},
                "A region code: that region, broken down by its districts",
            ),
            query("lang", {"enum": ["en", "fr"]}, "Language of labels (default en)"),
        ),
        error_text={
            403: "Your role may not view reports",
            422: "A bad until, region or lang; `field` names it",
        },
    ),
    Operation(
        "get",
        "/api/v1/openapi.json",
        "This document",
        {200: ("", "OpenAPI 3.1")},
        errors=(),
        params=None,
    ),
)
