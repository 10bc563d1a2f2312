"""The OpenAPI 3.1 document of /api/v1, generated from what the code declares.

Request bodies and the Error body are the pydantic models that check them (their JSON
Schema, $defs made components); paths come from the table in api/paths.py. Responses are
declared here as JSON Schema data, the one place they are described. A test checks that
every route of the blueprint is in the table and that the document is valid OpenAPI 3.1.
"""

from functools import cache

from observer_suite.api.bodies import Error, TokenRequest
from observer_suite.api.openapi_stats import STATS_SCHEMAS
from observer_suite.api.paths import ERRORS, OPERATIONS, Operation
from observer_suite.incidents.payload import IncidentReport
from observer_suite.observations.payload import Submission
from observer_suite.util.schema import component_schemas

REF = "#/components/schemas/"
DECLARED = [TokenRequest, Submission, IncidentReport, Error]  # the bodies it takes, and Error


def _ref(name: str) -> dict:
    return {"$ref": REF + name}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


NULLABLE_NUMBER = {"type": ["number", "null"]}

INCIDENT_SCHEMAS = {
    "IncidentResult": {
        "type": "object",
        "required": ["id", "uuid", "status"],
        "properties": {
            "id": {"type": "integer"},
            "uuid": {"type": "string"},
            "status": {"enum": ["created", "replayed"]},
        },
    },
    "IncidentCategory": {
        "type": "object",
        "required": ["code", "labels"],
        "properties": {
            "code": {"type": "string"},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
    "IncidentSummary": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "uuid": {"type": "string"},
            "category": {"type": "string"},
            "severity": {"enum": ["low", "medium", "high", "critical"]},
            "status": {"enum": ["reported", "verified", "rejected", "follow_up", "resolved"]},
            "occurred_at": {"type": "string", "format": "date-time"},
            "station_code": {"type": ["string", "null"]},
            "latitude": NULLABLE_NUMBER,
            "longitude": NULLABLE_NUMBER,
            "title": {"type": "string"},
            "observation_uuid": {"type": ["string", "null"]},
            "question": {"type": ["string", "null"]},
            "photos": {"type": "integer", "description": "how many"},
            "received_at": {"type": "string", "format": "date-time"},
        },
    },
}

SCHEMAS = {
    "Token": {
        "type": "object",
        "required": ["token", "token_type", "expires_at"],
        "properties": {
            "token": {"type": "string", "description": "shown once; send as Bearer"},
            "token_type": {"const": "Bearer"},
            "expires_at": {"type": "string", "format": "date-time"},
        },
    },
    "Mission": {
        "type": "object",
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "election_date": {"type": "string", "format": "date"},
            "timezone": {"type": "string"},
            "languages": {"type": "array", "items": {"type": "string"}},
        },
    },
    "Station": {
        "type": "object",
        "required": ["id", "code", "name"],
        "properties": {
            "id": {"type": "integer"},
            "code": {"type": "string"},
            "name": {"type": "string"},
            "area": {"type": "string"},
            "lat": NULLABLE_NUMBER,
            "lon": NULLABLE_NUMBER,
            "position": {"type": "integer", "description": "order on the route, from 1"},
            "kind": {"enum": ["opening", "visit", "closing"]},
            "planned_arrival": {"type": ["string", "null"], "description": "HH:MM"},
            "registered_voters": {"type": ["integer", "null"], "description": "search only"},
        },
    },
    "Assignments": {
        "type": "object",
        "required": ["mission", "team", "plan", "stations"],
        "properties": {
            "mission": _ref("Mission"),
            "team": {
                "type": ["object", "null"],
                "properties": {
                    "code": {"type": "string"},
                    "kind": {"enum": ["sto", "lto"]},
                    "members": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"name": {"type": "string"}, "role": {"type": "string"}},
                        },
                    },
                },
            },
            "plan": {
                "type": ["object", "null"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "election_day": {"type": "string", "format": "date"},
                },
            },
            "stations": {"type": "array", "items": _ref("Station")},
            "route_change": {
                "type": ["object", "null"],
                "description": "How the route differs from the published plan this one replaced",
                "properties": {
                    "previous_plan_id": {"type": "integer"},
                    "previous_codes": {"type": "array", "items": {"type": "string"}},
                    "added": {"type": "array", "items": {"type": "string"}},
                    "removed": {"type": "array", "items": {"type": "string"}},
                    "reordered": {"type": "boolean"},
                },
            },
        },
    },
    "FormSummary": {
        "type": "object",
        "required": ["id", "form_id", "version", "kind", "title"],
        "properties": {
            "id": {"type": "integer"},
            "form_id": {"type": "string"},
            "version": {"type": "string"},
            "kind": {"type": "string"},
            "title": {"type": "string"},
        },
    },
    "FormDefinition": {
        "type": "object",
        "description": "The canonical definition (observer_suite/checklists/__init__.py) "
        "plus id and active",
        "required": ["id", "form_id", "version", "questions"],
        "properties": {
            "id": {"type": "integer"},
            "active": {"type": "boolean"},
            "form_id": {"type": "string"},
            "version": {"type": "string"},
            "kind": {"type": "string"},
            "title": {"type": "object", "additionalProperties": {"type": "string"}},
            "questions": {"type": "array", "items": {"type": "object"}},
            "choices": {"type": "object"},
            "checks": {"type": "array", "items": {"type": "object"}},
        },
        "additionalProperties": True,
    },
    "Flag": {
        "type": "object",
        "properties": {"id": {"type": "string"}, "message": {"type": "string"}},
    },
    "SubmissionResult": {
        "type": "object",
        "required": ["id", "uuid", "status", "flags"],
        "properties": {
            "id": {"type": "integer"},
            "uuid": {"type": "string"},
            "status": {"enum": ["created", "replayed"]},
            "flags": {"type": "array", "items": _ref("Flag")},
        },
    },
    **INCIDENT_SCHEMAS,
}


