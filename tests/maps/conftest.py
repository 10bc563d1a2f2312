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
