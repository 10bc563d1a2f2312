"""ServiceError and its renderings: the API's Error body, a page's message, a CLI line."""

import pytest
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import StringField

from observer_suite.auth.services import UserError
from observer_suite.deployment.services import PlanConflict, PlanError
from observer_suite.errors import (
    RequestError,
    ServiceError,
    described,
    error_response,
    page_message,
    show_refusal,
)
from observer_suite.incidents.workflow import NotPermitted, StaleStatus, WorkflowError
from observer_suite.observations.review import ReviewError, StaleReview
from observer_suite.reporting.statistics.endpoint import StatsArgumentError
from observer_suite.teams.services import TeamError


class _Form(FlaskForm):
    class Meta:
        csrf = False

    username = StringField()
    first = StringField()


def test_defaults_are_a_422_invalid_request():
    exc = ServiceError("is required", field="name")
    assert (exc.status, exc.code, exc.field, exc.fields) == (422, "invalid_request", "name", None)
    assert str(exc) == exc.message == "is required"
    assert isinstance(exc, ValueError)  # reporting catches refusals with parse errors


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (ReviewError("no"), 400, "invalid_request"),
        (StaleReview("no"), 409, "conflict"),
        (WorkflowError("no"), 400, "invalid_request"),
        (NotPermitted("no"), 403, "forbidden"),
        (StaleStatus("no"), 409, "conflict"),
        (PlanConflict("no"), 409, "conflict"),
        (StatsArgumentError("lang: no", field="lang"), 422, "invalid_parameter"),
        (RequestError("no", status=415, code="unsupported_media_type"), 415, None),
    ],
)
def test_each_kind_carries_its_status_and_code(exc, status, code):
    assert exc.status == status
    assert exc.code == (code or "unsupported_media_type")


def test_the_json_body_is_the_openapi_error_shape(app):
    with app.test_request_context("/api/v1/x"):
        response, status = error_response(
            TeamError("choose two different observers", field="observers")
        )
    assert status == 422
    assert response.get_json() == {
        "error": "invalid_request",
        "detail": "choose two different observers",
        "field": "observers",
    }


def test_one_field_of_several_names_the_field(app):
    exc = RequestError("1 answer(s) need attention", code="invalid_answers", fields={"a": "no"})
    with app.test_request_context("/api/v1/x"):
        response, status = error_response(exc)
    assert status == 422
    assert response.get_json() == {
        "error": "invalid_answers",
        "detail": "1 answer(s) need attention",
        "field": "a",
        "fields": {"a": "no"},
    }


def test_a_page_shows_the_message_beside_its_field(app):
    with app.test_request_context("/", method="POST"):
        form = _Form()
        form.validate()
        shown = show_refusal(UserError("is already taken", field="username"), form)
        assert shown == "is already taken"
        assert form.username.errors == ["is already taken"]
        assert get_flashed_messages() == []


def test_a_page_maps_a_field_or_falls_back(app):
    with app.test_request_context("/", method="POST"):
        form = _Form()
        form.validate()
        show_refusal(TeamError("busy", field="observers"), form, names={"observers": "first"})
        show_refusal(TeamError("no such thing", field="unknown"), form, default=form.username)
        assert form.first.errors == ["busy"]
        assert form.username.errors == ["no such thing"]


def test_without_a_form_the_message_is_flashed(app):
    with app.test_request_context("/"):
        show_refusal(PlanError("an empty plan cannot be published", field="plan"))
        assert get_flashed_messages(with_categories=True) == [
            ("error", "an empty plan cannot be published")
        ]


def test_page_message_and_cli_line(app):
    exc = PlanError("unlock the team's route before changing it", field="team")
    with app.test_request_context("/"):
        assert page_message(exc) == ("team", "unlock the team's route before changing it")
    assert described(exc) == "team: unlock the team's route before changing it"
    assert described(ServiceError("no field")) == "no field"
