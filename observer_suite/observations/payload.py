"""A submission as sent: typed and checked field by field, and its content hash.

Plain functions over the decoded JSON (no database). Every problem is reported at once, per
field, so a client can fix a payload in one go; nothing here can raise anything but a
RequestError, so a malformed body is never a 500.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from observer_suite.errors import RequestError
from observer_suite.util.intake_checks import structure_problem, text_problems

UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # one-line fields: C0, DEL, C1
HASHED = (
    "uuid",
    "form_id",
    "form_version",
    "station_code",
    "arrived_at",
    "departed_at",
    "answers",
    "mission",
)
TEXT_LIMITS = {"form_id": 80, "form_version": 40, "station_code": 60, "mission": 60}


@dataclass(frozen=True)
class Outcome:
    id: int
    uuid: str
    created: bool
    flags: list

    @property
    def status(self) -> str:
        return "created" if self.created else "replayed"


@dataclass(frozen=True)
class Payload:
    uuid: str
    form_id: str
    form_version: str
    station_code: str
    arrived_at: datetime
    departed_at: datetime | None
    answers: dict
    mission: str | None


def check_nesting(raw: bytes) -> None:
    """A 400 before parsing when arrays and objects nest too deep (intake_checks.MAX_DEPTH)."""
    problem = structure_problem(raw)
    if problem:
        raise RequestError(problem, status=400, code="too_deep")


def content_hash(payload: dict) -> str:
    """SHA-256 of the canonical JSON (sorted keys) of the submitted fields."""
    canonical = {key: payload[key] for key in HASHED if key in payload}
    try:
        text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        data = text.encode("utf-8")
    except (UnicodeEncodeError, ValueError):
        raise RequestError(
            "the body holds text not in UTF-8", status=400, code="invalid_json"
        ) from None
    return hashlib.sha256(data).hexdigest()


def parse_instant(value, required: bool) -> tuple[datetime | None, str | None]:
    if value is None:
        return None, "is required" if required else None
    if not isinstance(value, str):
        return None, "must be an ISO 8601 date and time, e.g. 2026-11-28T07:30:00+01:00"
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None, "must be an ISO 8601 date and time, e.g. 2026-11-28T07:30:00+01:00"
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        return None, "must include a UTC offset (Z or +01:00)"
    try:
        return parsed.astimezone(UTC), None  # SQLite keeps no offset: store UTC everywhere
    except OverflowError:  # e.g. 0001-01-01T00:00+01:00 is before the year 1 in UTC
        return None, "is out of range"


def _text(payload: dict, name: str, errors: dict, required: bool = True) -> str | None:
    value = payload.get(name)
    if name == "form_version" and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[name] = "is required"
        return None
    if not isinstance(value, str):
        errors[name] = "must be text"
    elif len(value) > TEXT_LIMITS[name] or CONTROL_RE.search(value):
        errors[name] = f"must be at most {TEXT_LIMITS[name]} printable characters"
    else:
        return value.strip()
    return None


def parse(payload, raw: bytes | None = None) -> Payload:
    """The typed payload, or a 400/422 RequestError listing every field at fault. `raw`,
    the body as received, spares the walk for control characters when it holds none."""
    if not isinstance(payload, dict):
        raise RequestError("the body must be a JSON object", status=400, code="invalid_json")
    errors: dict[str, str] = {}
    uuid = payload.get("uuid")
    if not isinstance(uuid, str) or not UUID_RE.fullmatch(uuid):
        errors["uuid"] = "must be a UUID like 123e4567-e89b-42d3-a456-426614174000"
    texts = {name: _text(payload, name, errors) for name in ("form_id", "form_version")}
    station_code = _text(payload, "station_code", errors)
    mission = _text(payload, "mission", errors, required=False)
    arrived, problem = parse_instant(payload.get("arrived_at"), required=True)
    if problem:
        errors["arrived_at"] = problem
    departed, problem = parse_instant(payload.get("departed_at"), required=False)
    if problem:
        errors["departed_at"] = problem
    answers = payload.get("answers")
    if not isinstance(answers, dict):
        errors["answers"] = "must be an object of question name → answer"
    errors.update(text_problems(payload, raw))
    if errors:
        raise RequestError(
            "some fields are missing or wrong", code="invalid_submission", fields=errors
        )
    return Payload(
        uuid=uuid.lower(),
        form_id=texts["form_id"],
        form_version=texts["form_version"],
        station_code=station_code,
        arrived_at=arrived,
        departed_at=departed,
        answers=answers,
        mission=mission,
    )
