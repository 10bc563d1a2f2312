"""An incident report as sent: typed and checked field by field, and its content hash.

Plain functions over the decoded JSON (no database), the same shape as
observations/payload.py, whose RequestError and time parsing they reuse: every problem is
reported at once per field, and nothing here raises anything but a RequestError.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime

from observer_suite.errors import RequestError
from observer_suite.incidents.photos import Limits, Photo, parse_photos
from observer_suite.models import Severity
from observer_suite.observations.payload import (
    CONTROL_RE,
    UUID_RE,
    parse_instant,
)
from observer_suite.util.intake_checks import text_problems

HASHED = (
    "uuid",
    "category",
    "severity",
    "occurred_at",
    "station_code",
    "latitude",
    "longitude",
    "title",
    "description",
    "observation_uuid",
    "question",
    "photos",
    "mission",
)
TEXT_LIMITS = {
    "category": 60,
    "station_code": 60,
    "mission": 60,
    "title": 200,
    "description": 5000,
    "question": 80,
}
# Descriptions may run over several lines; other control characters are refused.
DESCRIPTION_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
QUESTION_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class IncidentPayload:
    uuid: str
    category: str
    severity: Severity
    occurred_at: datetime
    station_code: str | None
    latitude: float | None
    longitude: float | None
    title: str
    description: str
    observation_uuid: str | None
    question: str | None
    photos: list[Photo]
    mission: str | None


def content_hash(payload: dict, photos: list[Photo]) -> str:
    """SHA-256 of the canonical JSON (sorted keys, compact, UTF-8) of the fields as sent,
    except that each photo's base64 "data" is replaced by "sha256", the hex digest of its
    decoded bytes: the hash stays cheap, and base64 line breaks do not make a conflict."""
    canonical = {key: payload[key] for key in HASHED if key in payload}
    if photos:
        canonical["photos"] = [
            {**{k: v for k, v in item.items() if k != "data"}, "sha256": photo.sha256}
            for item, photo in zip(payload["photos"], photos, strict=True)
        ]
    try:
        text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        data = text.encode("utf-8")
    except (UnicodeEncodeError, ValueError):
        raise RequestError(
            "the body holds text not in UTF-8", status=400, code="invalid_json"
        ) from None
    return hashlib.sha256(data).hexdigest()


def _text(payload: dict, name: str, errors: dict, required: bool = False) -> str | None:
    value = payload.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[name] = "is required"
        return None
    control = DESCRIPTION_CONTROL_RE if name == "description" else CONTROL_RE
    if not isinstance(value, str):
        errors[name] = "must be text"
    elif len(value) > TEXT_LIMITS[name] or control.search(value):
        errors[name] = f"must be at most {TEXT_LIMITS[name]} printable characters"
    else:
        return value.strip()
    return None


def _coordinate(payload: dict, name: str, bound: float, errors: dict) -> float | None:
    value = payload.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        errors[name] = "must be a number in decimal degrees"
    elif not -bound <= value <= bound:  # NaN and ±Infinity too; big ints never become floats
        errors[name] = f"must be between -{bound:g} and {bound:g}"
    else:
        return float(value)
    return None


def _place(payload: dict, station_code, errors: dict) -> tuple[float | None, float | None]:
    """Coordinates both or neither; and a station, coordinates, or both."""
    latitude = _coordinate(payload, "latitude", 90, errors)
    longitude = _coordinate(payload, "longitude", 180, errors)
    given = {name: payload.get(name) is not None for name in ("latitude", "longitude")}
    if given["latitude"] != given["longitude"]:
        missing = "longitude" if given["latitude"] else "latitude"
        errors.setdefault(missing, "is required with the other coordinate")
    if station_code is None and not any(given.values()) and "station_code" not in errors:
        errors["station_code"] = "give a station code, or latitude and longitude, or both"
    return latitude, longitude


def _link(payload: dict, errors: dict) -> tuple[str | None, str | None]:
    observation_uuid = payload.get("observation_uuid")
    if observation_uuid is not None and (
        not isinstance(observation_uuid, str) or not UUID_RE.fullmatch(observation_uuid)
    ):
        errors["observation_uuid"] = "must be the UUID of an observation"
        observation_uuid = None
    question = _text(payload, "question", errors)
    if question is not None and not QUESTION_RE.fullmatch(question):
        errors["question"] = "must be the name of a question"
    elif question is not None and payload.get("observation_uuid") is None:
        errors["question"] = "needs observation_uuid, the observation it was answered in"
    return (observation_uuid.lower() if observation_uuid else None), question


def parse(payload, limits: Limits, raw: bytes | None = None) -> IncidentPayload:
    """The typed report, or a 400/422 RequestError listing every field at fault; `raw`
    as for observations (observations.payload.parse)."""
    if not isinstance(payload, dict):
        raise RequestError("the body must be a JSON object", status=400, code="invalid_json")
    errors: dict[str, str] = {}
    uuid = payload.get("uuid")
    if not isinstance(uuid, str) or not UUID_RE.fullmatch(uuid):
        errors["uuid"] = "must be a UUID like 123e4567-e89b-42d3-a456-426614174000"
    category = _text(payload, "category", errors, required=True)
    severity = payload.get("severity")
    if not isinstance(severity, str) or severity not in {s.value for s in Severity}:
        errors["severity"] = "must be one of " + ", ".join(s.value for s in Severity)
    occurred_at, problem = parse_instant(payload.get("occurred_at"), required=True)
    if problem:
        errors["occurred_at"] = problem
    station_code = _text(payload, "station_code", errors)
    latitude, longitude = _place(payload, station_code, errors)
    title = _text(payload, "title", errors, required=True)
    description = _text(payload, "description", errors) or ""
    observation_uuid, question = _link(payload, errors)
    mission = _text(payload, "mission", errors)
    photos = parse_photos(payload.get("photos"), limits, errors)
    errors.update(text_problems(payload, raw))
    if errors:
        raise RequestError(
            "some fields are missing or wrong", code="invalid_incident", fields=errors
        )
    return IncidentPayload(
        uuid=uuid.lower(),
        category=category,
        severity=Severity(severity),
        occurred_at=occurred_at,
        station_code=station_code,
        latitude=latitude,
        longitude=longitude,
        title=title,
        description=description,
        observation_uuid=observation_uuid,
        question=question,
        photos=photos,
        mission=mission,
    )
