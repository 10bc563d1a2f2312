"""Client-sent instants: the plausible window around a mission, and safe display in its zone.

An arrived_at of 9999-12-31 or 0001-01-01 used to be stored, and then converting it to the
mission's zone overflowed (OverflowError) in every list and export showing it. Intake now
refuses instants outside the window; pages and exports show a stored one that cannot be
converted as INVALID_DATE instead of failing.
"""

from datetime import UTC, date, datetime, time, timedelta, tzinfo

PLAUSIBLE_DAYS = 366  # accepted before the first and after the last election date
INVALID_DATE = "invalid date"


def plausible_window(election_date: date, second_round_date: date | None = None):
    """(earliest, latest) aware UTC instants a report of this mission may carry."""
    days = timedelta(days=PLAUSIBLE_DAYS)
    last = max(election_date, second_round_date or election_date)
    return (
        datetime.combine(election_date - days, time.min, UTC),
        datetime.combine(last + days, time.max, UTC),
    )


def outside_window(moment: datetime | None, window) -> str | None:
    """The message for an instant outside `window`, else None (None is not outside)."""
    if moment is None:
        return None
    earliest, latest = window
    if earliest <= moment <= latest:
        return None
    return (
        f"must be between {earliest:%Y-%m-%d} and {latest:%Y-%m-%d} (UTC): "
        f"within {PLAUSIBLE_DAYS} days of the mission's election dates"
    )


# Instants this close to the ends of Python's range overflow in some zone: they are shown as
# invalid in every zone, so a page does not depend on where the mission is.
SHOWABLE = (datetime.min.replace(tzinfo=UTC) + timedelta(days=2),
            datetime.max.replace(tzinfo=UTC) - timedelta(days=2))  # fmt: skip


def in_zone(value: datetime | None, zone: tzinfo) -> datetime | None:
    """A stored time in `zone` (naive: UTC, as SQLite hands it back); None when there is
    none or when it cannot be shown (within two days of 0001-01-01 or 9999-12-31)."""
    if value is None:
        return None
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        if not SHOWABLE[0] <= moment <= SHOWABLE[1]:
            return None
        return moment.astimezone(zone)
    except (OverflowError, ValueError):  # a zone beyond any real one
        return None


def shown_in_zone(value: datetime | None, zone: tzinfo) -> datetime | str | None:
    """As in_zone, but INVALID_DATE for a stored time that cannot be shown (exports)."""
    moment = in_zone(value, zone)
    return INVALID_DATE if moment is None and value is not None else moment
