"""A submission as sent: a declared model (observer_suite/util/schema.py), and its content hash.

The model checks field by field and reports every problem at once, so a client can fix a
payload in one go; it is also the Submission schema of the OpenAPI document. Nothing here
can raise anything but a RequestError, so a malformed body is never a 500.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Optional, cast

from pydantic import Field, WithJsonSchema

from observer_suite.errors import RequestError
from observer_suite.util.intake_checks import structure_problem, text_problems
from observer_suite.util.schema import Declared, checked, refuse, validate

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
UUID_MESSAGE = "must be a UUID like 123e4567-e89b-42d3-a456-426614174000"
INSTANT_MESSAGE = "must be an ISO 8601 date and time, e.g. 2026-11-28T07:30:00+01:00"


@dataclass(frozen=True)
class Outcome:
    id: int
    uuid: str
    created: bool
    flags: list

    @property
    def status(self) -> str:
        return "created" if self.created else "replayed"


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
        return None, INSTANT_MESSAGE
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None, INSTANT_MESSAGE
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        return None, "must include a UTC offset (Z or +01:00)"
    try:
        return parsed.astimezone(UTC), None  # SQLite keeps no offset: store UTC everywhere
    except OverflowError:  # e.g. 0001-01-01T00:00+01:00 is before the year 1 in UTC
        return None, "is out of range"


def uuid_field(message: str, required: bool = True):
    """A check for a UUID in any RFC 4122 text form, kept lower-case."""

    def check(value):
        if value is None and not required:
            return None
        if not isinstance(value, str) or not UUID_RE.fullmatch(value):
            raise refuse(message)
        return value.lower()

    return checked(check, str if required else str | None)


def text_field(limit: int, required: bool = True, control=CONTROL_RE, integers: bool = False):
    """A check for one text field: blank is absent, at most `limit` printable characters
    (counted before stripping), stripped; `integers` also takes 3 for "3"."""

    def check(value):
        if integers and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise refuse("is required")
            return None
        if not isinstance(value, str):
            raise refuse("must be text")
        if len(value) > limit or control.search(value):
            raise refuse(f"must be at most {limit} printable characters")
        return value.strip()

    shape = Annotated[str, Field(max_length=limit)]
    return checked(check, shape if required else Optional[shape])  # noqa: UP045


def instant_field(required: bool = True):
    """A check for an ISO 8601 date and time with a UTC offset, kept in UTC."""

    def check(value):
        parsed, problem = parse_instant(value, required)
        if problem:
            raise refuse(problem)
        return parsed

    return checked(check, datetime if required else datetime | None)


def _answers(value):
    if not isinstance(value, dict):
        raise refuse("must be an object of question name → answer")
    return value


class Submission(Declared):
    uuid: Annotated[
        str,
        uuid_field(UUID_MESSAGE),
        Field(description="made on the device", json_schema_extra={"format": "uuid"}),
    ]
    form_id: Annotated[str, text_field(TEXT_LIMITS["form_id"])]
    form_version: Annotated[
        str,
        text_field(TEXT_LIMITS["form_version"], integers=True),
        WithJsonSchema({"type": ["string", "integer"], "maxLength": TEXT_LIMITS["form_version"]}),
        Field(description="text, or an integer"),
    ]
    station_code: Annotated[str, text_field(TEXT_LIMITS["station_code"])]
    mission: Annotated[
        str | None,
        text_field(TEXT_LIMITS["mission"], required=False),
        Field(description="slug; needed only when the code exists in several of your missions"),
    ] = None
    arrived_at: Annotated[datetime, instant_field(), Field(description="with offset")]
    departed_at: Annotated[datetime | None, instant_field(required=False)] = None
    answers: Annotated[
        dict, checked(_answers, dict[str, Any]), Field(description="question name → answer")
    ]


def parse(payload, raw: bytes | None = None) -> Submission:
    """The typed payload, or a 400/422 RequestError listing every field at fault. `raw`,
    the body as received, spares the walk for control characters when it holds none."""
    if not isinstance(payload, dict):
        raise RequestError("the body must be a JSON object", status=400, code="invalid_json")
    submission, errors = validate(Submission, payload)
    errors.update(text_problems(payload, raw))
    if errors:
        raise RequestError(
            "some fields are missing or wrong", code="invalid_submission", fields=errors
        )
    return cast(Submission, submission)  # validate gives the model when nothing failed
