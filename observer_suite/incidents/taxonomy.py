"""A mission's incident categories: a default taxonomy it can edit.

Editing (coordinators, MANAGE_TAXONOMY): labels per language, order, new categories,
retiring and restoring. A category some incident uses is never deleted, only retired: it
disappears from the tablet but old incidents keep their category. Functions flush; the
caller commits.
"""

import re

from sqlalchemy import func, select

from observer_suite.errors import ServiceError
from observer_suite.extensions import db
from observer_suite.models import Incident, IncidentCategory, Mission
from observer_suite.util.intake_checks import TEXT_CONTROL_RE

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


CODE_RE = re.compile(r"^[a-z0-9_]+$")
MAX_CODE = 60
MAX_LABEL = 120
BASE_LANGUAGES = ("en", "fr")


class TaxonomyError(ServiceError):
    """The change was not made; `field` names the form field the message belongs to."""


def label_languages(mission: Mission) -> list[str]:
    """English and French (every mission's labels), then the mission's other languages."""
    out = list(BASE_LANGUAGES)
    out += [lang for lang in mission.languages or [] if lang not in out]
    return out


def get_category(mission: Mission, category_id: int) -> IncidentCategory | None:
    return db.session.scalar(
        select(IncidentCategory).where(
            IncidentCategory.id == category_id, IncidentCategory.mission_id == mission.id
        )
    )


def usage(mission: Mission) -> dict[int, int]:
    """Incidents per category id (GROUP BY)."""
    rows = (
        db.session.execute(
            select(Incident.category_id, func.count(Incident.id))
            .where(Incident.mission_id == mission.id)
            .group_by(Incident.category_id)
        )
        .tuples()
        .all()
    )
    return dict(rows)


def _clean_labels(mission: Mission, labels: dict[str, str]) -> dict[str, str]:
    """Labels with spaces tidied; an empty one maps to "" (meaning: remove it)."""
    allowed = label_languages(mission)
    cleaned = {}
    for lang, text in labels.items():
        if lang not in allowed:
            raise TaxonomyError(f"{lang!r} is not a language of this mission.", f"label_{lang}")
        text = " ".join((text or "").split())
        if len(text) > MAX_LABEL:
            raise TaxonomyError(f"At most {MAX_LABEL} characters.", f"label_{lang}")
        if TEXT_CONTROL_RE.search(text):
            raise TaxonomyError("No control characters (such as NUL).", f"label_{lang}")
        cleaned[lang] = text
    return cleaned


def _with_english(labels: dict[str, str]) -> dict[str, str]:
    labels = {lang: text for lang, text in labels.items() if text}
    if "en" not in labels:
        raise TaxonomyError("Every category needs an English label.", "label_en")
    return labels


def add_category(mission: Mission, code: str, labels: dict[str, str]) -> IncidentCategory:
    """A new active category at the end of the list."""
    ensure_categories(mission)
    code = (code or "").strip()
    if not code or len(code) > MAX_CODE or not CODE_RE.match(code):
        raise TaxonomyError(
            f"Use 1 to {MAX_CODE} lower-case letters, digits or underscores, e.g. late_opening.",
            "code",
        )
    taken = select(IncidentCategory.id).where(
        IncidentCategory.mission_id == mission.id, IncidentCategory.code == code
    )
    if db.session.scalar(taken) is not None:
        raise TaxonomyError(f"This mission already has a category {code!r}.", "code")
    cleaned = _with_english(_clean_labels(mission, labels))
    last = db.session.scalar(
        select(func.max(IncidentCategory.position)).where(IncidentCategory.mission_id == mission.id)
    )
    category = IncidentCategory(
        mission_id=mission.id,
        code=code,
        labels=cleaned,
        position=(last if last is not None else -1) + 1,
        active=True,
    )
    db.session.add(category)
    db.session.flush()
    return category


def rename_category(category: IncidentCategory, mission: Mission, labels: dict[str, str]):
    """Set the labels in the given languages; an empty one is removed (English stays)."""
    merged = {**(category.labels or {}), **_clean_labels(mission, labels)}
    category.labels = _with_english(merged)
    db.session.flush()


def move_category(category: IncidentCategory, mission: Mission, offset: int) -> None:
    """Move one place up (offset -1) or down (+1); positions are renumbered 0, 1, 2 …"""
    ordered = categories(mission, include_retired=True)
    index = next(i for i, c in enumerate(ordered) if c.id == category.id)
    target = index + (1 if offset > 0 else -1)
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered):
        item.position = position
    db.session.flush()


def set_active(category: IncidentCategory, active: bool) -> None:
    """Retire (hidden from the tablet, kept for old incidents) or restore a category."""
    category.active = active
    db.session.flush()


def delete_category(category: IncidentCategory) -> None:
    """Remove a category no incident uses; one in use can only be retired."""
    used = db.session.scalar(
        select(func.count(Incident.id)).where(Incident.category_id == category.id)
    )
    if used:
        raise TaxonomyError(
            f"{used} incident(s) use the category {category.code!r}, so it cannot be deleted; "
            "retire it instead."
        )
    db.session.delete(category)
    db.session.flush()
