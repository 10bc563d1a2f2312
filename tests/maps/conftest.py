"""Fixtures for the map tests: Nigeria areas from the shared data, a findings world."""

import csv
import io
import json

import pytest

from observer_suite.imports import run_import
from tests.conftest import SHARED_DATA

PU_FILE = SHARED_DATA / "ng-polling-units.csv"
STATES_FILE = SHARED_DATA / "ng-state-boundaries.geojson"
LGAS_FILE = SHARED_DATA / "ng-lga-boundaries.geojson"


def _need(path):
    if not path.exists():
        pytest.skip(f"{path.name} is not in shared/data beside the repository")
    return path


def nigeria_csv(states: tuple[str, ...] = ("04", "11", "14"), per_lga: int = 1) -> bytes:
    """The real polling-unit file cut down to `per_lga` units per LGA: every state and LGA
    name as INEC spells it, in a fraction of the import time."""
    out = io.StringIO()
    counts: dict[tuple[str, str], int] = {}
    with _need(PU_FILE).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
        writer.writeheader()
        for row in reader:
            key = (row["state_code"], row["lga_code"])
            if row["state_code"] in states and counts.get(key, 0) < per_lga:
                counts[key] = counts.get(key, 0) + 1
                writer.writerow(row)
    return out.getvalue().encode()


@pytest.fixture
def nigeria(mission_factory, db):
    """A mission with the three states and 51 LGAs of the shared polling-unit file."""
    mission = mission_factory(slug="ng", levels="state,lga,ward", timezone="Africa/Lagos")
    result = run_import("stations", mission, nigeria_csv(), "pu.csv", dry_run=False)
    assert result.ok, result.error_lines()[:5]
    db.session.commit()
    return mission


@pytest.fixture
def state_geojson() -> bytes:
    return _need(STATES_FILE).read_bytes()


@pytest.fixture
def lga_geojson() -> bytes:
    return _need(LGAS_FILE).read_bytes()


def features(data: bytes) -> dict:
    return json.loads(data)


@pytest.fixture
def hostile_mission(field, db, client, login):
    """The `field` mission with every name a map, page or PDF shows set to markers, and an
    incident whose title an observer sent through the API."""
    from observer_suite.incidents.taxonomy import ensure_categories
    from observer_suite.models import Area, IncidentCategory, Team
    from tests.incidents.intake_fixtures import incident, post_incident
    from tests.maps.test_template_injection import SHORT, SQUARE, marked

    mission = field.mission
    for area in db.session.query(Area).filter_by(mission_id=mission.id):
        area.name = marked("region" if area.level == 0 else "district")
        if area.level == 0:
            area.boundary = SQUARE
    station = field.stations["S001"]
    station.name = marked("station")
    for i, team in enumerate(db.session.query(Team).filter_by(mission_id=mission.id)):
        team.base_name, team.base_latitude, team.base_longitude = marked("base"), 6.2 + i, 7.2
    field.t1.code = SHORT
    ensure_categories(mission)
    category = db.session.query(IncidentCategory).filter_by(mission_id=mission.id).first()
    category.labels = {"en": marked("category")}
    field.form.title = marked("form")
    definition = dict(field.form.definition)
    definition["title"] = {"en": marked("form")}
    field.form.definition = definition
    db.session.commit()
    observer = login(field.users.obs1)
    body = incident(title=marked("title"), category=category.code)
    assert post_incident(observer, body).status_code == 201
    return field
