"""Storing one submitted observation: recognise a replay, authorise, validate, flag, insert.

Writes in the session's transaction, which the caller commits, except an unflagged
observation outside one: a single row, written in autocommit on a connection of a pool kept
for that (extensions.autocommit_engine: no BEGIN and COMMIT round trips). A flagged one and
its first review entry share a transaction. The client-made uuid is the idempotency key: the
same uuid with the same content (payload.content_hash) is a replay and gets the stored id
back, other content under it is a conflict; the unique index on uuid settles two copies
racing each other. Every refusal is a RequestError naming the field. This is the
election-day hot path (benchmarks/ingest.py): one query for the station, team, plan and
form, statements built once, and a Core insert.
"""

from datetime import UTC, datetime
from functools import cache, lru_cache
from types import SimpleNamespace
from typing import Protocol

from sqlalchemy import Connection, and_, bindparam, insert, select

from observer_suite.auth.permissions import Permission, can
from observer_suite.checklists.validation import (
    FormRules,
    check_times,
    critical_answers,
    run_checks,
    validate_answers,
)
from observer_suite.errors import RequestError
from observer_suite.extensions import autocommit_engine, db, session_started
from observer_suite.models import (
    DeploymentPlan,
    Form,
    Membership,
    Mission,
    Observation,
    ObservationReview,
    PlanStatus,
    PlanStop,
    PollingStation,
    ReviewStatus,
    Role,
    Team,
    TeamMember,
    User,
)
from observer_suite.observations.access import TEAM_SCOPED
from observer_suite.observations.instants import outside_window, plausible_window
from observer_suite.observations.intake import store_once
from observer_suite.observations.payload import (
    Outcome,
    Submission,
    content_hash,
    parse,
)

INSERT_OBSERVATION = insert(Observation.__table__).returning(Observation.__table__.c.id)


def _by_uuid(uuid: str) -> Observation | None:
    return db.session.scalar(select(Observation).where(Observation.uuid == uuid))


@cache
def _target_statement(member_only: bool, by_slug: bool):
    """One row per station with the code in the user's missions, with what the rules need:
    the user's team there (as team_of_user), the team planning the station in the latest
    published plan (as published_plan), and the form version. One round trip instead of
    five, and built once: statement construction was a third of the request's CPU."""
    # Tables, not mapped classes: a Core statement skips the ORM's per-execution work.
    station, plans, stops = PollingStation.__table__, DeploymentPlan.__table__, PlanStop.__table__
    teams, members, forms = Team.__table__, TeamMember.__table__, Form.__table__
    plan_id = (
        select(plans.c.id)
        .where(
            plans.c.mission_id == station.c.mission_id,
            plans.c.status == PlanStatus.PUBLISHED,
        )
        .order_by(plans.c.published_at.desc())
        .limit(1)
        .correlate(station)
        .scalar_subquery()
    )
    holder = (
        select(stops.c.team_id)
        .where(stops.c.plan_id == plan_id, stops.c.station_id == station.c.id)
        .correlate(station)
        .scalar_subquery()
    )
    team = (
        select(teams.c.id)
        .join(members, members.c.team_id == teams.c.id)
        .where(
            members.c.observer_id == bindparam("observer_id"),
            teams.c.mission_id == station.c.mission_id,
        )
        .limit(1)
        .correlate(station)
        .scalar_subquery()
    )
    missions = Mission.__table__
    query = (
        select(
            station.c.id.label("station_id"),
            station.c.registered_voters,
            station.c.mission_id,
            missions.c.election_date,  # the window of plausible instants
            missions.c.second_round_date,
            team.label("team_id"),
            holder.label("holder_id"),
            forms.c.id.label("form_pk"),
            forms.c.created_at.label("form_created_at"),
        )
        .select_from(station)
        .join(missions, missions.c.id == station.c.mission_id)
        .outerjoin(
            forms,
            and_(
                forms.c.mission_id == station.c.mission_id,
                forms.c.form_id == bindparam("form_id"),
                forms.c.version == bindparam("version"),
            ),
        )
        .where(station.c.code == bindparam("code"))
    )
    if member_only:
        memberships = Membership.__table__
        query = query.join(
            memberships,
            and_(
                memberships.c.mission_id == station.c.mission_id,
                memberships.c.user_id == bindparam("user_id"),
            ),
        )
    if by_slug:
        query = query.where(missions.c.slug == bindparam("slug"))
    return query.limit(2)


