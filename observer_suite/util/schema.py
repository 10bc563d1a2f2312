"""Declared payloads: the pydantic base every JSON body model shares, and its two outputs.

Why pydantic: its Rust core keeps the election-day intake path fast, and its JSON Schema
(2020-12) is what OpenAPI 3.1 takes as it is, so the API document is generated from the
same classes that check a body (api/openapi.py) instead of being written a second time.

The suite's messages are its contract (clients and tests read them), so a model's checks
raise `refuse(message)` with the suite's own text, and `field_messages` is the one place
that turns a pydantic ValidationError into {field path: message} ("photos.0").
"""

from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, PlainValidator, ValidationError, model_validator
from pydantic.json_schema import GenerateJsonSchema, models_json_schema
from pydantic_core import PydanticCustomError, core_schema

REFUSED = "refused"
ACROSS = "across"  # the kind of a refusal by a rule across fields
COMPONENTS = "#/components/schemas/{model}"


def refuse(message: str) -> PydanticCustomError:
    """The error a check raises: its message is the suite's text, kept as it is (the text
    travels in ctx, so braces in it are not read as a template)."""
    return PydanticCustomError(REFUSED, "{message}", {"message": message})


def checked(check, shape) -> PlainValidator:
    """A field checked by `check` alone (it raises `refuse`, and returns the value as
    stored), described in the JSON Schema as `shape`. Plain, not before: pydantic's own
    type check after ours would only cost time on the intake path."""
    return PlainValidator(check, json_schema_input_type=shape)


def refuse_all(problems: list, value) -> ValidationError:
    """Several refusals of one field at once (raise it from the field's check): messages,
    or (location under the field, message) pairs."""
    lines = []
    for problem in problems:
        loc, message = problem if isinstance(problem, tuple) else ((), problem)
        lines.append({"type": refuse(message), "loc": loc, "input": value})
    return ValidationError.from_exception_data("refused", lines)


def _line(error: Any) -> Any:  # pydantic's ErrorDetails in, InitErrorDetails out
    """An error again as it came (kept: missing and unknown fields; others as refusals)."""
    kind = error["type"]
    if kind in ("missing", "extra_forbidden"):
        return {"type": kind, "loc": error["loc"], "input": error["input"]}
    kind = kind if kind in (REFUSED, ACROSS) else REFUSED
    text = PydanticCustomError(kind, "{message}", {"message": error["msg"]})
    return {"type": text, "loc": error["loc"], "input": error["input"]}


def refusals(exc: ValidationError) -> list[tuple[tuple, str, str]]:
    """(location, message, kind) of every problem, in pydantic's order. A check of this
    suite gives its own text; an absent required field "is required"; anything else (a
    pydantic type check) pydantic's text."""
    return [
        (error["loc"], "is required" if error["type"] == "missing" else error["msg"], error["type"])
        for error in exc.errors(include_url=False)
    ]


def field_messages(exc: ValidationError) -> dict[str, str]:
    """{field path: message}, the first message for each path ("photos.0")."""
    found: dict[str, str] = {}
    for loc, message, _ in refusals(exc):
        found.setdefault(".".join(str(part) for part in loc) or "body", message)
    return found


_ABSENT: dict[type, dict] = {}


class Declared(BaseModel):
    """A JSON body as declared. An absent field is read as its default, or null when it has
    none (unless `absent_is_null` is off), as the intake always did, and checked like any
    value: each field's own check says what its absence means."""

    model_config = ConfigDict(frozen=True, extra="ignore", arbitrary_types_allowed=True)
    absent_is_null: ClassVar[bool] = True

    @classmethod
    def _absent(cls) -> dict:
        found = _ABSENT.get(cls)
        if found is None:  # once per class: the intake path reads it for every body
            found = _ABSENT[cls] = {
                name: None if field.is_required() else field.get_default(call_default_factory=True)
                for name, field in cls.model_fields.items()
            }
        return found

    @model_validator(mode="before")
    @classmethod
    def _absent_fields(cls, data: Any):
        if cls.absent_is_null and isinstance(data, dict):
            return {**cls._absent(), **data}
        return data


D = TypeVar("D", bound=Declared)


class CrossChecked(Declared):
    """A declared body with rules across its fields (`across`), reported together with the
    fields' own problems: an after-validator would run only once every field had passed.
    Apart so that a body without such rules does not pay for the wrap on the intake path."""

    @classmethod
    def across(cls, data: dict, failed: set[str], context) -> list[tuple[str, str]]:
        """(field, message) for rules across fields; `failed` names fields already refused."""
        return []

    @model_validator(mode="wrap")
    @classmethod
    def _with_rules(cls, data: Any, handler, info: core_schema.ValidationInfo):
        if not isinstance(data, dict):
            return handler(data)
        try:
            model, errors = handler(data), []
        except ValidationError as exc:
            model, errors = None, exc.errors(include_url=False)
        failed = {str(error["loc"][0]) for error in errors if error["loc"]}
        extra = [
            (name, message)
            for name, message in cls.across(data, failed, info.context)
            if name not in failed
        ]
        if model is not None and not extra:
            return model
        lines = [_line(error) for error in errors]
        for name, message in extra:
            text = PydanticCustomError(ACROSS, "{message}", {"message": message})
            lines.append({"type": text, "loc": (name,), "input": data})
        raise ValidationError.from_exception_data(cls.__name__, lines)


def validate(model: type[D], payload: dict, context=None) -> tuple[D | None, dict[str, str]]:
    """(the model, {}) or (None, {field path: message})."""
    try:
        return model.model_validate(payload, context=context), {}
    except ValidationError as exc:
        return None, field_messages(exc)


class ApiJsonSchema(GenerateJsonSchema):
    """JSON Schema as the API document writes it: no generated titles or defaults, and an
    optional simple type as {"type": [t, "null"]} rather than anyOf."""

    def field_title_should_be_set(self, schema) -> bool:
        return False

    def model_schema(self, schema):
        found = super().model_schema(schema)
        found.pop("title", None)
        return found

    def default_schema(self, schema):
        return self.generate_inner(schema["schema"])

    def nullable_schema(self, schema):
        inner = self.generate_inner(schema["schema"])
        if isinstance(inner.get("type"), str) and not {"enum", "const", "$ref"} & set(inner):
            return {**inner, "type": [inner["type"], "null"]}
        return super().nullable_schema(schema)


def component_schemas(models: list[type[BaseModel]]) -> dict[str, dict]:
    """OpenAPI components for these models and every model they use, by class name, with
    pydantic's $defs turned into #/components/schemas references."""
    _, found = models_json_schema(
        [(model, "validation") for model in models],
        ref_template=COMPONENTS,
        schema_generator=ApiJsonSchema,
    )
    return found.get("$defs", {})
