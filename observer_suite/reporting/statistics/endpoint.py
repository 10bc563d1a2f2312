"""The stats endpoint's service: query-string arguments in, `stats_to_json()` out.

`until` is read as the report download and the CLI read it (reporting.pdf.election_day
.parse_until): ISO 8601 with an offset as given, without one in the mission's local time, so
the same cut-off gives the same numbers everywhere.
"""

from observer_suite.errors import ServiceError, described
from observer_suite.models import Mission
from observer_suite.reporting.statistics.compute import LANGUAGES, election_day_stats
from observer_suite.reporting.statistics.serialise import stats_to_json

MAX_ARG = 100


class StatsArgumentError(ServiceError):
    """A query-string argument refused; the detail names the argument ("lang: ..."), as
    the answer has always read."""

    code = "invalid_parameter"


def stats_json(mission: Mission, args) -> dict:
    """Parse until/region/lang and compute; a bad value raises StatsArgumentError naming it."""
    from observer_suite.reporting.pdf.election_day import parse_until  # reportlab: load lazily

    lang = (args.get("lang") or "en").strip()
    if lang not in LANGUAGES:
        message = f"lang: {lang[:20]!r} is not one of {', '.join(LANGUAGES)}"
        raise StatsArgumentError(message, field="lang")
    region = (args.get("region") or "").strip() or None
    if region is not None and len(region) > MAX_ARG:
        raise StatsArgumentError("region: too long for a region code", field="region")
    try:
        until = parse_until((args.get("until") or "")[:MAX_ARG], mission.timezone)
        stats = election_day_stats(mission, until=until, region=region, lang=lang)
    except ValueError as exc:  # a bad cut-off, region or language (a ServiceError naming it)
        field = exc.field if isinstance(exc, ServiceError) else None
        message = described(exc) if isinstance(exc, ServiceError) else str(exc)
        raise StatsArgumentError(message, field=field or "until") from None
    return stats_to_json(stats)
