"""Election-day statistics as plain data: one object feeds the dashboard, the API and the PDFs.

`observer_suite.reporting.statistics.compute.election_day_stats()` builds an `ElectionDayStats`
for one mission and one cut-off; the stats endpoint serialises it with `stats_to_json()`, the
dashboard draws that JSON and the PDF builders read the same object, so every number a lead
sees is the same wherever it is shown.

Counting rules (the methodology note prints them):
- an observation counts when it is not rejected and was received at or before the cut-off;
- an incident counts when it is not rejected and was received at or before the cut-off;
- the breakdown areas (`ElectionDayStats.areas`) are the regions, or, in a regional briefing,
  the districts (children) of the chosen region; every per-area tuple below is aligned with
  `areas` (same length, same order);
- a share is `n of N`: N observations answered the question (empty and "not applicable" left
  out), n of them gave an answer the indicator counts; N == 0 gives `share=None` ("no data"),
  never 0 %;
- sample mode adds the margin of error of each share at the plan's confidence level.
"""

from dataclasses import dataclass
from datetime import date, datetime

NO_REGION = None  # an incident placed by GPS only has no area: counted in `unplaced`


@dataclass(frozen=True)
class AreaRef:
    id: int
    code: str | None
    name: str


@dataclass(frozen=True)
class Share:
    n: int  # observations meeting the indicator
    total: int  # N: observations that answered the question
    share: float | None  # n / N; None when N == 0 ("no data")
    margin: float | None = None  # sample mode: half-width of the confidence interval (0..1)


@dataclass(frozen=True)
class Coverage:
    stations_total: int  # polling stations in the registry
    stations_planned: int  # stations in the published deployment plan
    stations_observed: int  # distinct stations with at least one counted observation
    observations: int  # counted observations, all forms
    planned_observed: int = 0  # stations of the plan with at least one counted observation


@dataclass(frozen=True)
class Progress:
    received: int  # every counted report of the form, on the plan or not
    expected: int | None  # None: the plan sets no expectation for this form (e.g. tabulation)
    # Expected stops that have at least one such report (never more than expected): teams also
    # report from stations off their route, so `received` may exceed `expected`.
    on_plan: int | None = None


@dataclass(frozen=True)
class TeamProgress:
    team_id: int
    team_code: str
    area_name: str  # region of the team's first planned station ("" when unknown)
    received: int
    expected: int | None
    on_plan: int | None = None  # as Progress.on_plan


@dataclass(frozen=True)
class FormProgress:
    """Received vs expected for one form (all its versions).

    Expected, from the published plan: opening forms at each team's opening stop, voting
    forms at every stop, closing/counting forms at each closing stop; other kinds: None.
    """

    form_id: str
    kind: str
    title: str
    mission: Progress
    areas: tuple[Progress, ...]
    teams: tuple[TeamProgress, ...]
    # Counted observations whose stored answers cannot be read (an escaped NUL stored before
    # intake refused control characters): in `received`, in no answer statistic.
    unreadable: int = 0


@dataclass(frozen=True)
class TeamRef:
    id: int
    code: str
    area_name: str


@dataclass(frozen=True)
class IndicatorResult:
    key: str
    phase: str  # the form kind: opening, voting, counting, tabulation
    form_id: str
    question: str
    label: str  # in the report's language
    answers: tuple[str, ...]  # answers that count towards n
    mission: Share
    areas: tuple[Share, ...]


@dataclass(frozen=True)
class AssessmentDistribution:
    """Overall assessment (four-point scale) of one form: counts per answer."""

    form_id: str
    kind: str
    title: str
    question: str
    scale: tuple[str, ...]  # ("very_good", "good", "bad", "very_bad")
    scale_labels: tuple[str, ...]  # in the report's language
    mission: tuple[int, ...]  # aligned with scale
    areas: tuple[tuple[int, ...], ...]  # aligned with areas, each aligned with scale


@dataclass(frozen=True)
class CriticalAnswerRow:
    """How often one question got an answer the form flags critical."""

    form_id: str
    kind: str
    question: str
    label: str
    answers: tuple[str, ...]  # the critical answers
    mission: int
    areas: tuple[int, ...]


@dataclass(frozen=True)
class IncidentBrief:
    id: int
    title: str  # user text: escape before drawing
    category: str  # label in the report's language
    severity: str
    status: str
    occurred_at: datetime | None  # None: stored out of range, cannot be shown in the zone
    station_code: str | None
    area_name: str  # "" when placed by GPS only
    latitude: float | None  # GPS, else the station's coordinates
    longitude: float | None


@dataclass(frozen=True)
class IncidentSummary:
    categories: tuple[str, ...]  # category codes, taxonomy order
    category_labels: tuple[str, ...]
    severities: tuple[str, ...]  # ("low", "medium", "high", "critical")
    counts: tuple[tuple[int, ...], ...]  # [category][severity]
    total: int
    areas: tuple[int, ...]  # incidents per breakdown area
    unplaced: int  # incidents with no station (GPS only) in the scope
    critical: tuple[IncidentBrief, ...]  # severity critical, newest first (annex)
    points: tuple[tuple[float, float, str], ...]  # (latitude, longitude, severity) for maps


@dataclass(frozen=True)
class HeadlineCounts:
    """The counts every page shows (statistics/headline_counts.py): counted = not rejected and
    in by the cut-off; `*_rejected` what they leave out; `notes` the figure with its caveat,
    e.g. "70 critical incidents, 5 rejected not counted"."""

    observations: int
    observations_rejected: int
    incidents: int
    incidents_rejected: int
    critical_incidents: int
    critical_rejected: int
    critical_awaiting: int  # of the counted critical ones, still "reported" (not verified)
    notes: dict  # "observations" | "incidents" | "critical_incidents" -> text


@dataclass(frozen=True)
class PlanRef:
    id: int
    name: str
    mode: str  # "purposive" or "sample"
    published_at: datetime | None


@dataclass(frozen=True)
class ElectionDayStats:
    mission_slug: str
    mission_name: str
    election_date: date
    timezone: str
    lang: str
    generated_at: datetime  # UTC, aware
    until: datetime  # the data cut-off, UTC, aware
    region: AreaRef | None  # a regional briefing's region; None for the whole mission
    area_level: str  # level name of `areas`, e.g. "region" or "district"
    mode: str  # "purposive" or "sample" (purposive when no plan is published)
    plan: PlanRef | None
    confidence: float | None  # sample mode: e.g. 0.95
    sampling: dict | None  # the plan's sampling record, printed as stored
    areas: tuple[AreaRef, ...]
    coverage: Coverage
    area_coverage: tuple[Coverage, ...]
    forms: tuple[FormProgress, ...]
    teams_without_opening: tuple[TeamRef, ...]
    indicators: tuple[IndicatorResult, ...]
    assessments: tuple[AssessmentDistribution, ...]
    critical_answers: tuple[CriticalAnswerRow, ...]
    incidents: IncidentSummary
    counts: HeadlineCounts | None = None  # the headline figures with what they leave out
