"""Column helpers shared by the models; portable across SQLite and PostgreSQL."""

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum


def utcnow() -> datetime:
    return datetime.now(UTC)


def enum_column(enum_cls: type[enum.Enum]) -> Enum:
    """Store enums as their string values in a VARCHAR, never as a native PG enum type."""
    return Enum(
        enum_cls,
        native_enum=False,
        validate_strings=True,
        length=20,
        values_callable=lambda members: [m.value for m in members],
    )


TIMESTAMP = DateTime(timezone=True)