def _answer(schema: str | None, description: str) -> dict:
    if schema is None:
        return {"description": description}
    if not schema:
        return {"description": description, "content": {"application/json": {}}}
    return _json(_ref(schema), description)


def _operation(row: Operation) -> dict:
    found: dict = {"summary": row.summary}
    if row.public:
        found["security"] = []
    if row.params is not None:
        found["parameters"] = list(row.params)
    if row.body:
        content = {"application/json": {"schema": _ref(row.body)}}
        found["requestBody"] = {"required": True, "content": content}
    answers = {str(status): _answer(*answer) for status, answer in row.answers.items()}
    codes = sorted({*row.errors, 503}) if row.errors else []
    for code in codes:
        answers[str(code)] = _json(_ref("Error"), row.error_text.get(code, ERRORS[code]))
    found["responses"] = answers
    return found


def paths() -> dict:
    found: dict = {}
    for row in OPERATIONS:
        found.setdefault(row.path, {})[row.method] = _operation(row)
    return found


@cache
def document() -> dict:
    schemas = {
        **component_schemas(DECLARED),
        **SCHEMAS,
        "StationList": {
            "type": "object",
            "properties": {"stations": {"type": "array", "items": _ref("Station")}},
        },
        "FormList": {
            "type": "object",
            "properties": {"forms": {"type": "array", "items": _ref("FormSummary")}},
        },
        "IncidentCategoryList": {
            "type": "object",
            "properties": {"categories": {"type": "array", "items": _ref("IncidentCategory")}},
        },
        "IncidentList": {
            "type": "object",
            "properties": {"incidents": {"type": "array", "items": _ref("IncidentSummary")}},
        },
        **STATS_SCHEMAS,
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Observer Suite API",
            "version": "1",
            "description": "Election observation: assignments, forms, observations and "
            "incidents. "
            "Authenticate with the session cookie (send X-CSRFToken on POST/DELETE) or "
            "Authorization: Bearer <token> from POST /api/v1/auth/token.",
        },
        "servers": [{"url": "/"}],
        "security": [{"cookie": []}, {"bearer": []}],
        "paths": paths(),
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "cookie": {"type": "apiKey", "in": "cookie", "name": "session"},
                "bearer": {"type": "http", "scheme": "bearer"},
            },
        },
    }
