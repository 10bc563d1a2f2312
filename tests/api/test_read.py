"""The read endpoints the tablet uses, and the OpenAPI document that lists them all."""

import re

from tests.api.fixtures import COUNTING


def test_assignments_of_an_observer(field, login):
    client = login(field.users.obs2)
    data = client.get("/api/v1/me/assignments").json
    assert data["mission"]["slug"] == "field"
    assert data["team"]["code"] == "T02"
    assert [m["name"] for m in data["team"]["members"]] == ["Observer 2", "Observer 3"]
    assert data["plan"]["election_day"] == "2027-02-25"
    stations = data["stations"]
    assert [(s["code"], s["position"], s["kind"]) for s in stations] == [
        ("S003", 1, "opening"),
        ("S004", 2, "closing"),
    ]
    assert {"id", "name", "area", "lat", "lon", "planned_arrival"} <= set(stations[0])


def test_assignments_of_staff_without_a_team(field, login):
    data = login(field.users.coordinator).get("/api/v1/me/assignments?mission=field").json
    assert data["team"] is None and data["stations"] == [] and data["plan"] is not None


def test_unknown_mission_is_a_json_404(field, login):
    response = login(field.users.obs1).get("/api/v1/forms?mission=elsewhere")
    assert response.status_code == 404 and response.json["field"] == "mission"


def test_forms_list_and_definition(field, login, db, mission_factory):
    from observer_suite.models import Form

    client = login(field.users.obs1)
    forms = client.get("/api/v1/forms").json["forms"]
    assert forms == [
        {"id": field.form.id, "form_id": "t_count", "version": "1", "kind": "counting",
         "title": "Counting"}
    ]  # fmt: skip
    definition = client.get(f"/api/v1/forms/{field.form.id}").json
    assert definition["id"] == field.form.id and definition["questions"] == COUNTING["questions"]
    other = mission_factory(slug="secret")
    hidden = Form(mission_id=other.id, form_id="x", version="1", kind="other", title="X",
                  definition=COUNTING)  # fmt: skip
    db.session.add(hidden)
    db.session.commit()
    assert client.get(f"/api/v1/forms/{hidden.id}").status_code == 404


def test_station_search(field, login):
    client = login(field.users.obs1)
    found = client.get("/api/v1/stations?q=S00").json["stations"]
    assert len(found) == 6 and found[0]["code"] == "S001"
    assert client.get("/api/v1/stations?q=S005").json["stations"][0]["registered_voters"] == 400


def _api_rules(app) -> dict[str, set[str]]:
    rules = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            rules.setdefault(path, set()).update(rule.methods - {"HEAD", "OPTIONS"})
    return rules


def test_openapi_document_lists_every_route(field, login, app):
    response = login(field.users.obs1).get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document["openapi"].startswith("3.1")
    rules = _api_rules(app)
    assert rules, "the api blueprint is not registered"
    for path, methods in rules.items():
        assert path in document["paths"], path
        assert {m.lower() for m in methods} <= set(document["paths"][path]), path
    for operation in (op for item in document["paths"].values() for op in item.values()):
        assert operation["responses"], operation["summary"]
    text = response.get_data(as_text=True)
    for ref in set(re.findall(r'"\$ref":\s*"#/components/schemas/([^"]+)"', text)):
        assert ref in document["components"]["schemas"], ref
    try:
        from openapi_spec_validator import validate
    except ImportError:
        return
    validate(document)
