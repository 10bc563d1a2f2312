"""Fixtures shared by tests/api and tests/observations: a small mission with a published plan.

Two regions, six stations, two STO teams; T01 plans S001-S002, T02 plans S003-S004, and
S005-S006 are on nobody's route. A hand-written counting form carries skip logic, a
constraint, critical answers and consistency checks.
"""

import uuid as uuid_module
from datetime import UTC, date, datetime
from functools import cache
from types import SimpleNamespace

import pytest
from werkzeug.security import generate_password_hash

from observer_suite.extensions import db as _db
from tests.conftest import PASSWORD, csrf_token

YES_NO_NA = [
    {"name": "yes", "label": {"en": "Yes", "fr": "Oui"}},
    {"name": "no", "label": {"en": "No", "fr": "Non"}},
    {"name": "na", "label": {"en": "Not applicable", "fr": "Sans objet"}},
]


def _q(name, kind, label, group=None, **extra):
    return {"name": name, "type": kind, "label": {"en": label}, "group": group, **extra}


COUNTING = {
    "form_id": "t_count",
    "version": "1",
    "kind": "counting",
    "title": {"en": "Counting"},
    "default_language": "en",
    "languages": ["en"],
    "questions": [
        _q("g_proc", "group", "Procedures"),
        _q("seals_intact", "yes_no", "Were the seals intact?", "g_proc", choices="yes_no_na",
           required=True, critical=["no"]),
        _q("seal_problem", "text", "What was wrong with the seals?", "g_proc", required=True,
           relevant="${seals_intact} = 'no'"),
        _q("g_fig", "group", "Figures"),
        *[
            _q(name, "integer", label, "g_fig", required=True, constraint=". >= 0",
               constraint_message={"en": "Cannot be negative"})
            for name, label in [
                ("registered_voters", "Registered voters"),
                ("voters_voted", "Voters who voted"),
                ("ballots_cast", "Ballots cast"),
                ("invalid_ballots", "Invalid ballots"),
                ("votes_a", "Votes for A"),
                ("votes_b", "Votes for B"),
            ]
        ],
        _q("problems", "select_multiple", "Problems seen", choices="problems",
           critical=["intimidation"]),
        _q("remarks", "text", "Remarks"),
    ],
    "choices": {
        "yes_no_na": YES_NO_NA,
        "problems": [
            {"name": "none", "label": {"en": "None"}},
            {"name": "late", "label": {"en": "Late opening"}},
            {"name": "intimidation", "label": {"en": "Intimidation"}},
        ],
    },
    "checks": [
        {"id": "cast_le_registered", "expression": "${ballots_cast} <= ${registered_voters}",
         "message": {"en": "More ballots cast than registered voters"}},
        {"id": "votes_add_up",
         "expression": "${votes_a} + ${votes_b} + ${invalid_ballots} = ${ballots_cast}",
         "message": {"en": "Votes plus invalid ballots do not add up to ballots cast"}},
        {"id": "voted_le_station", "expression": "${voters_voted} <= ${_station_registered_voters}",
         "message": {"en": "More voters than in the station's register"}},
    ],
}  # fmt: skip

GOOD_ANSWERS = {
    "seals_intact": "yes",
    "registered_voters": 500,
    "voters_voted": 300,
    "ballots_cast": 300,
    "invalid_ballots": 10,
    "votes_a": 150,
    "votes_b": 140,
}


def payload(station: str = "S001", **changes) -> dict:
    body = {
        "uuid": str(uuid_module.uuid4()),
        "form_id": "t_count",
        "form_version": "1",
        "station_code": station,
        "arrived_at": "2027-02-25T07:30:00+01:00",
        "departed_at": "2027-02-25T08:10:00+01:00",
        "answers": dict(GOOD_ANSWERS),
    }
    body.update(changes)
    return body


def post(client, body, token: str | None = None, csrf: str | None = None, **kwargs):
    """POST /api/v1/submissions as the tablet does (cookie + X-CSRFToken) or as a script."""
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    elif csrf is not False:
        headers["X-CSRFToken"] = csrf or csrf_token(client)
    return client.post("/api/v1/submissions", json=body, headers=headers, **kwargs)


