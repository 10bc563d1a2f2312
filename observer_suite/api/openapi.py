"""The OpenAPI 3.1 document of /api/v1, written as a Python dict next to the code it describes.

No framework generates it: the API is small, and a test checks that every route of the
blueprint is listed here, so the two cannot drift apart unnoticed.
"""

from functools import cache

from observer_suite.api.openapi_stats import STATS_PATHS, STATS_SCHEMAS

REF = "#/components/schemas/"


def _ref(name: str) -> dict:
    return {"$ref": REF + name}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    text = {
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
    # Any operation may meet an unreachable database.
    return {str(code): _json(_ref("Error"), text[code]) for code in sorted({*codes, 503})}


MISSION_PARAM = {
    "name": "mission",
    "in": "query",
    "required": False,
    "description": "Mission slug; default: the most recent mission you belong to",
    "schema": {"type": "string"},
}
NULLABLE_NUMBER = {"type": ["number", "null"]}

INCIDENT_SCHEMAS = {
    "PhotoUpload": {
        "type": "object",
        "required": ["content_type", "data"],
        "properties": {
            "filename": {"type": "string", "description": "sanitised on the server"},
            "content_type": {"enum": ["image/jpeg", "image/png", "image/webp"]},
            "data": {
                "type": "string",
                "contentEncoding": "base64",
                "description": "the image (a data: URL prefix is accepted); its first bytes "
                "must match content_type; at most INCIDENT_PHOTO_MAX_MB (5) decoded",
            },
        },
    },
    "IncidentReport": {
        "type": "object",
        "required": ["uuid", "category", "severity", "occurred_at", "title"],
        "description": "A station_code, or latitude and longitude, or both",
        "properties": {
            "uuid": {"type": "string", "format": "uuid", "description": "made on the device"},
            "category": {"type": "string", "description": "a code from /incidents/categories"},
            "severity": {"enum": ["low", "medium", "high", "critical"]},
            "occurred_at": {"type": "string", "format": "date-time", "description": "with offset"},
            "station_code": {"type": ["string", "null"]},
            "latitude": {"type": ["number", "null"], "minimum": -90, "maximum": 90},
            "longitude": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
            "title": {"type": "string", "maxLength": 200},
            "description": {"type": ["string", "null"], "maxLength": 5000},
            "observation_uuid": {
                "type": ["string", "null"],
                "format": "uuid",
                "description": "the observation whose critical answer raised it",
            },
            "question": {"type": ["string", "null"], "description": "that answer's question"},
            "mission": {"type": "string", "description": "slug"},
            "photos": {
                "type": "array",
                "maxItems": 3,
                "items": {"$ref": "#/components/schemas/PhotoUpload"},
                "description": "at most INCIDENT_MAX_PHOTOS (3)",
            },
        },
    },
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
    "Error": {
        "type": "object",
        "description": "Every 4xx and 5xx answer under /api/; a 405 also sends Allow, a 429 "
        "and a 503 Retry-After",
        "required": ["error", "detail", "field"],
        "additionalProperties": False,
        "properties": {
            "error": {
                "type": "string",
                "pattern": "^[a-z][a-z0-9_]*$",
                "description": "short code in snake case, e.g. invalid_answers, not_found, "
                "method_not_allowed",
            },
            "detail": {"type": "string"},
            "field": {"type": ["string", "null"]},
            "fields": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "field → message; answers as answers.<question name>",
            },
        },
    },
    "TokenRequest": {
        "type": "object",
        "required": ["username", "password"],
        "properties": {"username": {"type": "string"}, "password": {"type": "string"}},
    },
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
    "Submission": {
        "type": "object",
        "required": ["uuid", "form_id", "form_version", "station_code", "arrived_at", "answers"],
        "properties": {
            "uuid": {"type": "string", "format": "uuid", "description": "made on the device"},
            "form_id": {"type": "string"},
            "form_version": {"type": "string"},
            "station_code": {"type": "string"},
            "mission": {
                "type": "string",
                "description": "slug; needed only when the code exists in several of your missions",
            },
            "arrived_at": {"type": "string", "format": "date-time", "description": "with offset"},
            "departed_at": {"type": ["string", "null"], "format": "date-time"},
            "answers": {"type": "object", "description": "question name → answer"},
        },
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


def _get(summary: str, schema: str, *errors: int, params=(MISSION_PARAM,)) -> dict:
    return {
        "summary": summary,
        "parameters": list(params),
        "responses": {"200": _json(_ref(schema), "OK"), **_errors(401, *errors)},
    }


PATHS = {
    "/api/v1/auth/token": {
        "post": {
            "summary": "Exchange a username and password for a bearer token (rate-limited)",
            "security": [],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("TokenRequest")}},
            },
            "responses": {
                "201": _json(_ref("Token"), "Token issued"),
                **_errors(400, 401, 415, 422, 429),
            },
        },
        "delete": {
            "summary": "Revoke the bearer token of this request",
            "responses": {"204": {"description": "Revoked"}, **_errors(400, 401)},
        },
    },
    "/api/v1/me/assignments": {
        "get": _get("Your team and its route in the published plan", "Assignments", 404)
    },
    "/api/v1/stations": {
        "get": {
            **_get("Search stations by code, name or centre (at most 50)", "StationList", 404),
            "parameters": [
                MISSION_PARAM,
                {"name": "q", "in": "query", "required": False, "schema": {"type": "string"}},
            ],
        }
    },
    "/api/v1/forms": {"get": _get("The active version of each form", "FormList", 404)},
    "/api/v1/forms/{form_pk}": {
        "get": _get(
            "One form version's definition",
            "FormDefinition",
            404,
            params=(
                {"name": "form_pk", "in": "path", "required": True, "schema": {"type": "integer"}},
            ),
        )
    },
    "/api/v1/submissions": {
        "post": {
            "summary": "Submit one observation (idempotent by uuid)",
            "parameters": [MISSION_PARAM],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("Submission")}},
            },
            "responses": {
                "201": _json(_ref("SubmissionResult"), "Stored"),
                "200": _json(_ref("SubmissionResult"), "Identical replay; the stored id"),
                **_errors(400, 401, 403, 409, 415, 422),
            },
        }
    },
    "/api/v1/incidents": {
        "post": {
            "summary": "Report one incident with up to 3 photos (idempotent by uuid)",
            "parameters": [MISSION_PARAM],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("IncidentReport")}},
            },
            "responses": {
                "201": _json(_ref("IncidentResult"), "Stored"),
                "200": _json(_ref("IncidentResult"), "Identical replay; the stored id"),
                **_errors(400, 401, 403, 409, 413, 415, 422, 503),
            },
        }
    },
    "/api/v1/incidents/categories": {
        "get": _get("The mission's active incident categories", "IncidentCategoryList", 404)
    },
    "/api/v1/me/incidents": {
        "get": _get("Your team's incidents, newest first (at most 200)", "IncidentList", 404)
    },
    **STATS_PATHS,
    "/api/v1/openapi.json": {
        "get": {
            "summary": "This document",
            "responses": {
                "200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}
            },
        }
    },
}


@cache
def document() -> dict:
    schemas = {
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
        "paths": PATHS,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "cookie": {"type": "apiKey", "in": "cookie", "name": "session"},
                "bearer": {"type": "http", "scheme": "bearer"},
            },
        },
    }
