"""Corrections: a new version of an observation's answers, the replaced one kept.

The observation row holds the latest version (statistics read it and count nothing else);
the version it replaces is copied to ObservationVersion with who made it and when, as ODK
keeps a replaced instance under deprecatedID. The uuid and the original content_hash stay,
so the tablet's original upload is still answered as a replay. The new answers pass the
form's rules (checklists/validation.py) as an upload does, its checks run again, and the
correction is entered in the review history. The form carries the version it was made
against and the row is locked while it is compared, so two clerks correcting at once do
not overwrite each other. Flushes; the caller commits.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from observer_suite.auth.permissions import Permission, can
from observer_suite.checklists.validation import (
    check_times,
    critical_answers,
    run_checks,
    validate_answers,
)
from observer_suite.errors import ServiceError
from observer_suite.extensions import db
from observer_suite.models import (
    Observation,
    ObservationReview,
    ObservationVersion,
    PollingStation,
    ReviewStatus,
    User,
)
from observer_suite.observations.answers import display
from observer_suite.util.intake_checks import TEXT_CONTROL_RE, control_fields

MAX_NOTE = 2000


class CorrectionError(ServiceError):
    """Nothing was changed; `fields` holds the message per question (or "note", "_form")."""

    fields: dict[str, str]  # always given, unlike a ServiceError's

    def __init__(self, fields: dict[str, str], status: int = 400):
        message = "; ".join(f"{k}: {v}" for k, v in fields.items())
        super().__init__(message, status=status, fields=fields)


@dataclass(frozen=True)
class Change:
    name: str
    label: str
    old: object
    new: object


@dataclass(frozen=True)
class Version:
    """One version as the observation page shows it, with what changed from the one before."""

    number: int
    made_by: str | None
    made_at: datetime | None
    note: str
    current: bool
    changes: list[Change]


def changed_names(old: dict, new: dict) -> list[str]:
    return sorted(name for name in set(old) | set(new) if old.get(name) != new.get(name))


def correct(
    observation: Observation, raw_answers: dict, user: User, note: str, seen: int | None
) -> list[str]:
    """Replace the answers with a new version; returns the names of the changed answers."""
    if not can(user, Permission.CORRECT_OBSERVATIONS):
        raise CorrectionError({"_form": "Your role cannot correct observations."}, 403)
    note = (note or "").strip()
    if len(note) > MAX_NOTE or TEXT_CONTROL_RE.search(note):
        raise CorrectionError({"note": f"At most {MAX_NOTE} printable characters."})
    definition = observation.form.definition
    refused = control_fields(raw_answers)  # as the intake refuses them (util/intake_checks.py)
    if refused:
        raise CorrectionError(refused)
    answers, errors = validate_answers(definition, raw_answers)
    if errors:
        raise CorrectionError(errors)
    db.session.execute(
        select(Observation.id).where(Observation.id == observation.id).with_for_update()
    )
    db.session.refresh(observation)
    if seen is not None and seen != observation.version:
        raise CorrectionError(
            {
                "_form": f"{observation.corrected_by or 'Someone'} corrected this observation "
                f"meanwhile (it is now version {observation.version}); read it and try again."
            },
            409,
        )
    changed = changed_names(observation.answers or {}, answers)
    if not changed:
        raise CorrectionError({"_form": "Nothing changed: no answer differs from this version."})
    if not note:
        raise CorrectionError({"note": "Say why the answers change (e.g. who phoned it in)."})
    voters = db.session.scalar(
        select(PollingStation.registered_voters).where(PollingStation.id == observation.station_id)
    )
    flags = run_checks(definition, answers, {"_station_registered_voters": voters})
    timing = check_times(observation.arrived_at, observation.departed_at)
    if timing:
        flags.append(timing)
    db.session.add(
        ObservationVersion(
            observation_id=observation.id,
            version=observation.version,
            answers=observation.answers,
            arrived_at=observation.arrived_at,
            departed_at=observation.departed_at,
            flags=observation.flags or [],
            critical=observation.critical or [],
            made_by=observation.corrected_by or _submitter(observation),
            made_at=observation.corrected_at or observation.received_at,
            note=observation.correction_note or "",
        )
    )
    old_status = observation.review_status
    if flags and old_status == ReviewStatus.RECEIVED:
        observation.review_status = ReviewStatus.FLAGGED
    observation.answers = answers
    observation.flags = flags
    observation.critical = critical_answers(definition, answers)
    observation.version += 1
    observation.corrected_by = user.username
    observation.corrected_at = datetime.now(UTC)
    observation.correction_note = note
    comment = f"Answers corrected (version {observation.version}): {note}. Changed: "
    comment += ", ".join(changed)
    if flags:
        comment += ". Checks failing: " + "; ".join(f["message"] or f["id"] for f in flags)
    db.session.add(
        ObservationReview(
            observation_id=observation.id,
            username=user.username,
            old_status=old_status.value,
            new_status=observation.review_status.value,
            comment=comment,
        )
    )
    db.session.flush()
    return changed


def _submitter(observation: Observation) -> str | None:
    if observation.submitted_by is None:
        return None
    return db.session.scalar(select(User.username).where(User.id == observation.submitted_by))


def versions(observation: Observation) -> list[Version]:
    """Every version, newest first, each with the answers it changed from the one before."""
    older = db.session.scalars(
        select(ObservationVersion)
        .where(ObservationVersion.observation_id == observation.id)
        .order_by(ObservationVersion.version)
    ).all()
    definition = observation.form.definition
    labels = {q.get("name"): q for q in definition.get("questions", []) if isinstance(q, dict)}
    snapshots = [(v.version, v.answers or {}, v.made_by, v.made_at, v.note, False) for v in older]
    snapshots.append(
        (
            observation.version,
            observation.answers or {},
            observation.corrected_by or _submitter(observation),
            observation.corrected_at or observation.received_at,
            observation.correction_note or "",
            True,
        )
    )
    result = []
    previous: dict | None = None
    for number, answers, made_by, made_at, note, current in snapshots:
        changes = []
        if previous is not None:
            for name in changed_names(previous, answers):
                question = labels.get(name, {"name": name})
                label = question.get("label")
                changes.append(
                    Change(
                        name=name,
                        label=(label.get("en") if isinstance(label, dict) else None) or name,
                        old=display(definition, question, previous.get(name)),
                        new=display(definition, question, answers.get(name)),
                    )
                )
        result.append(Version(number, made_by, made_at, note, current, changes))
        previous = answers
    return list(reversed(result))
