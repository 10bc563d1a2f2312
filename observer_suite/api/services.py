"""What the read endpoints return, as plain dicts; the views only pick the mission."""

from datetime import UTC, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from observer_suite.checklists.services import active_forms
from observer_suite.deployment.plan_sheets import team_of_user, team_sheets
from observer_suite.deployment.services import published_plan
from observer_suite.extensions import db
from observer_suite.incidents.taxonomy import categories
from observer_suite.models import (
    Form,
    Incident,
    IncidentCategory,
    IncidentPhoto,
    Mission,
    Observation,
    PollingStation,
    Team,
    TeamMember,
    User,
)
from observer_suite.registry.services import station_query

SEARCH_LIMIT = 50


def mission_summary(mission: Mission) -> dict:
    return {
        "slug": mission.slug,
        "name": mission.name,
        "election_date": mission.election_date.isoformat(),
        "timezone": mission.timezone,
        "languages": list(mission.languages or []),
    }


def assignments(user: User, mission: Mission) -> dict:
    """The user's team and its route in the published plan (empty when there is none)."""
    team = team_of_user(user, mission)
    plan = published_plan(mission)
    sheet = None
    if team is not None and plan is not None:
        sheets = team_sheets(plan, [team.id])
        sheet = sheets[0] if sheets else None
    team_data = None
    if team is not None:
        if sheet is not None:
            members = [{"name": m.name, "role": m.role} for m in sheet.members]
        else:
            loaded = db.session.scalars(
                select(Team)
                .where(Team.id == team.id)
                .options(selectinload(Team.members).selectinload(TeamMember.observer))
            ).one()
            members = [{"name": m.observer.name, "role": m.role.value} for m in loaded.members]
        team_data = {"code": team.code, "kind": team.kind.value, "members": members}
    stations = [
        {
            "id": row.station_id,
            "code": row.station_code,
            "name": row.station_name,
            "area": row.area_name,
            "lat": row.lat,
            "lon": row.lon,
            "position": row.position,
            "kind": row.kind,
            "planned_arrival": row.arrival or None,
        }
        for row in (sheet.rows if sheet else [])
    ]
    route_change = None
    if team is not None and plan is not None:
        from observer_suite.deployment.revisions import route_change as change_of

        route_change = change_of(plan, team.id)
    return {
        "mission": mission_summary(mission),
        "team": team_data,
        "route_change": route_change,
        "plan": {"id": plan.id, "name": plan.name, "election_day": plan.election_day.isoformat()}
        if plan
        else None,
        "stations": stations,
    }


def search_stations(mission: Mission, q: str) -> list[dict]:
    rows = db.session.execute(station_query(mission, q, None).limit(SEARCH_LIMIT)).all()
    return [
        {
            "id": station.id,
            "code": station.code,
            "name": station.name,
            "area": area.name,
            "lat": station.latitude,
            "lon": station.longitude,
            "registered_voters": station.registered_voters,
        }
        for station, area in rows
    ]


def form_list(mission: Mission) -> list[dict]:
    return [
        {"id": f.id, "form_id": f.form_id, "version": f.version, "kind": f.kind, "title": f.title}
        for f in active_forms(mission)
    ]


def form_in(missions_query, form_pk: int) -> Form | None:
    """A form (any version) of a mission the user may see; `missions_query` selects them."""
    visible = missions_query.with_only_columns(Mission.id).order_by(None)
    return db.session.scalar(select(Form).where(Form.id == form_pk, Form.mission_id.in_(visible)))


def form_document(form: Form) -> dict:
    return {**form.definition, "id": form.id, "active": form.active}


def incident_categories(mission: Mission) -> list[dict]:
    """The mission's active categories; the first call makes the default taxonomy (flushes)."""
    return [{"code": c.code, "labels": dict(c.labels or {})} for c in categories(mission)]


INCIDENT_LIMIT = 200


def team_incidents(user: User, mission: Mission) -> list[dict]:
    """What the tablet lists as sent: the user's team's incidents (and the user's own, for
    staff without a team), newest first. Never another team's."""
    team = team_of_user(user, mission)
    mine = Incident.reported_by == user.id
    whose = or_(Incident.team_id == team.id, mine) if team is not None else mine
    photos = (
        select(func.count(IncidentPhoto.id))
        .where(IncidentPhoto.incident_id == Incident.id)
        .correlate(Incident)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Incident, IncidentCategory.code, PollingStation.code, Observation.uuid, photos)
        .join(IncidentCategory, IncidentCategory.id == Incident.category_id)
        .outerjoin(PollingStation, PollingStation.id == Incident.station_id)
        .outerjoin(Observation, Observation.id == Incident.observation_id)
        .where(Incident.mission_id == mission.id, whose)
        .order_by(Incident.occurred_at.desc(), Incident.id.desc())
        .limit(INCIDENT_LIMIT)
    ).all()
    return [
        {
            "id": incident.id,
            "uuid": incident.uuid,
            "category": category,
            "severity": incident.severity.value,
            "status": incident.status.value,
            "occurred_at": _aware(incident.occurred_at).isoformat(),
            "station_code": station_code,
            "latitude": incident.latitude,
            "longitude": incident.longitude,
            "title": incident.title,
            "observation_uuid": observation_uuid,
            "question": incident.question,
            "photos": photo_count,
            "received_at": _aware(incident.received_at).isoformat(),
        }
        for incident, category, station_code, observation_uuid, photo_count in rows
    ]


def _aware(moment: datetime) -> datetime:
    """Stored in UTC; SQLite gives it back without its offset."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
