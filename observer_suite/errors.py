"""One error type for every refusal a service makes, and the ways it is shown.

A service raises a ServiceError subclass with the message a person reads, the field it is
about (None: the request as a whole), the HTTP status and the snake-case code the API
answers with. Views never parse the message: `error_response` makes the API's `Error` body
(the OpenAPI shape {"error", "detail", "field"}, plus "fields" when several fields are at
fault), `page_message` gives a page its (field, text) to show beside a form field or flash,
`show_refusal` puts that on the page (and rolls back what the request wrote), and
`described` gives the one-line "field: message" a command line prints.

The base layer: imports nothing from the capability packages, so every one of them may raise
these and auth/ may answer in the API's shape without importing api/.
"""

from flask import flash, jsonify

from observer_suite.transaction import abandon


class ServiceError(ValueError):
    """A refusal: nothing the service was asked to do happened.

    A ValueError, because the reporting callers (reporting/downloads.py, reporting/cli.py)
    catch a refused argument and a malformed one in one `except ValueError`."""

    status: int = 422
    code: str = "invalid_request"

    def __init__(
        self,
        message: str,
        field: str | None = None,
        status: int | None = None,
        code: str | None = None,
        fields: dict | None = None,
    ):
        super().__init__(message)
        self.message, self.field, self.fields = message, field, fields
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code


class RequestError(ServiceError):
    """A request refused at a door (the API, an intake channel) before any capability's own
    rule: a body that is not JSON, a payload field at fault, an unknown station, a replayed
    uuid with other content. Raised with the status and code the API answers."""


def error_body(
    code: str, detail: str, field: str | None = None, fields: dict | None = None
) -> dict:
    """The OpenAPI `Error` object; with one field at fault in `fields`, `field` names it."""
    body = {"error": code, "detail": detail, "field": field}
    if fields:
        body["fields"] = fields
        if field is None and len(fields) == 1:
            body["field"] = next(iter(fields))
    return body


def json_error(
    status: int, code: str, detail: str, field: str | None = None, fields: dict | None = None
):
    """(response, status) with an `Error` body: the one producer of JSON error answers."""
    return jsonify(error_body(code, detail, field, fields)), status


def error_response(exc: ServiceError):
    """The API's answer to a refusal."""
    return json_error(exc.status, exc.code, exc.message, exc.field, exc.fields)


def page_message(exc: ServiceError) -> tuple[str | None, str]:
    """(field, text) for the page that answers a refusal: the text goes beside the form
    field named, or is flashed when there is none. What the request wrote is rolled back
    first (transaction.abandon): the refusal may follow a partial write, and the page
    answering it reads the database afresh."""
    abandon()
    return exc.field, exc.message


def show_refusal(exc: ServiceError, form=None, default=None, names: dict | None = None) -> str:
    """Show a refusal on the page being answered (see page_message). The message goes beside
    the form field the refusal names (`names` maps a service's field to the form's where they
    differ), else beside `default`, else it is flashed as an error; a refusal naming several
    fields (`fields`) on a form puts each message beside its own. Returns the message."""
    field, message = page_message(exc)
    if exc.fields and form is not None:
        for key, text in exc.fields.items():
            _show(text, _form_field(form, (names or {}).get(key, key)))
        return message
    _show(message, _form_field(form, (names or {}).get(field, field)) or default)
    return message


def _form_field(form, name: str | None):
    target = getattr(form, name, None) if form is not None and name else None
    return target if hasattr(target, "errors") and name != "csrf_token" else None


def _show(message: str, target) -> None:
    if target is None:
        flash(message, "error")
    else:
        target.errors = [*target.errors, message]


def described(exc: ServiceError) -> str:
    """The one line "field: message", for a command line or a log."""
    return f"{exc.field}: {exc.message}" if exc.field else exc.message
