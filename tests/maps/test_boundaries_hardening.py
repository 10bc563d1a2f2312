"""GeoJSON nested deeper than any GeoJSON is gets a message, not a RecursionError (a 500 on
the upload page): nesting is measured before parsing, coordinates held to their type."""

import io
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from observer_suite.cli import main
from observer_suite.maps.boundaries import import_boundaries
from observer_suite.maps.boundary_limits import MAX_NESTING
from observer_suite.models import Area
from tests.conftest import csrf_token

TOO_DEEP = f"file: JSON nested more than {MAX_NESTING} levels deep; GeoJSON needs 8"
SQUARE = [[[6.0, 5.0], [6.1, 5.0], [6.1, 5.1], [6.0, 5.1], [6.0, 5.0]]]


def collection(coordinates: str, kind: str = "Polygon", name: str = "Lagos") -> bytes:
    return (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", '
        f'"properties": {{"shapeName": {json.dumps(name)}}}, '
        f'"geometry": {{"type": "{kind}", "coordinates": {coordinates}}}}}]}}'
    ).encode()


def nested(depth: int) -> str:
    return "[" * depth + "6.0, 5.0" + "]" * depth


@pytest.fixture
def mission(mission_factory, db):
    mission = mission_factory(slug="deep", levels="state,lga")
    db.session.add(Area(mission_id=mission.id, level=0, name="Lagos", code="LA", path="LA"))
    db.session.commit()
    return mission


@pytest.mark.parametrize("depth", [100_000, 1000, 40])
def test_deep_coordinates_are_refused_before_parsing(mission, db, depth):
    report = import_boundaries(mission, collection(nested(depth)), "state", "shapeName")
    assert not report.ok and not report.applied
    assert report.errors == [TOO_DEEP]


def test_nesting_is_measured_outside_strings(mission, db):
    name = "Lagos " + "[{" * 500 + '"]'  # in a property value, with an escaped quote
    data = collection(json.dumps(SQUARE), name=name)
    assert b'\\"]' in data
    report = import_boundaries(mission, data, "state", "shapeName")
    assert report.errors == [] and report.features == 1
    for unclosed in (b"[" * 100_000, ("{" * 50_000 + '"a').encode()):
        report = import_boundaries(mission, unclosed, "state", "shapeName")
        assert report.errors == [TOO_DEEP]


@pytest.mark.parametrize(
    ("kind", "coordinates", "allowed"),
    [("Polygon", [SQUARE], 3), ("MultiPolygon", [[SQUARE]], 4), ("Polygon", [[[SQUARE]]], 3)],
)
def test_coordinates_deeper_than_their_type_are_a_bad_feature(mission, kind, coordinates, allowed):
    report = import_boundaries(
        mission, collection(json.dumps(coordinates), kind), "state", "shapeName"
    )
    assert report.bad == [
        (0, f"'Lagos': coordinates nested more than {allowed} arrays deep, as no {kind} is")
    ]


def test_upload_page_answers_400(mission, user_factory, login, db):
    client = login(user_factory(role="coordinator", missions=[mission]))
    url = f"/missions/{mission.slug}/maps/boundaries"
    form = {
        "csrf_token": csrf_token(client, url),
        "level": "0",
        "key": "shapeName",
        "file": (io.BytesIO(collection(nested(100_000))), "deep.geojson"),
    }
    response = client.post(url, data=form, content_type="multipart/form-data")
    assert response.status_code == 400
    assert TOO_DEEP in response.get_data(as_text=True)
    assert db.session.scalar(select(Area.boundary).where(Area.code == "LA")) is None


def test_cli_prints_the_problem(mission, database_url, tmp_path):
    path = tmp_path / "deep.geojson"
    path.write_bytes(collection(nested(100_000)))
    result = CliRunner().invoke(
        main,
        ["--database-url", database_url, "import", "boundaries", str(path), "--level", "state"],
    )
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert TOO_DEEP in result.output and "Traceback" not in result.output
