"""Narrowing for values that are optional in their declared type but known to be present.

WTForms types a field's data as optional and SQLAlchemy a nullable column or a scalar() as
`T | None`; after a form's validators (DataRequired, InputRequired, NumberRange) or a query
that cannot come back empty, the value is there. `present()` says so where it is used, and
fails loudly, not later and elsewhere, if that ever stops being true.
"""

from typing import TYPE_CHECKING, TypeVar, cast

if TYPE_CHECKING:
    from wtforms import Field

T = TypeVar("T")


def present(value: T | None) -> T:
    """The value, asserted not None."""
    assert value is not None, "a value that its validators or query guarantee is missing"
    return value


def add_error(field: "Field", message: str) -> None:
    """Add a message to a validated field. WTForms' stub types `errors` as a Sequence; after
    validation it is the field's own list, which the form's `errors` also shows."""
    cast(list[str], field.errors).append(message)
