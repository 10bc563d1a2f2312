"""`ElectionDayStats` as JSON: what the stats endpoint returns and the dashboard draws."""

import dataclasses
from datetime import date, datetime
from typing import cast

from observer_suite.reporting.statistics.election_day_stats import ElectionDayStats


def _plain(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, float):
        return round(value, 6)
    return value


def stats_to_json(stats: ElectionDayStats) -> dict:
    """Field for field the dataclass: tuples become lists, datetimes ISO 8601 strings, shares
    and margins proportions (0..1) rounded to 6 decimals; `null` share means "no data"."""
    return cast(dict, _plain(stats))  # a dataclass comes back as a dict
