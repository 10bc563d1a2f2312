"""URL converters shared by every blueprint."""

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # primary keys are INTEGER on PostgreSQL


class DatabaseId(IntegerConverter):
    """`<int:…>` that never matches past the INTEGER range, so PostgreSQL is not asked."""

    def __init__(self, map, *args, **kwargs) -> None:  # `map`: werkzeug's name
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
