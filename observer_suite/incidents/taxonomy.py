"""A mission's incident categories: a default taxonomy it can edit."""

from sqlalchemy import func, select

from observer_suite.extensions import db
from observer_suite.models import IncidentCategory, Mission

DEFAULT_CATEGORIES: list[tuple[str, str, str]] = [
    ("ballot_stuffing", "Ballot stuffing", "Bourrage d'urnes"),
    ("vote_buying", "Vote buying", "Achat de voix"),
    ("voter_intimidation", "Intimidation of voters", "Intimidation des électeurs"),
    ("violence", "Violence", "Violence"),
    ("observer_obstruction", "Obstruction of observers", "Entrave aux observateurs"),
    ("missing_materials", "Missing materials", "Matériel manquant"),
    ("campaign_material", "Campaign material at the station", "Propagande au bureau de vote"),
    ("secrecy_breach", "Breach of secrecy", "Violation du secret du vote"),
    ("unauthorised_persons", "Unauthorised persons", "Personnes non autorisées"),
    ("result_manipulation", "Result manipulation", "Manipulation des résultats"),
    ("team_security", "Security incident affecting the team", "Incident de sécurité (équipe)"),
    ("other", "Other", "Autre"),
]


def ensure_categories(mission: Mission) -> None:
    """Give a mission the default taxonomy the first time it needs one (flushes, no commit)."""
    count = db.session.scalar(
        select(func.count(IncidentCategory.id)).where(IncidentCategory.mission_id == mission.id)
    )
    if count:
        return
    for position, (code, en, fr) in enumerate(DEFAULT_CATEGORIES):
        db.session.add(
            IncidentCategory(
                mission_id=mission.id,
                code=code,
                labels={"en": en, "fr": fr},
                position=position,
                active=True,
            )
        )
    db.session.flush()


def categories(mission: Mission, *, include_retired: bool = False) -> list[IncidentCategory]:
    ensure_categories(mission)
    query = select(IncidentCategory).where(IncidentCategory.mission_id == mission.id)
    if not include_retired:
        query = query.where(IncidentCategory.active.is_(True))
    return list(db.session.scalars(query.order_by(IncidentCategory.position, IncidentCategory.id)))
