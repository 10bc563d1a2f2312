"""What the mapping step needs: the fields of a kind, the file's columns and a few rows.

The page and the CLI both let a person say which column holds which field, for files whose
headers match none of our aliases or that have no header row at all (Kosovo's polling
centres); this module proposes a mapping from the aliases and spots a first row of data.
"""

import itertools
from dataclasses import dataclass

from observer_suite.imports.columns import (
    OBSERVER_FIELDS,
    STATION_FIELDS,
    Field,
    Mapping,
    level_fields,
    looks_like_data,
    propose_mapping,
)
from observer_suite.imports.errors import ImportFileError
from observer_suite.imports.tabular import Table, open_table
from observer_suite.models import Mission

SAMPLE_ROWS = 3
FIRST_ROW_IS_DATA = "the first row looks like data, not column names"


def fields_for(kind: str, mission: Mission) -> tuple[Field, ...]:
    if kind == "stations":
        return level_fields(list(mission.area_levels or [])) + STATION_FIELDS
    return OBSERVER_FIELDS


def sample(table: Table, count: int = SAMPLE_ROWS) -> list[list[str]]:
    """The first data rows, or fewer (a file may have no data rows at all)."""
    try:
        return [values for _, values in itertools.islice(iter(table.rows), count)]
    except ImportFileError:
        return []


@dataclass
class FileColumns:
    """A file as the mapping step shows it: column names, first rows, proposed mapping."""

    headers: list[str]
    rows: list[list[str]]
    mapping: Mapping
    first_row_is_data: bool
    header: bool

    def examples(self, position: int) -> str:
        values = [row[position] for row in self.rows if position < len(row) and row[position]]
        return ", ".join(values)[:80]


def inspect_file(
    kind: str, mission: Mission, data: bytes, filename: str, header: bool, limits=None
) -> FileColumns:
    """Raises ImportFileError for a file that cannot be read at all."""
    fields = fields_for(kind, mission)
    table = open_table(data, filename, limits, header)
    rows = sample(table)
    data_first = header and looks_like_data(table.headers, rows, fields)
    return FileColumns(
        table.headers, rows, propose_mapping(table.headers, fields), data_first, header
    )
