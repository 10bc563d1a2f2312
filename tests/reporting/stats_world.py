"""A small election day whose statistics are counted by hand (tests/reporting, tests/api).

Regions North (districts N1, N2), South (S1) and East (E1; one station, nothing observed).
Stations P1, P2 in N1, P3 in N2, P4, P5 in S1, P6 in E1. Teams T01 (P1 opening, P2 visit,
P3 closing), T02 (P4 opening, P5 closing), T03 (P6 opening; never reports) in a published
plan. The cut-off is CUTOFF; one observation and one incident arrive after it, one of each
is rejected, one answer is "na" and one empty.
"""

from datetime import UTC, date, datetime, time

from observer_suite.checklists.services import load_standard_forms
from observer_suite.incidents.taxonomy import ensure_categories
from observer_suite.models import IncidentStatus, ReviewStatus
from tests.fixtures.factories import new_area, new_observation, new_plan, new_station, new_team

CUTOFF = datetime(2027, 2, 25, 20, 0, tzinfo=UTC)
BEFORE = datetime(2027, 2, 25, 12, 0, tzinfo=UTC)
AFTER = datetime(2027, 2, 25, 21, 0, tzinfo=UTC)
COORDS = {
    "P1": (9.1, 7.1),
    "P2": (9.2, 7.2),
    "P3": (9.3, 7.3),
    "P4": (6.1, 7.1),
    "P5": (6.2, 7.2),
    "P6": (7.5, 9.5),
}
GPS = (6.55, 7.55)  # incident i3's own position
GPS_ONLY = (8.0, 8.0)  # incident i2, no station


def build_world(db, mission_factory, mode: str = "purposive", sampling: dict | None = None):
    mission = mission_factory(
        slug="sw", levels="region,district", languages="en,fr", election_date=date(2027, 2, 25)
    )
    north, south, east = (new_area(mission, n, c) for n, c in (("North", "N"), ("South", "S"),
                                                                ("East", "E")))  # fmt: skip
    n1, n2 = new_area(mission, "N one", "N1", north), new_area(mission, "N two", "N2", north)
    s1, e1 = new_area(mission, "S one", "S1", south), new_area(mission, "E one", "E1", east)
    places = {"P1": n1, "P2": n1, "P3": n2, "P4": s1, "P5": s1, "P6": e1}
    st = {
        code: new_station(mission, code, area, name=f"Station {code}", registered_voters=None,
                          latitude=COORDS[code][0], longitude=COORDS[code][1])
        for code, area in places.items()
    }  # fmt: skip
    teams = {c: new_team(mission, c) for c in ("T02", "T01", "T03")}
    routes = {teams["T01"]: [st["P1"], st["P2"], st["P3"]], teams["T02"]: [st["P4"], st["P5"]],
              teams["T03"]: [st["P6"]]}  # fmt: skip
    plan = new_plan(mission, routes, name="Election-day plan", mode=mode, sampling=sampling,
                    published_at=datetime(2027, 2, 20, tzinfo=UTC),
                    stop={"planned_arrival": time(7, 0)})  # fmt: skip
    forms = {f.kind: f for f in load_standard_forms(mission)}

    def obs(kind, station, team, answers, received=BEFORE, status=ReviewStatus.RECEIVED):
        team = teams[team] if team else None
        new_observation(forms[kind], st[station], answers, team, received_at=received,
                        review_status=status)  # fmt: skip

    op = "opening"
    obs(op, "P1", "T01", {"opening_band": "on_time", "ballot_box_sealed": "yes",
                          "overall": "very_good"})  # fmt: skip
    obs(op, "P4", "T02", {"opening_band": "late_less_30", "ballot_box_sealed": "no",
                          "overall": "bad"})  # fmt: skip
    obs(op, "P2", "T01", {"opening_band": "on_time", "ballot_box_sealed": "na", "overall": "good"})
    obs(op, "P3", "T01", {"opening_band": "on_time", "ballot_box_sealed": "yes",
                          "overall": "very_good"}, status=ReviewStatus.REJECTED)  # fmt: skip
    obs(op, "P5", "T02", {"opening_band": "on_time", "ballot_box_sealed": "yes",
                          "overall": "very_good"}, received=AFTER)  # fmt: skip
    vo = "voting"
    obs(vo, "P1", "T01", {"secrecy": "yes", "overall": "good"})
    obs(vo, "P2", "T01", {"secrecy": "no", "overall": "very_bad"})
    obs(vo, "P3", "T01", {"secrecy": "", "overall": "good"})
    obs(vo, "P4", "T02", {"secrecy": "yes", "overall": "good"}, status=ReviewStatus.FLAGGED)
    obs(vo, "P5", "T02", {"secrecy": "yes"})
    obs("counting", "P3", "T01", {"count_procedures_followed": "yes", "protocol_posted": "no"})
    db.session.commit()
    return mission, plan, teams, st


def add_incidents(mission, stations, incident_factory):
    """i1 P1 violence critical 09:00; i2 GPS only vote_buying high; i3 P4 violence medium
    with its own GPS; i4 rejected; i5 received after the cut-off; i6 P6 critical 11:00."""
    ensure_categories(mission)

    def at(hour):
        return datetime(2027, 2, 25, hour, 0, tzinfo=UTC)

    made = {
        "i1": incident_factory(mission, "violence", severity="critical",
                               station_id=stations["P1"].id, occurred_at=at(9),
                               received_at=at(9), title="<b>Fight</b> & run"),
        "i2": incident_factory(mission, "vote_buying", severity="high", latitude=GPS_ONLY[0],
                               longitude=GPS_ONLY[1], occurred_at=at(10), received_at=at(10)),
        "i3": incident_factory(mission, "violence", severity="medium", station_id=stations["P4"].id,
                               latitude=GPS[0], longitude=GPS[1], occurred_at=at(8),
                               received_at=at(8)),
        "i4": incident_factory(mission, "violence", severity="critical",
                               station_id=stations["P1"].id, status=IncidentStatus.REJECTED.value,
                               occurred_at=at(12), received_at=at(12)),
        "i5": incident_factory(mission, "violence", severity="critical",
                               station_id=stations["P5"].id, occurred_at=at(19),
                               received_at=AFTER),
        "i6": incident_factory(mission, "ballot_stuffing", severity="critical",
                               station_id=stations["P6"].id, occurred_at=at(11),
                               received_at=at(11)),
    }  # fmt: skip
    return made
