"""Storing one reported incident with its photos: authorise, place, link, insert, or replay.

The rules are the observations' (observations/submission.py), reused rather than copied:
the device-made uuid is the idempotency key (same content → the stored id, other content →
409), observers and LTOs may not report at a station on another team's route, and every
refusal is a RequestError naming the field. The incident and its photos are flushed
together in the caller's transaction, so a refusal or a failure leaves nothing behind.
"""

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import NamedTuple

from sqlalchemy import select

from observer_suite.auth.permissions import Permission, can, visible_missions
from observer_suite.deployment.plan_sheets import team_of_user
from observer_suite.errors import RequestError
from observer_suite.extensions import db
from observer_suite.incidents.payload import IncidentReport, content_hash, parse
from observer_suite.incidents.photos import Limits
from observer_suite.incidents.taxonomy import categories
from observer_suite.models import (
    Form,
    Incident,
    IncidentPhoto,
    IncidentStatus,
    IncidentStatusChange,
    Mission,
    Observation,
    Team,
    User,
)
from observer_suite.observations.access import TEAM_SCOPED
from observer_suite.observations.intake import store_once
from observer_suite.observations.payload import Outcome
from observer_suite.observations.submission import (
    authorise_station,
    check_window,
    station_target,
)
from observer_suite.util.checked import present


class StationLookup(NamedTuple):
    """What station_target reads; an incident names no form."""

    station_code: str
    mission: str | None
    form_id: None = None
    form_version: None = None


@dataclass(frozen=True)
class Place:
    mission: Mission
    station_id: int | None
    team_id: int | None  # the reporter's team in that mission


def _by_uuid(uuid: str) -> Incident | None:
    return db.session.scalar(select(Incident).where(Incident.uuid == uuid))


def _mission(user: User, slug: str | None) -> Mission:
    """A report by coordinates only: the named mission, else the user's most recent one."""
    query = visible_missions(user)
    if slug:
        query = query.where(Mission.slug == slug)
    mission = db.session.scalar(query.limit(1))
    if mission is None:
        message = "no such mission among yours"
        raise RequestError(
            message, field="mission", code="unknown_mission", fields={"mission": message}
        )
    return mission


def _place(user: User, data: IncidentReport) -> Place:
    """Where it happened and who reports it, checked like an observation's station."""
    if data.station_code:
        target = station_target(user, StationLookup(data.station_code, data.mission))
        authorise_station(user, data, target)
        mission = present(db.session.get(Mission, target.mission_id))
        return Place(mission, target.station_id, target.team_id)
    mission = _mission(user, data.mission)
    team = team_of_user(user, mission)
    team_id = team.id if team else None
    authorise_station(user, data, SimpleNamespace(team_id=team_id, holder_id=None))
    return Place(mission, None, team_id)


def _category_id(mission: Mission, code: str) -> int:
    by_code = {c.code: c.id for c in categories(mission)}
    if code not in by_code:
        message = "not a category of this mission; GET /api/v1/incidents/categories lists them"
        raise RequestError(
            message, field="category", code="unknown_category", fields={"category": message}
        )
    return by_code[code]


def _observation_id(user: User, data: IncidentReport, place: Place) -> int | None:
    """The observation the incident was raised from. One still in the tablet's outbox is
    not here yet: the incident is stored unlinked rather than refused (the tablet sends
    observations first, so this is rare). The answer need not still be critical: the
    observer may have corrected the checklist, and the incident stands on its own."""
    if data.observation_uuid is None:
        return None
    row = db.session.execute(
        select(Observation.id, Observation.mission_id, Observation.team_id, Observation.form_pk)
        .where(Observation.uuid == data.observation_uuid)
    ).first()  # fmt: skip
    if row is None:
        return None
    same_team = user.role not in TEAM_SCOPED or row.team_id == place.team_id
    if row.mission_id != place.mission.id or not same_team:
        message = "no observation of your team in this mission has this uuid"
        raise RequestError(
            message,
            field="observation_uuid",
            code="unknown_observation",
            fields={"observation_uuid": message},
        )
    if data.question is not None:
        definition = db.session.scalar(select(Form.definition).where(Form.id == row.form_pk))
        names = {q.get("name") for q in (definition or {}).get("questions", [])}
        if data.question not in names:
            message = "not a question of that observation's checklist"
            raise RequestError(
                message, field="question", code="unknown_question", fields={"question": message}
            )
    return row.id


def _for_team(place: Place, team_id: int) -> Place:
    """The place with the team a coordinator or a clerk enters the report for."""
    found = db.session.scalar(
        select(Team.id).where(Team.id == team_id, Team.mission_id == place.mission.id)
    )
    if found is None:
        message = "no such team in this mission"
        raise RequestError(message, field="team", code="unknown_team", fields={"team": message})
    return replace(place, team_id=team_id)


def _store(user: User, data: IncidentReport, digest: str, team_id: int | None = None) -> Outcome:
    place = _place(user, data)
    if team_id is not None:
        place = _for_team(place, team_id)
    check_window(place.mission, {"occurred_at": data.occurred_at})
    category_id = _category_id(place.mission, data.category)
    observation_id = _observation_id(user, data, place)
    incident = Incident(
        uuid=data.uuid,
        mission_id=place.mission.id,
        category_id=category_id,
        severity=data.severity,
        status=IncidentStatus.REPORTED,
        occurred_at=data.occurred_at,
        station_id=place.station_id,
        latitude=data.latitude,
        longitude=data.longitude,
        title=data.title,
        description=data.description,
        team_id=place.team_id,
        reported_by=user.id,
        observation_id=observation_id,
        question=data.question,
        content_hash=digest,
        received_at=datetime.now(UTC),
    )
    incident.photos = [
        IncidentPhoto(
            filename=photo.filename,
            content_type=photo.content_type,
            size=photo.size,
            sha256=photo.sha256,
            data=photo.data,
        )
        for photo in data.photos
    ]
    # The report is the first entry of the triage history, as on the incident page.
    incident.history = [
        IncidentStatusChange(
            user_id=user.id,
            username=user.username,
            old_status=None,
            new_status=IncidentStatus.REPORTED.value,
            comment="Reported from the field" if team_id is None else "Entered from the web",
        )
    ]
    db.session.add(incident)
    db.session.flush()  # incident and photos in one go; the caller commits or rolls back
    return Outcome(incident.id, incident.uuid, True, [])


def report(
    user: User,
    payload,
    mission_slug: str | None = None,
    limits: Limits | None = None,
    raw: bytes | None = None,
    team_id: int | None = None,
) -> Outcome:
    """Store one incident, or recognise a replay; the request boundary commits. `raw` is the body as
    received, when at hand (see observations.payload.parse). `team_id`: the team a
    coordinator or a clerk enters a phoned-in report for (incidents/editing.py).

    As for observations, the uuid is not looked up first: the unique index refuses a copy,
    and only then, or when the report is refused, is the stored one compared."""
    if not can(user, Permission.REPORT_INCIDENTS):
        raise RequestError("your role cannot report incidents", status=403, code="forbidden")
    if team_id is not None and not can(user, Permission.ENTER_DATA):
        raise RequestError("your role cannot enter data for a team", status=403, code="forbidden")
    data = parse(payload, limits or Limits(), raw)
    if mission_slug and not data.mission:
        data = data.model_copy(update={"mission": mission_slug[:60]})
    digest = content_hash(payload, data.photos)
    return store_once(
        lambda: _store(user, data, digest, team_id), lambda: _by_uuid(data.uuid), user, digest
    )
