"""JSON through orjson: what Flask answers, what it accepts, and what the JSON columns keep."""

import json
from datetime import datetime
from decimal import Decimal

from flask import jsonify
from sqlalchemy import select

from observer_suite.models import AuditEntry


def test_responses_keep_flasks_conventions(app):
    with app.test_request_context():
        response = jsonify(
            {"z": 1, "a": "Bureau de vote n°3 — Élection", "when": datetime(2027, 2, 25, 7, 30)}
        )
        body = response.get_data()
    assert response.mimetype == "application/json"
    assert body.endswith(b"\n")
    assert list(json.loads(body)) == ["a", "when", "z"]  # sorted, as Flask sorts
    assert json.loads(body)["a"] == "Bureau de vote n°3 — Élection"
    assert json.loads(body)["when"] == "Thu, 25 Feb 2027 07:30:00 GMT"  # Flask's HTTP date


def test_dumps_takes_what_flask_takes(app):
    text = app.json.dumps({1: Decimal("2.50"), "nan": float("nan"), "s": "<script>"})
    assert json.loads(text) == {"1": "2.50", "nan": None, "s": "<script>"}
    assert json.loads(app.json.dumps({"b": 1, "a": 2}, indent=2)) == {"a": 2, "b": 1}


def test_loads_refuses_what_is_not_json(app):
    assert app.json.loads(b'{"a": [1, 2.5, "\\u00e9"]}') == {"a": [1, 2.5, "é"]}
    for text in (b'{"a": NaN}', b'{"a": "\\ud800"}', b"{'a': 1}"):
        try:
            app.json.loads(text)
        except ValueError:
            continue
        raise AssertionError(f"{text!r} was accepted")


def test_json_columns_round_trip_text_in_any_script(db, mission_factory):
    mission = mission_factory()
    detail = {"name": "Ébonyi — Абакалики — أبا", "counts": [1, 2.5], "ok": True, "none": None}
    db.session.add(
        AuditEntry(action="test", entity="Mission", entity_id=mission.id, details=detail)
    )
    db.session.commit()
    db.session.expunge_all()
    stored = db.session.scalar(select(AuditEntry.details).where(AuditEntry.action == "test"))
    assert stored == detail


def test_api_bodies_are_read_and_answered(client):
    response = client.post("/api/v1/auth/token", json={"username": "nobody", "password": "é"})
    assert response.status_code == 401 and response.json["error"] == "invalid_credentials"
    response = client.post(
        "/api/v1/auth/token", data=b'{"username": NaN}', content_type="application/json"
    )
    assert response.status_code == 400 and response.json["error"] == "invalid_json"
