"""A small mission for the team tests: two regions of two districts, a roster of every role."""

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from observer_suite.models import (
    PollingStation,
    Team,
    TeamKind,
)

HOSTILE = "<img src=x onerror=alert(1)>"

# ref, name, role, nationality, gender, languages, previous missions
PEOPLE = [
    ("s1", "Anna Berg", "sto", "SE", "female", ["en", "sv"], 3),
    ("s2", "Bruno Costa", "sto", "PT", "male", ["en", "pt"], 0),
    ("s3", "Chloé Martin", "sto", "FR", "female", ["FR", "en"], 0),
    ("s4", "Dieter Krause", "sto", "DE", "male", ["de", "en"], 4),
    ("s5", "Eva Novak", "sto", "CZ", "female", ["cs", "de"], 1),
    ("s6", "Filip Nowak", "sto", "PL", "male", ["pl", "en"], 2),
    ("s7", "Greta Lund", "sto", "SE", "female", ["sv"], 0),
    ("l1", "Lena Wolf", "lto", "DE", "female", ["de", "en"], 5),
    ("l2", "Luc Petit", "lto", "FR", "male", ["fr", "en"], 2),
    ("l3", "Lars Holm", "lto", "DK", "male", ["da", "en"], 1),
    ("l4", "Lucía Ruiz", "lto", "ES", "female", ["es", "en"], 0),
    ("d1", "Dan Driver", "driver", "NG", "male", ["en"], 0),
    ("i1", "Ifeoma Interpreter", "interpreter", "NG", "female", ["en", "ig"], 0),
]


@pytest.fixture
def world(mission_factory, area_factory, station_factory, observer_factory, db):
    """Regions R1 (districts D11 with 2 stations, D12 with 1) and R2 (D21 with 1, D22 none)."""
    mission = mission_factory(slug="ng", levels="region,district")
    areas = {}
    for r in (1, 2):
        region = areas[f"R{r}"] = area_factory(mission, f"Region {r}", f"R{r}")
        for d in (1, 2):
            areas[f"D{r}{d}"] = area_factory(mission, f"District {r}{d}", f"D{r}{d}", region)
    for code, district, voters in (
        ("001", "D11", 500),
        ("002", "D11", 700),
        ("003", "D12", 300),
        ("004", "D21", None),
    ):
        station_factory(
            mission, code, areas[district], registered_voters=voters, latitude=None, longitude=None
        )
    people = {
        ref: observer_factory(
            mission,
            ref,
            role,
            name=name,
            nationality=nationality,
            gender=gender,
            languages=languages,
            previous_missions=previous,
        )
        for ref, name, role, nationality, gender, languages, previous in PEOPLE
    }
    return SimpleNamespace(mission=mission, areas=areas, people=people)


# (code, lat, lon) for the world fixture's stations: D11 = 001, 002; D12 = 003; D21 = 004
COORDS = {"001": (6.0, 7.0), "002": (6.2, 7.4), "003": (7.0, 8.0), "004": (9.0, 9.0)}


@pytest.fixture
def teams(world, db):
    """The world with coordinates on its stations, three STO teams and one LTO team, no bases."""
    for station in db.session.scalars(select(PollingStation)):
        station.latitude, station.longitude = COORDS[station.code]
    for code in ("T01", "T02", "T03"):
        db.session.add(Team(mission_id=world.mission.id, code=code, kind=TeamKind.STO))
    db.session.add(Team(mission_id=world.mission.id, code="L01", kind=TeamKind.LTO))
    db.session.commit()
    return world
