"""The plan tests' mission (tests/deployment's own `field`, in place of the suite's)."""

import pytest

from tests.fixtures.factories import new_area, new_observer, new_station, new_team


def _strip(r: int) -> dict:
    west, east = 7 + r * 0.3 - 0.3, 7 + r * 0.3
    ring = [[west, 6.0], [east, 6.0], [east, 6.3], [west, 6.3], [west, 6.0]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def field(mission_factory, db):
    """Two regions of 40 stations on a small grid and four STO teams with bases."""
    mission = mission_factory(slug="grid", levels="region,district")
    for r in (1, 2):
        region = new_area(mission, f"Region {r}", f"R{r}", boundary=_strip(r))
        district = new_area(mission, f"District {r}", "D1", region)
        for n in range(40):
            new_station(
                mission, f"R{r}-{n:03d}", district, name=f"School {r}-{n}",
                registered_voters=300 + n, latitude=6.0 + (n // 8) * 0.05,
                longitude=7.0 + (r - 1) * 0.3 + (n % 8) * 0.035,
            )  # fmt: skip
    observers = [
        new_observer(
            mission,
            f"STO-{i}",
            name=f"Observer {i}",
            nationality=["DE", "FR"][i % 2],
            languages=["en"],
            previous_missions=i % 3,
        )
        for i in range(8)
    ]
    for t in range(4):
        new_team(
            mission, f"T{t + 1:02d}", observers[2 * t : 2 * t + 2], base_name=f"Hotel {t}",
            base_latitude=6.05 + 0.05 * t, base_longitude=7.1 + 0.12 * t,
        )  # fmt: skip
    db.session.commit()
    return mission