def _station(mission, area, code, voters):
    from observer_suite.models import PollingStation

    station = PollingStation(
        mission_id=mission.id,
        area_id=area.id,
        code=code,
        name=f"School {code}",
        registered_voters=voters,
        latitude=6.0,
        longitude=7.0,
    )
    _db.session.add(station)
    return station


@cache
def _password_hash() -> str:
    return generate_password_hash(PASSWORD)  # scrypt once per run, not once per user


def make_user(username: str, role: str, mission, observer=None):
    """A user who logs in with tests.conftest.PASSWORD, without hashing it again."""
    from observer_suite.models import Membership, Role, User

    user = User(username=username, role=Role(role), password_hash=_password_hash())
    user.observer = observer
    user.memberships.append(Membership(mission_id=mission.id))
    _db.session.add(user)
    return user


def _team(mission, code, observers):
    from observer_suite.models import MemberRole, Team, TeamKind, TeamMember

    team = Team(mission_id=mission.id, code=code, kind=TeamKind.STO)
    _db.session.add(team)
    _db.session.flush()
    for position, person in enumerate(observers):
        _db.session.add(
            TeamMember(
                team_id=team.id, observer_id=person.id, role=MemberRole.OBSERVER, position=position
            )
        )
    return team


@pytest.fixture
def field(db, mission_factory):
    from observer_suite.models import (
        Area,
        DeploymentPlan,
        Form,
        Observer,
        ObserverRole,
        PlanMode,
        PlanStatus,
        PlanStop,
        StopKind,
    )

    mission = mission_factory(slug="field", levels="region,district")
    stations = {}
    for r, codes in ((1, ("S001", "S002", "S003")), (2, ("S004", "S005", "S006"))):
        region = Area(
            mission_id=mission.id, level=0, name=f"Region {r}", code=f"R{r}", path=f"R{r}"
        )
        db.session.add(region)
        db.session.flush()
        district = Area(
            mission_id=mission.id, level=1, name=f"District {r}", code="D", path=f"R{r}/D",
            parent_id=region.id,
        )  # fmt: skip
        db.session.add(district)
        db.session.flush()
        for code in codes:
            stations[code] = _station(mission, district, code, 400)
    people = [
        Observer(mission_id=mission.id, ref=f"o{i}", name=f"Observer {i}", role=ObserverRole.STO)
        for i in range(5)
    ]
    db.session.add_all(people)
    db.session.flush()
    t1, t2 = _team(mission, "T01", people[0:2]), _team(mission, "T02", people[2:4])
    plan = DeploymentPlan(
        mission_id=mission.id,
        name="Election day",
        election_day=date(2027, 2, 25),
        mode=PlanMode.PURPOSIVE,
        status=PlanStatus.PUBLISHED,
        published_at=datetime.now(UTC),
    )
    db.session.add(plan)
    db.session.flush()
    for team, codes in ((t1, ("S001", "S002")), (t2, ("S003", "S004"))):
        for position, code in enumerate(codes, start=1):
            kind = StopKind.OPENING if position == 1 else StopKind.CLOSING
            db.session.add(
                PlanStop(plan_id=plan.id, team_id=team.id, station_id=stations[code].id,
                         position=position, kind=kind)
            )  # fmt: skip
    form = Form(
        mission_id=mission.id, form_id="t_count", version="1", kind="counting",
        title="Counting", definition=COUNTING, source="tests", active=True,
    )  # fmt: skip
    db.session.add(form)
    users = SimpleNamespace(
        obs1=make_user("obs1", "observer", mission, people[0]),
        obs2=make_user("obs2", "observer", mission, people[2]),
        loner=make_user("loner", "observer", mission, people[4]),
        coordinator=make_user("coord", "coordinator", mission),
        analyst=make_user("analyst", "analyst", mission),
        lead=make_user("lead", "lead", mission),
    )
    db.session.commit()
    return SimpleNamespace(
        mission=mission, stations=stations, t1=t1, t2=t2, plan=plan, form=form, users=users
    )
