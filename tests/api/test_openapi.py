"""The generated OpenAPI document: valid OpenAPI 3.1, every reference found, its request
bodies the very schemas of the models that check them, and a valid body valid by both."""

import json
import re

import pytest

from observer_suite.api.bodies import Error, TokenRequest
from observer_suite.api.openapi import DECLARED, document
from observer_suite.api.paths import OPERATIONS
from observer_suite.incidents.payload import IncidentReport
from observer_suite.observations.payload import Submission
from observer_suite.util.schema import component_schemas

GOOD_SUBMISSION = {
    "uuid": "123e4567-e89b-42d3-a456-426614174000",
    "form_id": "t_count",
    "form_version": 1,
    "station_code": "S001",
    "arrived_at": "2027-02-25T07:30:00+01:00",
    "departed_at": None,
    "answers": {"votes_a": 10},
}
GOOD_INCIDENT = {
    "uuid": "123e4567-e89b-42d3-a456-426614174001",
    "category": "violence",
    "severity": "high",
    "occurred_at": "2027-02-25T09:00:00Z",
    "latitude": 9.1,
    "longitude": 7.4,
    "title": "Crowd at the gate",
    "photos": [{"filename": "a.png", "content_type": "image/png", "data": "iVBORw0KGgo="}],
}


def _pointer(doc: dict, ref: str):
    found = doc
    for part in ref.removeprefix("#/").split("/"):
        found = found[part.replace("~1", "/").replace("~0", "~")]
    return found


def _refs(value):
    if isinstance(value, dict):
        if isinstance(value.get("$ref"), str):
            yield value["$ref"]
        for item in value.values():
            yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def test_every_reference_resolves_inside_the_document():
    doc = document()
    refs = set(_refs(doc))
    assert "#/components/schemas/PhotoUpload" in refs  # a model used inside another
    for ref in refs:
        assert ref.startswith("#/components/"), ref
        assert isinstance(_pointer(doc, ref), dict), ref
    assert "$defs" not in json.dumps(doc)


def test_the_document_is_valid_openapi_3_1():
    validator = pytest.importorskip("openapi_spec_validator")
    doc = document()
    assert doc["openapi"] == "3.1.0"
    validator.validate(doc)


def test_request_bodies_and_error_are_the_models_schemas():
    schemas = document()["components"]["schemas"]
    generated = component_schemas(DECLARED)
    assert set(generated) == {
        "TokenRequest",
        "Submission",
        "IncidentReport",
        "PhotoUpload",
        "Error",
    }
    for name, schema in generated.items():
        assert schemas[name] == schema, name
    assert schemas["Submission"]["required"] == [
        "uuid",
        "form_id",
        "form_version",
        "station_code",
        "arrived_at",
        "answers",
    ]
    assert schemas["Error"]["additionalProperties"] is False
    assert schemas["Error"]["required"] == ["error", "detail", "field"]
    assert (
        "title" not in schemas["Submission"] and "title" in schemas["IncidentReport"]["properties"]
    )


def test_each_operation_of_the_table_is_a_route_of_the_blueprint(app):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    table = {(row.path, row.method) for row in OPERATIONS}
    assert table == routes
    for row in OPERATIONS:
        if row.body:
            assert row.method == "post" and row.body in document()["components"]["schemas"]


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("Submission", GOOD_SUBMISSION),
        ("IncidentReport", GOOD_INCIDENT),
        ("TokenRequest", {"username": "obs1", "password": "secret"}),
    ],
)
def test_a_good_body_is_valid_by_the_document(name, body):
    jsonschema = pytest.importorskip("jsonschema")
    doc = document()
    schema = {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}
    jsonschema.Draft202012Validator(schema).validate(body)
    bad = {key: value for key, value in body.items() if key != "uuid" and key != "username"}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad))


def test_the_models_accept_the_good_bodies():
    assert Submission.model_validate(GOOD_SUBMISSION).form_version == "1"
    assert TokenRequest.model_validate({"username": "u", "password": "p"}).username == "u"
    error = Error.model_validate({"error": "not_found", "detail": "no such form", "field": None})
    assert error.fields == {}
    report = IncidentReport.model_validate({**GOOD_INCIDENT, "photos": []})
    assert report.severity.value == "high" and report.description == ""