@lru_cache(maxsize=128)
def _rules(form_pk: int, created_at) -> FormRules:
    """A form version's rules, read and compiled once per process. Safe to keep: a version's
    definition never changes (a new one is a new row), and created_at tells a row that
    reuses an id apart."""
    definition = db.session.scalars(
        select(Form.__table__.c.definition).where(Form.__table__.c.id == form_pk)
    ).one()
    return FormRules(definition)


class StationRequest(Protocol):
    """What station_target reads of a submission: an observation's, or an incident's
    StationLookup (which names no form)."""

    @property
    def station_code(self) -> str | None: ...
    @property
    def mission(self) -> str | None: ...
    @property
    def form_id(self) -> str | None: ...
    @property
    def form_version(self) -> str | None: ...


class StationClaim(Protocol):
    """What authorise_station reads: the station the submission names."""

    @property
    def station_code(self) -> str | None: ...


def station_target(user: User, data: StationRequest, connection: Connection | None = None):
    """The station row the rules need (see _target_statement), or a 422 naming the field.
    Shared with incident intake, which passes form_id and form_version as None. Read on
    `connection`, else on the session's."""
    statement = _target_statement(user.role != Role.ADMIN, bool(data.mission))
    params = {
        "observer_id": user.observer_id,
        "form_id": data.form_id,
        "version": data.form_version,
        "code": data.station_code,
        "user_id": user.id,
        "slug": data.mission,
    }
    # On a connection: the session's execute adds autoflush and bookkeeping that a Core
    # statement on the hot path does not need.
    rows = (connection or db.session.connection()).execute(statement, params).all()
    if not rows:
        where = f"mission {data.mission!r}" if data.mission else "your missions"
        raise RequestError(
            f"no polling station {data.station_code!r} in {where}",
            field="station_code",
            code="unknown_station",
            fields={"station_code": f"no polling station with this code in {where}"},
        )
    if len(rows) > 1:
        raise RequestError(
            f"station {data.station_code!r} is in several of your missions",
            field="mission",
            code="ambiguous_station",
            fields={"mission": "is required: give the slug of the station's mission"},
        )
    return rows[0]


def _team_code(team_id: int) -> str:
    return db.session.scalar(select(Team.code).where(Team.id == team_id)) or "?"


def authorise_station(user: User, data: StationClaim, target) -> None:
    """Observers and LTOs: their own team's route, or a station no team has in the published
    plan (plans change on the day); never a station on another team's route."""
    if user.role not in TEAM_SCOPED:
        return
    if target.team_id is None:
        raise RequestError(
            "your login is not in a team of this mission; ask a coordinator",
            status=403,
            code="forbidden",
        )
    if target.holder_id is not None and target.holder_id != target.team_id:
        raise RequestError(
            f"station {data.station_code} is on the route of team "
            f"{_team_code(target.holder_id)} in the published plan; your team "
            f"{_team_code(target.team_id)} may submit for its own stations or for stations "
            "no team has",
            field="station_code",
            status=403,
            code="not_your_station",
        )


def _unknown_form(mission_id: int, data: Submission) -> RequestError:
    known = db.session.scalar(
        select(Form.id).where(Form.mission_id == mission_id, Form.form_id == data.form_id).limit(1)
    )
    field = "form_version" if known else "form_id"
    message = (
        f"version {data.form_version!r} of form {data.form_id!r} is not in this mission"
        if known
        else f"no form {data.form_id!r} in this mission"
    )
    return RequestError(message, field=field, code="unknown_form", fields={field: message})


def _store(user: User, data: Submission, digest: str, team_id: int | None = None) -> Outcome:
    if session_started() and db.session().in_transaction():  # e.g. a token just checked
        return _write(db.session.connection(), user, data, digest, team_id)
    # An unflagged observation is one row and needs no transaction of its own: on a
    # connection in autocommit, the lookup and the insert are the request's only round trips
    # (no BEGIN, no COMMIT) and the session is never started.
    with autocommit_engine().connect() as connection:
        return _write(connection, user, data, digest, team_id)


