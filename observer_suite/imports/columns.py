"""Match a file's header names to the fields we import, through a table of aliases.

Every source names its columns differently (INEC says polling_unit_code, others PS Code), so
headers are compared after dropping case, spaces, underscores and hyphens.
"""

import re
from dataclasses import dataclass

from observer_suite.imports.tabular import ImportFileError

_IGNORED = re.compile(r"[\s_\-]+")


def normalise(name: str) -> str:
    return _IGNORED.sub("", name.replace("\ufeff", "")).lower()


@dataclass(frozen=True)
class Field:
    key: str
    aliases: tuple[str, ...]
    required: bool = False


STATION_FIELDS = (
    Field(
        "code",
        (
            "code",
            "pu_code",
            "polling_unit_code",
            "station_code",
            "ps_code",
            "polling_station_code",
        ),
        required=True,
    ),
    Field(
        "name",
        (
            "name",
            "polling_unit",
            "polling_station",
            "station_name",
            "pu_name",
            "polling_unit_name",
        ),
        required=True,
    ),
    Field(
        "polling_centre",
        ("polling_centre", "polling_center", "centre", "center", "pc_name"),
    ),
    Field("registered_voters", ("registered_voters", "voters", "registered", "reg_voters")),
    Field("latitude", ("lat", "latitude", "y")),
    Field("longitude", ("lon", "lng", "long", "longitude", "x")),
)

OBSERVER_FIELDS = (
    Field("ref", ("ref", "id", "observer_id", "code")),
    Field("name", ("name", "full_name"), required=True),
    Field("role", ("role",), required=True),
    Field("nationality", ("nationality", "country")),
    Field("gender", ("gender", "sex")),
    Field("languages", ("languages", "language")),
    Field("previous_missions", ("previous_missions", "missions", "experience")),
    Field("email", ("email", "e-mail")),
    Field("phone", ("phone", "mobile", "telephone")),
)


def level_fields(levels: list[str]) -> tuple[Field, ...]:
    """Each area level is a required name column plus an optional `<level>_code` column."""
    fields = []
    for level in levels:
        fields.append(Field(level, (level, f"{level}_name"), required=True))
        fields.append(Field(f"{level}_code", (f"{level}_code",)))
    return tuple(fields)


@dataclass
class Columns:
    """Which column index holds each field; `headers` keeps the file's own spelling."""

    index: dict[str, int]
    headers: list[str]
    ignored: list[str]

    def __contains__(self, key: str) -> bool:
        return key in self.index

    def header(self, key: str) -> str:
        return self.headers[self.index[key]]


def match_columns(headers: list[str], fields: tuple[Field, ...]) -> Columns:
    """Raise ImportFileError naming every missing required column and its accepted names."""
    owner: dict[str, str] = {}
    for f in fields:  # earlier fields win, so mission levels beat generic station aliases
        for alias in f.aliases:
            owner.setdefault(normalise(alias), f.key)
    index: dict[str, int] = {}
    ignored: list[str] = []
    problems: list[str] = []
    for position, header in enumerate(headers):
        key = owner.get(normalise(header)) if header else None
        if key is None:
            if header:
                ignored.append(header)
        elif key in index:
            problems.append(
                f"columns {headers[index[key]]!r} and {header!r} both give {key}; keep one"
            )
        else:
            index[key] = position
    for f in fields:
        if f.required and f.key not in index:
            accepted = ", ".join(f.aliases)
            problems.append(f"missing column {f.key!r} (accepted names: {accepted})")
    if problems:
        raise ImportFileError("; ".join(problems))
    return Columns(index, headers, ignored)
