"""Import polling stations and observer rosters from CSV or XLSX, all or nothing.

Services only (plain functions); `views.py` holds the thin upload pages.
"""

from observer_suite.imports.common import ImportPlan
from observer_suite.imports.observers import apply_observers, parse_observers, plan_observers
from observer_suite.imports.service import ImportResult, run_import
from observer_suite.imports.stations import apply_stations, parse_stations, plan_stations
from observer_suite.imports.tabular import ImportFileError, LineError, Table, read_table

__all__ = [
    "ImportFileError",
    "ImportPlan",
    "ImportResult",
    "LineError",
    "Table",
    "apply_observers",
    "apply_stations",
    "parse_observers",
    "parse_stations",
    "plan_observers",
    "plan_stations",
    "read_table",
    "run_import",
]