def check_window(target, instants: dict) -> None:
    """A 422 naming each instant outside the mission's plausible window (instants.py)."""
    window = plausible_window(target.election_date, target.second_round_date)
    errors = {
        name: problem
        for name, moment in instants.items()
        if (problem := outside_window(moment, window))
    }
    if errors:
        raise RequestError(
            "a time is far from the mission's dates", code="implausible_time", fields=errors
        )


def _team_in_mission(team_id: int, mission_id: int, connection: Connection) -> None:
    found = connection.execute(
        select(Team.__table__.c.id).where(
            Team.__table__.c.id == team_id, Team.__table__.c.mission_id == mission_id
        )
    ).first()
    if found is None:
        message = "no such team in this mission"
        raise RequestError(message, field="team", code="unknown_team", fields={"team": message})


def _write(
    connection: Connection, user: User, data: Submission, digest: str, team_id: int | None = None
) -> Outcome:
    target = station_target(user, data, connection)
    if team_id is not None:  # entered from the web for a team (ENTER_DATA, checked in submit)
        _team_in_mission(team_id, target.mission_id, connection)
        target = SimpleNamespace(**{**target._mapping, "team_id": team_id})
    authorise_station(user, data, target)
    check_window(target, {"arrived_at": data.arrived_at, "departed_at": data.departed_at})
    if target.form_pk is None:
        raise _unknown_form(target.mission_id, data)
    rules = _rules(target.form_pk, target.form_created_at)
    answers, errors = validate_answers(rules, data.answers)
    if errors:
        raise RequestError(
            f"{len(errors)} answer(s) need attention",
            code="invalid_answers",
            fields={f"answers.{name}": message for name, message in errors.items()},
        )
    context = {"_station_registered_voters": target.registered_voters}
    flags = run_checks(rules, answers, context)
    timing = check_times(data.arrived_at, data.departed_at)
    if timing:
        flags.append(timing)
    status = ReviewStatus.FLAGGED if flags else ReviewStatus.RECEIVED
    row = {
        "uuid": data.uuid,
        "mission_id": target.mission_id,
        "form_pk": target.form_pk,
        "station_id": target.station_id,
        "team_id": target.team_id,
        "submitted_by": user.id,
        "arrived_at": data.arrived_at,
        "departed_at": data.departed_at,
        "answers": answers,
        "content_hash": digest,
        "flags": flags,
        "critical": critical_answers(rules, answers),
        "review_status": status,
        "received_at": datetime.now(UTC),
    }
    if not flags:
        new_id = connection.execute(INSERT_OBSERVATION, row).scalar_one()
        return Outcome(new_id, data.uuid, True, flags)
    # Two rows, one transaction (the session's, which the caller commits): the observation
    # and, as the first entry of its review history, the automatic flag.
    in_transaction = db.session.connection()
    new_id = in_transaction.execute(INSERT_OBSERVATION, row).scalar_one()
    comment = "Automatic checks: " + "; ".join(f["message"] or f["id"] for f in flags)
    in_transaction.execute(
        insert(ObservationReview.__table__),
        {
            "observation_id": new_id,
            "at": datetime.now(UTC),
            "username": None,
            "new_status": status.value,
            "comment": comment,
        },
    )
    return Outcome(new_id, data.uuid, True, flags)


def submit(
    user: User,
    payload,
    mission_slug: str | None = None,
    raw: bytes | None = None,
    team_id: int | None = None,
) -> Outcome:
    """Store one observation, or recognise a replay; the request boundary commits. `raw` is the body
    as received, when at hand (see payload.parse). `team_id`: the team a coordinator or a
    clerk enters a phoned-in report for (observations/entry.py); needs ENTER_DATA.

    The fast path does not look for the uuid first: the unique index refuses a duplicate,
    and only then, or when the submission is refused, is the stored one compared, so an
    identical replay is answered 200 even if the plan or the form changed since."""
    data = parse(payload, raw)
    if mission_slug and not data.mission:
        data = data.model_copy(update={"mission": mission_slug[:60]})
    digest = content_hash(payload)
    if not can(user, Permission.SUBMIT_OBSERVATIONS):
        raise RequestError("your role cannot submit observations", status=403, code="forbidden")
    if team_id is not None and not can(user, Permission.ENTER_DATA):
        raise RequestError("your role cannot enter data for a team", status=403, code="forbidden")
    return store_once(
        lambda: _store(user, data, digest, team_id), lambda: _by_uuid(data.uuid), user, digest
    )
