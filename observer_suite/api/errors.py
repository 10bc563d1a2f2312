"""One JSON error shape for the API, and reading a JSON body without ever failing with a 500."""

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


def handle_http_error(exc: HTTPException):
    if isinstance(exc, CSRFError):
        return error_response(400, "csrf_failed", f"CSRF check failed: {exc.description}")
    code = (exc.name or "error").lower().replace(" ", "_")
    response, status = error_response(exc.code or 500, code, exc.description or exc.name)
    if exc.code == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
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
