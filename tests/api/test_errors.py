"""Every error the API can give has the `Error` shape its own OpenAPI document declares."""

import re

import pytest

from tests.api.fixtures import payload, post
from tests.conftest import csrf_token

SNAKE = re.compile(r"[a-z][a-z0-9_]*")
TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
}


def problems(value, schema: dict, document: dict, where: str = "$") -> list[str]:
    """The JSON Schema keywords the Error schema uses, checked by hand (no jsonschema here)."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        return problems(value, document["components"]["schemas"][name], document, where)
    found = []
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        fits = any(
            isinstance(value, TYPES[n]) and not (n in ("integer", "number") and value is True)
            for n in names
        )
        if not fits:
            return [f"{where}: {value!r} is not {names}"]
    if "const" in schema and value != schema["const"]:
        found.append(f"{where}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        found.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, dict):
        found += [f"{where}: {k} is missing" for k in schema.get("required", ()) if k not in value]
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                found += problems(item, properties[key], document, f"{where}.{key}")
            elif extra is False:
                found.append(f"{where}: {key} is not allowed")
            elif isinstance(extra, dict):
                found += problems(item, extra, document, f"{where}.{key}")
    return found


@pytest.fixture
def document(field, client, login):
    return login(field.users.obs1).get("/api/v1/openapi.json").json


def test_the_schema_checker_refuses_what_it_should(document):
    schema = document["components"]["schemas"]["Error"]
    assert problems({"error": "x", "detail": "d", "field": None}, schema, document) == []
    assert problems({"error": "authentication required", "field": None}, schema, document)
    assert problems({"error": "not found", "detail": "d", "field": None}, schema, document)
    assert problems({"error": "x", "detail": "d", "field": 3}, schema, document)


def _situations(client, anonymous, app):
    """(what, expected status, expected code or None, response) for each error situation:
    before any view is found (unknown path, wrong method, anonymous), in the views, and in
    the limiter."""
    token = csrf_token(client)
    as_json = {"X-CSRFToken": token, "Content-Type": "application/json"}
    yield "unknown path", 404, "not_found", client.get("/api/v1/no-such-thing")
    yield "id beyond integers", 404, "not_found", client.get("/api/v1/forms/" + "9" * 20)
    yield "no such id", 404, "not_found", client.get("/api/v1/forms/999999")
    yield "no such mission", 404, "not_found", client.get("/api/v1/forms?mission=elsewhere")
    yield "wrong method", 405, "method_not_allowed", client.delete("/api/v1/forms")
    yield (
        "wrong method on a POST route",
        405,
        "method_not_allowed",
        client.put("/api/v1/submissions", json={}, headers={"X-CSRFToken": token}),
    )
    yield (
        "bad JSON",
        400,
        "invalid_json",
        client.post("/api/v1/submissions", data="{not json", headers=as_json),
    )
    yield (
        "not JSON",
        415,
        "unsupported_media_type",
        client.post("/api/v1/submissions", data="a=1", headers={"X-CSRFToken": token}),
    )
    yield "no CSRF header", 400, "csrf_failed", client.post("/api/v1/submissions", json=payload())
    yield (
        "invalid answers",
        422,
        "invalid_answers",
        post(client, payload(answers={"seals_intact": "maybe"}), csrf=token),
    )
    yield (
        "another team's station",
        403,
        "not_your_station",
        post(client, payload(station="S003"), csrf=token),
    )
    yield "wrong role", 403, "forbidden", client.get("/api/v1/stats/indicators")
    saved = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 2000
    try:
        big = post(client, payload(answers={"remarks": "x" * 5000}), csrf=token)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = saved
    yield "too large", 413, "request_entity_too_large", big
    yield "anonymous", 401, "unauthorized", anonymous.get("/api/v1/me/assignments")
    yield "anonymous, unknown path", 401, "unauthorized", anonymous.get("/api/v1/nothing")
    yield (
        "wrong password",
        401,
        "invalid_credentials",
        anonymous.post("/api/v1/auth/token", json={"username": "obs1", "password": "nope"}),
    )
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    for _ in range(limit):
        anonymous.post("/api/v1/auth/token", json={"username": "", "password": ""})
    yield (
        "too many token requests",
        429,
        "too_many_requests",
        anonymous.post("/api/v1/auth/token", json={"username": "", "password": ""}),
    )


def test_every_api_error_follows_the_error_schema(document, client, app):
    schema = document["components"]["schemas"]["Error"]
    wrong = []
    for what, status, code, response in _situations(client, app.test_client(), app):
        body = response.get_json(silent=True)
        if response.status_code != status or not isinstance(body, dict):
            wrong.append(f"{what}: {response.status_code} {response.get_data(as_text=True)[:80]}")
            continue
        found = problems(body, schema, document)
        if not SNAKE.fullmatch(str(body.get("error"))):  # one spelling: not_found, not "not found"
            found.append(f"code {body.get('error')!r} is not snake case")
        if code and body.get("error") != code:
            found.append(f"code {body.get('error')!r}, expected {code!r}")
        if not body.get("detail"):
            found.append("no detail")
        wrong += [f"{what}: {problem}" for problem in found]
    assert wrong == [], "\n".join(wrong)


def test_a_wrong_method_names_the_allowed_ones(client, field, login):
    login(field.users.obs1)
    listing = client.delete("/api/v1/forms")
    assert listing.status_code == 405
    assert {m.strip() for m in listing.headers["Allow"].split(",")} >= {"GET", "HEAD"}
    intake = client.get("/api/v1/submissions")
    assert intake.status_code == 405
    assert "POST" in intake.headers["Allow"] and "GET" not in intake.headers["Allow"]
