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
    mapped: frozenset[str] = frozenset()  # fields the person mapped: named with the field

    def __contains__(self, key: str) -> bool:
        return key in self.index

    def header(self, key: str) -> str:
        header = self.headers[self.index[key]]
        return f"{header} ({key})" if key in self.mapped and header != key else header


Mapping = dict[str, int | None]  # field key -> 0-based column, None: not imported


def match_columns(
    headers: list[str], fields: tuple[Field, ...], mapping: Mapping | None = None
) -> Columns:
    """Raise ImportFileError naming every missing required column and its accepted names.

    `mapping` is the person's choice (CLI --column, the page's selects): it wins over the
    aliases, and a column it gives to one field is not matched to another by name."""
    mapping = mapping or {}
    keys = {f.key for f in fields}
    problems = [f"there is no field {key!r} to map" for key in mapping if key not in keys]
    for key, position in mapping.items():
        if position is not None and not 0 <= position < len(headers):
            width = len(headers)
            problems.append(f"{key} is mapped to column {position + 1}; the file has {width}")
    index = {key: pos for key, pos in mapping.items() if pos is not None and key in keys}
    taken = set(index.values())
    owner: dict[str, str] = {}
    for f in fields:  # earlier fields win, so mission levels beat generic station aliases
        for alias in f.aliases:
            owner.setdefault(normalise(alias), f.key)
    ignored: list[str] = []
    for position, header in enumerate(headers):
        if position in taken:
            continue
        key = owner.get(normalise(header)) if header else None
        if key is None or key in mapping:
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
    return Columns(
        index, headers, ignored, frozenset(k for k, p in mapping.items() if p is not None)
    )


def propose_mapping(headers: list[str], fields: tuple[Field, ...]) -> Mapping:
    """The mapping the aliases give, without raising: what the page's selects start from."""
    owner: dict[str, str] = {}
    for f in fields:
        for alias in f.aliases:
            owner.setdefault(normalise(alias), f.key)
    mapping: Mapping = {f.key: None for f in fields}
    for position, header in enumerate(headers):
        key = owner.get(normalise(header)) if header else None
        if key is not None and mapping[key] is None:
            mapping[key] = position
    return mapping


def parse_column_options(options: list[str], headers: list[str]) -> Mapping:
    """CLI --column FIELD=HEADER or FIELD=N (1-based) or FIELD= (do not import)."""
    mapping: Mapping = {}
    by_name = {normalise(header): i for i, header in reversed(list(enumerate(headers)))}
    for option in options:
        key, sep, target = option.partition("=")
        key, target = key.strip(), target.strip()
        if not sep or not key:
            raise ImportFileError(f"--column {option!r}: write FIELD=HEADER or FIELD=N")
        if not target:
            mapping[key] = None
        elif target.isdigit():
            mapping[key] = int(target) - 1
        elif normalise(target) in by_name:
            mapping[key] = by_name[normalise(target)]
        else:
            raise ImportFileError(f"--column {option!r}: the file has no column {target!r}")
    return mapping


_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?")


def _kind(value: str) -> str:
    if not value:
        return "empty"
    if _NUMBER.fullmatch(value):
        return "number"
    return "code" if any(ch.isdigit() for ch in value) else "text"


def looks_like_data(headers: list[str], rows: list[list[str]], fields: tuple[Field, ...]) -> bool:
    """True when the first row is probably a record, not column names: none of its cells is
    a known name, and either a third of them are numbers or codes, or it has empty cells
    where the rows after it have the same shape (number, code, text or empty per column)."""
    known = {normalise(alias) for f in fields for alias in f.aliases}
    if not headers or any(normalise(header) in known for header in headers if header):
        return False
    shape = [_kind(header) for header in headers]
    if sum(kind in ("number", "code") for kind in shape) * 3 >= len(headers):
        return True
    same = [row for row in rows if [_kind(v) for v in row[: len(shape)]] == shape]
    return "empty" in shape and len(same) * 2 > len(rows) > 0
