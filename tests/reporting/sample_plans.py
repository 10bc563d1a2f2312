"""Hand-built plan documents for the PDF and map tests (plain data, no database)."""

import random
from dataclasses import replace

from observer_suite.deployment.types import (
    CoverageRow,
    MemberLine,
    PlanDocument,
    RouteRow,
    TeamSheet,
)

HOSTILE = "<b>X</b> & <font size=40>"
# Breaks out of a JS template literal or a script block if anything is not escaped.
HOSTILE_JS = "`);alert(1);//${alert(2)}</script><script>alert(3)</script>\\u{zz}"

REGION_NORTH = {
    "type": "Polygon",
    "coordinates": [[[7.0, 9.0], [8.0, 9.0], [8.0, 10.0], [7.0, 10.0], [7.0, 9.0]]],
}
REGION_SOUTH = {
    "type": "MultiPolygon",
    "coordinates": [
        [
            [[7.0, 8.0], [8.0, 8.0], [8.0, 9.0], [7.0, 9.0], [7.0, 8.0]],
            [[7.4, 8.4], [7.6, 8.4], [7.6, 8.6], [7.4, 8.6], [7.4, 8.4]],  # a hole
        ]
    ],
}


def _rows(team_index: int, count: int, first_code: int) -> list[RouteRow]:
    rows = []
    for i in range(count):
        kind = "opening" if i == 0 else "closing" if i == count - 1 else "visit"
        rows.append(
            RouteRow(
                position=i + 1,
                kind=kind,
                station_code=f"PS-{first_code + i:04d}",
                station_name=f"Primary School {first_code + i}",
                area_name="Łódź Ward" if i % 2 else "Ørsted Ward",
                lat=8.2 + 0.15 * team_index + 0.03 * i,
                lon=7.1 + 0.2 * team_index + 0.02 * i,
                arrival=f"{7 + i:02d}:00",
            )
        )
    return rows


def make_plan(status: str = "draft", mode: str = "purposive") -> PlanDocument:
    """Three teams, twelve stations, two regions; one hostile name, one unmapped station."""
    teams = []
    for t in range(3):
        rows = _rows(t, 4, 100 + 10 * t)
        teams.append(
            TeamSheet(
                team_id=t + 1,
                code=f"T{t + 1:02d}",
                members=[
                    MemberLine(
                        "Kéké Ouattara", "observer", "Côte d'Ivoire", "F", "+225 01", "k@x.org"
                    ),
                    MemberLine("Anders Ørsted", "observer", "Denmark", "M", "+45 22", "a@x.org"),
                    MemberLine("Paweł Łódź", "driver", "Poland", "M", "+48 33"),
                ],
                base_name=f"Hotel {t + 1}",
                base_lat=8.1 + 0.15 * t,
                base_lon=7.0 + 0.2 * t,
                rows=rows,
                travel_km=42.5 + t,
            )
        )
    teams[1].members.append(MemberLine(HOSTILE, "interpreter", HOSTILE, phone=HOSTILE))
    teams[1].rows[2].station_name = HOSTILE
    teams[2].rows[1].lat = teams[2].rows[1].lon = None  # a station without coordinates
    teams[2].problems.append("Only 4 stations within 60 km of the base (minimum 6).")
    coverage = [
        CoverageRow("North", 5, 40, 6100, 52000),
        CoverageRow("South", 7, 60, 8300, 71000),
        CoverageRow("East", 0, 25, 0, 0),  # voters unknown
    ]
    sampling = None
    if mode == "sample":
        sampling = {
            "n": 12,
            "frame_size": 125,
            "confidence": 0.95,
            "margin_of_error": 0.05,
            "seed": 20240607,
            "stratify_by": ["region"],
            "strata": {"North": {"frame": 40, "n": 5}, "South": {"frame": 60, "n": 7}},
        }
    return PlanDocument(
        mission_name="EU EOM Veridia 2025",
        plan_name="Election day plan A",
        mode=mode,
        status=status,
        election_day="2025-06-07",
        generated_at="2025-06-01 09:30 UTC",
        coverage=coverage,
        teams=teams,
        boundaries=[("North", REGION_NORTH), ("South", REGION_SOUTH)],
        problems=["13 stations in East are beyond every team's radius.", HOSTILE],
        sampling=sampling,
    )


def make_big_plan(teams: int = 200, stations: int = 2000, seed: int = 7) -> PlanDocument:
    """A country-sized plan for timing: many teams, thousands of stations."""
    rng = random.Random(seed)
    per_team = stations // teams
    sheets = []
    code = 0
    for t in range(teams):
        lat0, lon0 = rng.uniform(4, 13), rng.uniform(3, 14)
        rows = []
        for i in range(per_team):
            code += 1
            kind = "opening" if i == 0 else "closing" if i == per_team - 1 else "visit"
            rows.append(
                RouteRow(
                    i + 1,
                    kind,
                    f"S{code:05d}",
                    f"Polling station {code}",
                    f"Ward {code % 97}",
                    lat0 + rng.uniform(-0.3, 0.3),
                    lon0 + rng.uniform(-0.3, 0.3),
                    f"{7 + i % 11:02d}:{rng.choice(['00', '30'])}",
                )
            )
        members = [
            MemberLine(f"Observer {t}-A", "observer", "France", "F", "+33 1", "a@x.org"),
            MemberLine(f"Observer {t}-B", "observer", "Kenya", "M", "+254 2", "b@x.org"),
            MemberLine(f"Driver {t}", "driver", "Veridia", "M", "+999 3"),
        ]
        sheets.append(
            TeamSheet(t + 1, f"T{t + 1:03d}", members, f"Base {t}", lat0, lon0, rows, 80.0)
        )
    regions = [
        (
            f"Region {r}",
            {
                "type": "Polygon",
                "coordinates": [
                    [
                        [3 + 2 * r, 4],
                        [5 + 2 * r, 4],
                        [5 + 2 * r, 13],
                        [3 + 2 * r, 13],
                        [3 + 2 * r, 4],
                    ]
                ],
            },
        )
        for r in range(6)
    ]
    coverage = [CoverageRow(name, 300, 1000, 90000, 300000) for name, _ in regions]
    plan = make_plan()
    return replace(plan, teams=sheets, boundaries=regions, coverage=coverage, problems=[])
