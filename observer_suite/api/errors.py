"""One JSON error shape for the API, and reading a JSON body without ever failing with a 500.

Every error body under /api/ is made by error_response, so it has the OpenAPI `Error` shape
({"error", "detail", "field"}, plus "fields" on 422), and every code is snake case.
"""

import re

from flask import jsonify, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        error: str,
        detail: str,
        field: str | None = None,
        fields: dict | None = None,
    ):
        super().__init__(detail)
        self.status, self.error, self.detail = status, error, detail
        self.field, self.fields = field, fields


def error_response(
    status: int, error: str, detail: str, field: str | None = None, fields: dict | None = None
):
    body = {"error": error, "detail": detail, "field": field}
    if fields:
        body["fields"] = fields
        if field is None and len(fields) == 1:
            body["field"] = next(iter(fields))
    return jsonify(body), status


def handle_api_error(exc: ApiError):
    return error_response(exc.status, exc.error, exc.detail, exc.field, exc.fields)


def error_code(exc: HTTPException) -> str:
    """werkzeug's name in snake case: "Not Found" → not_found, "I'm a teapot" → im_a_teapot."""
    words = re.sub(r"[^a-z0-9]+", " ", (exc.name or "").lower().replace("'", "")).split()
    return "_".join(words) or "error"


def exception_headers(exc: HTTPException) -> list[tuple[str, str]]:
    """What the exception says beyond its body: Allow on 405, Retry-After on 429 and 503,
    WWW-Authenticate on 401; not its Content-Type, which is the handler's."""
    return [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]


def handle_http_error(exc: HTTPException):
    """The JSON answer for any werkzeug HTTPException under /api/, whether raised in an API
    view or before one was found (an unknown path, a wrong method): the app-wide handler in
    web.setup sends those here too."""
    if isinstance(exc, CSRFError):
        return error_response(400, "csrf_failed", f"CSRF check failed: {exc.description}")
    detail = str(exc.description or exc.name or "error")
    response, status = error_response(exc.code or 500, error_code(exc), detail)
    response.headers.extend(exception_headers(exc))
    return response, status


def json_body() -> dict:
    """The request's JSON object; 415 when not JSON, 400 when malformed or not an object."""
    if not request.is_json:
        raise ApiError(
            415, "unsupported_media_type", "send a JSON object with Content-Type: application/json"
        )
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(400, "invalid_json", "the body is not valid JSON")
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", "the body must be a JSON object")
    return data
