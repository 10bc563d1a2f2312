"""The headline counts (observations, incidents, critical incidents) and what each leaves out.

One definition, used by every page that shows these numbers: the dashboard and the stats API
(through `election_day_stats`), the election-day PDF (which reads the same stats), the
incident list and its critical banner, and the demo's printed summary. An observation or an
incident counts when it is not rejected and was received by the cut-off
(`counted_observations` / `counted_incidents`); the rejected ones are counted apart so that
every figure can say what it leaves out ("70 critical incidents, 5 rejected not counted").
Two queries, whatever the data size.
"""

from datetime import datetime

from sqlalchemy import and_, case, func, select

from observer_suite.extensions import db
from observer_suite.models import (
    Incident,
    IncidentStatus,
    Mission,
    Observation,
    ReviewStatus,
    Severity,
)
from observer_suite.reporting.statistics.election_day_stats import HeadlineCounts
from observer_suite.reporting.statistics.scope import (
    Scope,
    counted_incidents,
    counted_observations,
    make_scope,
    received_by_cutoff,
    station_areas,
    station_join,
)

__all__ = ["HeadlineCounts", "headline_counts", "mission_counts", "noted"]


def _sum(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def noted(n: int, singular: str, plural: str, rejected: int) -> str:
    """'70 critical incidents, 5 rejected not counted' ('' after the figure when none is)."""
    text = f"{n:,} {singular if n == 1 else plural}"
    return f"{text}, {rejected:,} rejected not counted" if rejected else text


def headline_counts(scope: Scope) -> HeadlineCounts:
    """The counts in `scope` (mission or one region, by its cut-off)."""
    counted_term = and_(*counted_incidents(scope))
    rejected = Incident.status == IncidentStatus.REJECTED
    critical = Incident.severity == Severity.CRITICAL
    pending = Incident.status == IncidentStatus.REPORTED
    sj = station_join(scope)
    incidents = sj.apply(
        select(
            _sum(counted_term),
            _sum(rejected),
            _sum(critical & counted_term),
            _sum(critical & rejected),
            _sum(critical & pending),
        ).select_from(Incident),
        Incident.station_id,
        scope,
    ).where(*received_by_cutoff(scope, Incident))
    counted, left_out, crit, crit_left_out, crit_pending = db.session.execute(incidents).one()

    stations = station_areas(scope)
    refused = Observation.review_status == ReviewStatus.REJECTED
    observations = (
        select(_sum(and_(*counted_observations(scope))), _sum(refused))
        .select_from(Observation)
        .join(stations, stations.c.station_id == Observation.station_id)
        .where(*received_by_cutoff(scope, Observation))
    )
    seen, refused_n = db.session.execute(observations).one()
    values = [int(v) for v in (seen, refused_n, counted, left_out, crit, crit_left_out)]
    return HeadlineCounts(
        observations=values[0],
        observations_rejected=values[1],
        incidents=values[2],
        incidents_rejected=values[3],
        critical_incidents=values[4],
        critical_rejected=values[5],
        critical_awaiting=int(crit_pending),
        notes={
            "observations": noted(values[0], "observation", "observations", values[1]),
            "incidents": noted(values[2], "incident", "incidents", values[3]),
            "critical_incidents": noted(
                values[4], "critical incident", "critical incidents", values[5]
            ),
        },
    )


def mission_counts(mission: Mission, until: datetime | None = None) -> HeadlineCounts:
    """The whole mission's counts as the dashboard shows them (None: everything so far)."""
    return headline_counts(make_scope(mission, until, None, "en"))
