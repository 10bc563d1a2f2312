"""Helpers for the `field` mission (tests/fixtures/worlds.py): its hand-written counting form
(skip logic, a constraint, critical answers and consistency checks), a good submission for it,
and posting one as the tablet does."""

import uuid as uuid_module
from functools import cache

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
