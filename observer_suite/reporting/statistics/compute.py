"""Election-day statistics for one mission and one cut-off, aggregated in SQL.

`election_day_stats()` fills the `ElectionDayStats` of statistics/election_day_stats.py (its
docstring has the counting rules) for the dashboard, the stats API and the PDFs alike. The work
is a fixed number of GROUP BY queries: one per form for the indicators, assessments and
critical answers, a few for coverage, plan expectations and teams, three for incidents; none
per area, team or observation, so the time grows with the number of forms and areas, not the
data.

Responsibilities: scope (cut-off, breakdown areas, stations in scope), form_aggregates
(per-form aggregates and margins), plan_coverage (coverage, expectations, teams),
incident_summary (incident summary), headline_counts (the headline counts).
"""

from datetime import UTC, datetime

from observer_suite.models import Mission
from observer_suite.reporting.statistics.election_day_stats import (
    ElectionDayStats,
    FormProgress,
    IndicatorResult,
    Progress,
    TeamProgress,
)
from observer_suite.reporting.statistics.form_aggregates import (
    FormGroup,
    Sampling,
    empty_indicator,
    form_findings,
    form_groups,
    team_received,
)
from observer_suite.reporting.statistics.headline_counts import headline_counts
from observer_suite.reporting.statistics.incident_summary import incident_summary
from observer_suite.reporting.statistics.indicators import load_indicators
from observer_suite.reporting.statistics.plan_coverage import (
    PlannedStops,
    coverages,
    plan_facts,
    planned_stops,
    reported_stops,
    station_counts,
    team_regions,
    teams_without_opening,
)
from observer_suite.reporting.statistics.scope import (
    Scope,
    ScopeError,
    as_utc,
    make_scope,
    station_areas,
)

LANGUAGES = ("en", "fr")

__all__ = ["LANGUAGES", "as_utc", "election_day_stats"]


def election_day_stats(
    mission: Mission,
    *,
    until: datetime | None = None,
    region: str | None = None,
    lang: str = "en",
) -> ElectionDayStats:
    """The statistics as of `until` (None: now; naive: UTC), for the whole mission broken
    down by region, or for `region` (a region code) broken down by its districts.

    Raises a ServiceError naming the field for an unknown region code or language.
    """
    if lang not in LANGUAGES:
        raise ScopeError(f"{lang!r} is not one of {', '.join(LANGUAGES)}", field="lang")
    scope = make_scope(mission, until, region, lang)
    stations = station_areas(scope)
    facts = plan_facts(scope)

    counts = station_counts(scope, stations, facts.plan)
    coverage, area_coverage = coverages(scope, counts)
    if facts.frame_size is None:  # no finite-population correction
        sampling = Sampling(facts.confidence, None, ())
    else:  # the frame of a region or area is its stations in the registry
        sampling = Sampling(
            confidence=facts.confidence,
            frame_size=facts.frame_size if scope.region is None else coverage.stations_total,
            area_frames=tuple(c.stations_total for c in area_coverage),
        )

    groups = form_groups(scope)
    definitions = list(enumerate(load_indicators(mission)))
    results: dict[int, IndicatorResult] = {}
    assessments, critical_rows, received = [], [], {}
    for group in groups:
        mine = [(pos, d) for pos, d in definitions if d.form == group.form_id]
        found = form_findings(scope, stations, group, mine, sampling)
        results.update(found.indicators)
        if found.assessment is not None:
            assessments.append(found.assessment)
        critical_rows.extend(found.critical)
        received[group.form_id] = found.received
    for pos, definition in definitions:
        if pos not in results:
            results[pos] = empty_indicator(scope, definition)

    stops = planned_stops(stations, facts.plan)
    reported = reported_stops(scope, stations, facts.plan)
    by_team = team_received(scope, stations)
    team_ids = stops.team_ids() | {team for (_f, team) in by_team if team is not None}
    regions = team_regions(scope, facts.plan, team_ids)
    forms = tuple(
        _form_progress(
            scope,
            group,
            received[group.form_id],
            (stops, reported.get(group.form_id, PlannedStops())),
            by_team,
            regions,
            facts.plan,
        )
        for group in groups
    )
    return ElectionDayStats(
        mission_slug=mission.slug,
        mission_name=mission.name,
        election_date=mission.election_date,
        timezone=mission.timezone or "UTC",
        lang=lang,
        generated_at=datetime.now(UTC),
        until=scope.until,
        region=scope.region,
        area_level=scope.area_level,
        mode=facts.mode,
        plan=facts.ref,
        confidence=facts.confidence,
        sampling=facts.sampling,
        areas=scope.areas,
        coverage=coverage,
        area_coverage=area_coverage,
        forms=forms,
        teams_without_opening=teams_without_opening(scope, stations, facts.plan, regions),
        indicators=tuple(results[pos] for pos, _d in definitions),
        assessments=tuple(assessments),
        critical_answers=tuple(critical_rows),
        incidents=incident_summary(scope),
        counts=headline_counts(scope),
    )


def _form_progress(
    scope: Scope,
    group: FormGroup,
    received,
    plan_stops: tuple[PlannedStops, PlannedStops],
    by_team: dict,
    regions: dict,
    plan,
) -> FormProgress:
    """Received vs expected for one form: mission, per area, per team (teams sorted by code;
    the teams of the plan in scope and any team that sent this form)."""

    stops, reported = plan_stops

    def expected(**where) -> int | None:
        return stops.expected(group.kind, **where) if plan is not None else None

    def on_plan(**where) -> int | None:
        return reported.expected(group.kind, **where) if plan is not None else None

    areas = tuple(
        Progress(r, expected(area_id=area.id), on_plan(area_id=area.id))
        for r, area in zip(received.areas(scope, "received"), scope.areas, strict=True)
    )
    team_ids = stops.team_ids() | {
        team for (form_id, team) in by_team if form_id == group.form_id and team is not None
    }
    teams = sorted(
        (
            TeamProgress(
                team_id=team_id,
                team_code=regions.get(team_id, ("", ""))[0],
                area_name=regions.get(team_id, ("", ""))[1],
                received=by_team.get((group.form_id, team_id), 0),
                expected=expected(team_id=team_id),
                on_plan=on_plan(team_id=team_id),
            )
            for team_id in team_ids
        ),
        key=lambda t: (t.team_code, t.team_id),
    )
    return FormProgress(
        form_id=group.form_id,
        kind=group.kind,
        title=group.title,
        mission=Progress(received.mission("received"), expected(), on_plan()),
        areas=areas,
        teams=tuple(teams),
        unreadable=received.mission("unreadable"),
    )
