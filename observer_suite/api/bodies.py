"""The API's own declared bodies: the token request, and the Error every failure answers.

Intake bodies are declared where they are checked (observations/payload.py,
incidents/payload.py); these two belong to the API itself. All of them are the request and
Error schemas of the OpenAPI document (api/openapi.py).
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from observer_suite.util.schema import Declared, checked, refuse


def _required_text(value):
    if not isinstance(value, str) or not value:
        raise refuse("is required (text)")
    return value


class TokenRequest(Declared):
    username: Annotated[str, checked(_required_text, str)]
    password: Annotated[str, checked(_required_text, str)]


class Error(BaseModel):
    """Every 4xx and 5xx answer under /api/; a 405 also sends Allow, a 429 and a 503 Retry-After"""

    model_config = ConfigDict(extra="forbid")

    error: Annotated[
        str,
        Field(
            pattern="^[a-z][a-z0-9_]*$",
            description="short code in snake case, e.g. invalid_answers, not_found, "
            "method_not_allowed",
        ),
    ]
    detail: str
    field: str | None
    fields: Annotated[
        dict[str, str], Field(description="field → message; answers as answers.<question name>")
    ] = {}
