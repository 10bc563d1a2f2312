"""The API's answers to werkzeug's HTTP errors, and reading a JSON body without ever failing
with a 500.

Every error body under /api/ is made by observer_suite.errors (json_error, error_response),
so it has the OpenAPI `Error` shape ({"error", "detail", "field"}, plus "fields" on 422),
and every code is snake case.
"""

import re

from flask import request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from observer_suite.errors import RequestError, json_error


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
        return json_error(400, "csrf_failed", f"CSRF check failed: {exc.description}")
    detail = str(exc.description or exc.name or "error")
    response, status = json_error(exc.code or 500, error_code(exc), detail)
    response.headers.extend(exception_headers(exc))
    return response, status


def json_body() -> dict:
    """The request's JSON object; 415 when not JSON, 400 when malformed or not an object."""
    if not request.is_json:
        raise RequestError(
            "send a JSON object with Content-Type: application/json",
            status=415,
            code="unsupported_media_type",
        )
    data = request.get_json(silent=True)
    if data is None:
        raise RequestError("the body is not valid JSON", status=400, code="invalid_json")
    if not isinstance(data, dict):
        raise RequestError("the body must be a JSON object", status=400, code="invalid_json")
    return data
