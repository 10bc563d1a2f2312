"""An incident report as sent: a declared model (observer_suite/util/schema.py), and its hash.

The same shape as observations/payload.py, whose RequestError, field checks and time
parsing it reuses: every problem is reported at once per field, the rules between fields
(the place, the link to an observation) with them, and nothing here raises anything but a
RequestError. The model is also the IncidentReport schema of the OpenAPI document.
"""

import hashlib
import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal, Optional, cast

from pydantic import Field, WithJsonSchema

from observer_suite.errors import RequestError
from observer_suite.incidents.photos import MAX_PHOTOS, Limits, Photo, parse_photos
from observer_suite.models import Severity
from observer_suite.observations.payload import (
    UUID_MESSAGE,
    instant_field,
    text_field,
    uuid_field,
)
from observer_suite.util.intake_checks import text_problems
from observer_suite.util.schema import CrossChecked, Declared, checked, refuse, refuse_all, validate

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


def _severity(value) -> Severity:
    if not isinstance(value, str) or value not in {s.value for s in Severity}:
        raise refuse("must be one of " + ", ".join(s.value for s in Severity))
    return Severity(value)


def coordinate(bound: float):
    """A check for a latitude (90) or longitude (180) in decimal degrees, or null."""

    def check(value):
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise refuse("must be a number in decimal degrees")
        if not -bound <= value <= bound:  # NaN and ±Infinity too; big ints never become floats
            raise refuse(f"must be between -{bound:g} and {bound:g}")
        return float(value)

    # An Annotated type is a value here, which pyright does not let `| None` combine.
    return checked(check, Annotated[float, Field(ge=-bound, le=bound)] | None)  # pyright: ignore[reportOperatorIssue]


# The check functions themselves (one argument: the value), as text_field made them.
TextCheck = Callable[[Any], "str | None"]

_question_text = cast(TextCheck, text_field(TEXT_LIMITS["question"], required=False).func)
_description_text = cast(
    TextCheck,
    text_field(TEXT_LIMITS["description"], required=False, control=DESCRIPTION_CONTROL_RE).func,
)


def _description(value) -> str:
    return _description_text(value) or ""


def _question(value) -> str | None:
    question = _question_text(value)
    if question is not None and not QUESTION_RE.fullmatch(question):
        raise refuse("must be the name of a question")
    return question


def _photos(value, info) -> list[Photo]:
    """Every photo of the list, or refusals as photos or photos.<n> (photos.parse_photos)."""
    limits = (info.context or {}).get("limits") or Limits()
    errors: dict[str, str] = {}
    photos = parse_photos(value, limits, errors)
    if errors.get("photos"):
        raise refuse(errors["photos"])
    if errors:  # photos.<n>: each under its index
        raise refuse_all([((int(n.split(".")[1]),), m) for n, m in errors.items()], value)
    return photos


def _limited(limit: int):
    return Annotated[str, Field(max_length=limit)]


# Described here for the API document; checked by photos.parse_photo, which gives one
# message per photo (photos.<n>).
class PhotoUpload(Declared):
    filename: Annotated[str | None, Field(description="sanitised on the server")] = None
    content_type: Literal["image/jpeg", "image/png", "image/webp"]
    data: Annotated[
        str,
        Field(
            description="the image (a data: URL prefix is accepted); its first bytes "
            "must match content_type; at most INCIDENT_PHOTO_MAX_MB (5) decoded",
            json_schema_extra={"contentEncoding": "base64"},
        ),
    ]


class IncidentReport(CrossChecked):
    """A station_code, or latitude and longitude, or both"""

    uuid: Annotated[
        str,
        uuid_field(UUID_MESSAGE),
        Field(description="made on the device", json_schema_extra={"format": "uuid"}),
    ]
    category: Annotated[
        str,
        text_field(TEXT_LIMITS["category"]),
        Field(description="a code from /incidents/categories"),
    ]
    severity: Annotated[
        Severity,
        checked(_severity, str),
        WithJsonSchema({"enum": [s.value for s in Severity]}),
    ]
    occurred_at: Annotated[datetime, instant_field(), Field(description="with offset")]
    station_code: Annotated[
        str | None,
        text_field(TEXT_LIMITS["station_code"], required=False),
    ] = None
    latitude: Annotated[float | None, coordinate(90)] = None
    longitude: Annotated[float | None, coordinate(180)] = None
    title: Annotated[str, text_field(TEXT_LIMITS["title"])]
    description: Annotated[
        str,
        checked(_description, Optional[_limited(TEXT_LIMITS["description"])]),  # noqa: UP045
        Field(description="line breaks allowed"),
    ] = ""
    observation_uuid: Annotated[
        str | None,
        uuid_field("must be the UUID of an observation", required=False),
        Field(
            description="the observation whose critical answer raised it",
            json_schema_extra={"format": "uuid"},
        ),
    ] = None
    question: Annotated[
        str | None,
        checked(_question, Optional[_limited(TEXT_LIMITS["question"])]),  # noqa: UP045
        Field(description="that answer's question"),
    ] = None
    mission: Annotated[
        str | None,
        text_field(TEXT_LIMITS["mission"], required=False),
        Field(description="slug"),
    ] = None
    photos: Annotated[
        list,  # of photos.Photo (a dataclass, kept out of the JSON Schema)
        checked(_photos, list[PhotoUpload] | None),
        Field(
            description="at most INCIDENT_MAX_PHOTOS (3)",
            json_schema_extra={"maxItems": MAX_PHOTOS},
        ),
    ] = []  # noqa: RUF012 - pydantic copies a field's default for each model

    @classmethod
    def across(cls, data: dict, failed: set[str], context) -> list[tuple[str, str]]:
        """Coordinates both or neither; a station, coordinates, or both; a question only
        with the observation it was answered in."""
        found = {}
        given = {name: data.get(name) is not None for name in ("latitude", "longitude")}
        if given["latitude"] != given["longitude"]:
            missing = "longitude" if given["latitude"] else "latitude"
            found[missing] = "is required with the other coordinate"
        station = data.get("station_code")
        if not any(given.values()) and (station is None or _blank(station)):
            found["station_code"] = "give a station code, or latitude and longitude, or both"
        question = data.get("question")
        if question is not None and not _blank(question) and data.get("observation_uuid") is None:
            found["question"] = "needs observation_uuid, the observation it was answered in"
        return list(found.items())


def _blank(value) -> bool:
    return isinstance(value, str) and not value.strip()


def parse(payload, limits: Limits, raw: bytes | None = None) -> IncidentReport:
    """The typed report, or a 400/422 RequestError listing every field at fault; `raw`
    as for observations (observations.payload.parse)."""
    if not isinstance(payload, dict):
        raise RequestError("the body must be a JSON object", status=400, code="invalid_json")
    report, errors = validate(IncidentReport, payload, context={"limits": limits})
    errors.update(text_problems(payload, raw))
    if errors:
        raise RequestError(
            "some fields are missing or wrong", code="invalid_incident", fields=errors
        )
    return cast(IncidentReport, report)  # validate gives the model when nothing failed
