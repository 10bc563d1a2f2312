"""A small election day whose statistics are counted by hand (tests/reporting, tests/api).

Regions North (districts N1, N2), South (S1) and East (E1; one station, nothing observed).
Stations P1, P2 in N1, P3 in N2, P4, P5 in S1, P6 in E1. Teams T01 (P1 opening, P2 visit,
P3 closing), T02 (P4 opening, P5 closing), T03 (P6 opening; never reports) in a published
plan. The cut-off is CUTOFF; one observation and one incident arrive after it, one of each
is rejected, one answer is "na" and one empty.
"""

import uuid
from datetime import UTC, date, datetime, time

from observer_suite.checklists.services import load_standard_forms
from observer_suite.incidents.taxonomy import ensure_categories
from observer_suite.models import (
    Area,
    DeploymentPlan,
    IncidentStatus,
    Observation,
    PlanMode,
    PlanStatus,
    PlanStop,
    PollingStation,
    ReviewStatus,
    StopKind,
    Team,
    TeamKind,
)

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


def _area(db, mission, level, name, code, parent=None):
    path = f"{parent.path}/{code}" if parent else code
    area = Area(mission_id=mission.id, level=level, name=name, code=code, path=path,
                parent_id=parent.id if parent else None)  # fmt: skip
    db.session.add(area)
    db.session.flush()
    return area


def build_world(db, mission_factory, mode: str = "purposive", sampling: dict | None = None):
    mission = mission_factory(
        slug="sw", levels="region,district", languages="en,fr", election_date=date(2027, 2, 25)
    )
    north = _area(db, mission, 0, "North", "N")
    south = _area(db, mission, 0, "South", "S")
    east = _area(db, mission, 0, "East", "E")
    n1, n2 = (
        _area(db, mission, 1, "N one", "N1", north),
        _area(db, mission, 1, "N two", "N2", north),
    )
    s1, e1 = _area(db, mission, 1, "S one", "S1", south), _area(db, mission, 1, "E one", "E1", east)
    places = {"P1": n1, "P2": n1, "P3": n2, "P4": s1, "P5": s1, "P6": e1}
    st = {}
    for code, area in places.items():
        lat, lon = COORDS[code]
        st[code] = PollingStation(mission_id=mission.id, area_id=area.id, code=code,
                                  name=f"Station {code}", latitude=lat, longitude=lon)  # fmt: skip
        db.session.add(st[code])
    teams = {
        c: Team(mission_id=mission.id, code=c, kind=TeamKind.STO) for c in ("T02", "T01", "T03")
    }
    db.session.add_all(teams.values())
    db.session.flush()
    plan = DeploymentPlan(
        mission_id=mission.id, name="Election-day plan", election_day=mission.election_date,
        mode=PlanMode(mode), status=PlanStatus.PUBLISHED, sampling=sampling,
        published_at=datetime(2027, 2, 20, tzinfo=UTC),
    )  # fmt: skip
    db.session.add(plan)
    db.session.flush()
    route = [("T01", "P1", 1, StopKind.OPENING), ("T01", "P2", 2, StopKind.VISIT),
             ("T01", "P3", 3, StopKind.CLOSING), ("T02", "P4", 1, StopKind.OPENING),
             ("T02", "P5", 2, StopKind.CLOSING), ("T03", "P6", 1, StopKind.OPENING)]  # fmt: skip
    for team, station, position, kind in route:
        db.session.add(PlanStop(plan_id=plan.id, team_id=teams[team].id,
                                station_id=st[station].id, position=position, kind=kind,
                                planned_arrival=time(7, 0)))  # fmt: skip
    forms = {f.kind: f for f in load_standard_forms(mission)}

    def obs(kind, station, team, answers, received=BEFORE, status=ReviewStatus.RECEIVED):
        db.session.add(
            Observation(
                uuid=str(uuid.uuid4()),
                mission_id=mission.id,
                form_pk=forms[kind].id,
                station_id=st[station].id,
                team_id=teams[team].id if team else None,
                answers=answers,
                content_hash="0" * 64,
                received_at=received,
                review_status=status,
            )  # fmt: skip
        )

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
