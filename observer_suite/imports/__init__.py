"""Import polling stations and observer rosters from CSV or XLSX, all or nothing.

`run_import` is the one entry point; `stations` and `observers` each offer parse_* (check
every row) and plan_import (compare with the database, and write when asked) for callers
that need the steps. `views.py` holds the upload pages.
"""

from observer_suite.imports import observers, stations
from observer_suite.imports.common import ImportPlan
from observer_suite.imports.errors import ImportFileError, LineError
from observer_suite.imports.services import ImportResult, run_import
from observer_suite.imports.tabular import Limits, Table, open_table, read_table

__all__ = [
    "ImportFileError",
    "ImportPlan",
    "ImportResult",
    "Limits",
    "LineError",
    "Table",
    "observers",
    "open_table",
    "read_table",
    "run_import",
    "stations",
]
