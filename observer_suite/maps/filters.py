"""Query-string filters of the incident map, parsed into plain values.

Kept inside maps/ on purpose: the map must not break when the incident list's filters change.
Unknown values are dropped with a message rather than failing the page; dates are days in the
mission's time zone, `to` included.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from observer_suite.models import IncidentStatus, Severity

SEVERITIES = [s.value for s in Severity]
STATUSES = [s.value for s in IncidentStatus]


@dataclass(frozen=True)
class IncidentFilters:
    categories: tuple[str, ...] = ()  # category codes; empty = all
    severities: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    start: datetime | None = None  # inclusive, aware
    end: datetime | None = None  # exclusive, aware
    date_from: str = ""  # as typed, for the form
    date_to: str = ""
    messages: list[str] = field(default_factory=list, compare=False)

    def query_args(self) -> dict[str, list[str] | str]:
        """The filters as query arguments again (for the map frame's URL)."""
        args: dict[str, list[str] | str] = {}
        if self.categories:
            args["category"] = list(self.categories)
        if self.severities:
            args["severity"] = list(self.severities)
        if self.statuses:
            args["status"] = list(self.statuses)
        if self.date_from:
            args["from"] = self.date_from
        if self.date_to:
            args["to"] = self.date_to
        return args


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _values(args: Mapping, name: str) -> list[str]:
    getlist = getattr(args, "getlist", None)
    raw = getlist(name) if getlist else ([args[name]] if name in args else [])
    items = [part.strip() for value in raw for part in str(value).split(",")]
    return list(dict.fromkeys(item for item in items if item))


def _choose(values: list[str], allowed: list[str], label: str, messages: list[str]):
    unknown = [v for v in values if v not in allowed]
    if unknown:
        messages.append(f"Ignored unknown {label}: {', '.join(u[:40] for u in unknown[:5])}")
    return tuple(v for v in values if v in allowed)


def _day(value: str, label: str, messages: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        messages.append(f"Ignored {label} date {value[:20]!r}: use YYYY-MM-DD.")
        return None


def parse_filters(
    args: Mapping, category_codes: list[str], timezone: str | None = "UTC"
) -> IncidentFilters:
    """Filters from ?category=…&severity=…&status=…&from=YYYY-MM-DD&to=YYYY-MM-DD."""
    messages: list[str] = []
    zone = _zone(timezone)
    categories = _choose(_values(args, "category"), category_codes, "category", messages)
    severities = _choose(_values(args, "severity"), SEVERITIES, "severity", messages)
    statuses = _choose(_values(args, "status"), STATUSES, "status", messages)
    raw_from = str(args.get("from", "") or "").strip()[:20]
    raw_to = str(args.get("to", "") or "").strip()[:20]
    first, last = _day(raw_from, "from", messages), _day(raw_to, "to", messages)
    start = datetime.combine(first, time(), zone) if first else None
    end = datetime.combine(last + timedelta(days=1), time(), zone) if last else None
    if start and end and end <= start:
        messages.append("The “to” date is before the “from” date: no incident can match.")
    return IncidentFilters(
        categories=categories,
        severities=severities,
        statuses=statuses,
        start=start,
        end=end,
        date_from=first.isoformat() if first else "",
        date_to=last.isoformat() if last else "",
        messages=messages,
    )
