"""Per-form aggregates: indicators, overall assessment, critical answers, forms received.

One query per form_id (all its versions) returns, per breakdown area, the observations
received and one conditional SUM(CASE …) column for each indicator's n and N, each point of
the assessment scale and each question with critical answers; mission totals add the area
rows (plus the row of stations outside any breakdown area). Answers are read from the JSON
column with `doc[q].as_string()` (JSON_EXTRACT on SQLite, `->>` on PostgreSQL) out of a
CTE; on PostgreSQL it is MATERIALIZED and parses each row once, as JSONB (a `json` value is
re-parsed by every `->>`, which made one query of 50,000 observations take seconds). A row
whose stored answers cannot be read there (json_sql.readable_json) counts as received and
unreadable, and in no answer statistic.
"""

import math
from dataclasses import dataclass

from sqlalchemy import case, func, or_, select

from observer_suite.checklists.definition import choices_for, text_in
from observer_suite.deployment.sample_design import z_value
from observer_suite.extensions import db
from observer_suite.maps.findings import scale_questions
from observer_suite.models import Form, Observation
from observer_suite.reporting.statistics.election_day_stats import (
    AssessmentDistribution,
    CriticalAnswerRow,
    IndicatorResult,
    Share,
)
from observer_suite.reporting.statistics.indicators import IndicatorDef
from observer_suite.reporting.statistics.scope import Scope, aligned, counted_observations
from observer_suite.util.json_sql import readable_json

KIND_ORDER = ("opening", "voting", "closing", "counting", "tabulation", "other")
SCALE = ("very_good", "good", "bad", "very_bad")


@dataclass
class FormGroup:
    """All versions of one form_id; `definition` is the active (else newest) version's."""

    form_id: str
    kind: str
    title: str
    definition: dict
    pks: list[int]


@dataclass(frozen=True)
class Sampling:
    """How margins are computed; None confidence: purposive mode, no margins."""

    confidence: float | None
    frame_size: int | None  # the plan's frame for the whole scope
    area_frames: tuple[int, ...] = ()  # registry stations per breakdown area


def form_groups(scope: Scope) -> list[FormGroup]:
    rows = db.session.execute(
        select(Form.id, Form.form_id, Form.kind, Form.title, Form.definition)
        .where(Form.mission_id == scope.mission.id)
        .order_by(Form.form_id, Form.active.desc(), Form.id.desc())
    ).all()
    groups: dict[str, FormGroup] = {}
    for row in rows:
        group = groups.get(row.form_id)
        if group is None:
            title = text_in((row.definition or {}).get("title"), scope.lang) or row.title
            group = FormGroup(row.form_id, row.kind, title, row.definition or {}, [])
            groups[row.form_id] = group
        group.pks.append(row.id)
    rank = {kind: i for i, kind in enumerate(KIND_ORDER)}
    return sorted(groups.values(), key=lambda g: (rank.get(g.kind, len(rank)), g.form_id))


def margin(n: int, total: int, confidence: float, frame: int | None) -> float:
    """Half-width of the normal-approximation confidence interval of p = n / N:

        margin = z * sqrt(p (1 - p) / N) * sqrt((F - N) / (F - 1))

    z the two-sided normal quantile of the confidence level, N the observations answering,
    F the sampling frame (the finite-population correction is left out when F is unknown,
    and is 0 when N reaches F).
    """
    p = n / total
    fpc = 1.0
    if frame is not None and frame > 1:
        fpc = math.sqrt(max(frame - total, 0) / (frame - 1))
    return z_value(confidence) * math.sqrt(p * (1 - p) / total) * fpc


def make_share(n: int, total: int, confidence: float | None, frame: int | None) -> Share:
    if total <= 0:
        return Share(0, 0, None, None)
    moe = margin(n, total, confidence, frame) if confidence is not None else None
    return Share(n, total, n / total, moe)


def _indicator_columns(indicator: IndicatorDef, answer):
    """(counted, hit): answered and not excluded; among the counted answers (COALESCE folds
    the missing answer into the empty one; validation keeps `answers` apart from `exclude`
    and from the empty answer)."""
    counted = func.coalesce(answer, "").not_in(["", *indicator.exclude])
    return counted, answer.in_(indicator.answers)


def assessment_question(definition: dict) -> dict | None:
    """The form's overall assessment: `overall` when on the four-point scale, else the last
    question on that scale."""
    found = scale_questions(definition)
    named = [q for q in found if q.get("name") == "overall"]
    return (named or found[-1:] or [None])[0]


def critical_questions(definition: dict) -> list[dict]:
    return [
        q
        for q in definition.get("questions", [])
        if isinstance(q, dict) and q.get("critical") and q.get("type") != "group"
    ]


def _critical_condition(question: dict, answer):
    values = [str(v) for v in question["critical"]]
    if question.get("type") == "select_multiple":  # stored as a JSON list of names
        return or_(*[answer.like(f'%"{v}"%') for v in values])
    return answer.in_(values)


@dataclass
class FormCounts:
    """Sums per breakdown area id (None: stations outside every breakdown area)."""

    rows: dict  # area_id -> {column name: int}

    def mission(self, name: str) -> int:
        return sum(int(row.get(name) or 0) for row in self.rows.values())

    def areas(self, scope: Scope, name: str) -> tuple[int, ...]:
        return tuple(int((self.rows.get(a.id) or {}).get(name) or 0) for a in scope.areas)


def answer_table(scope: Scope, stations, group: FormGroup):
    """The form's counted observations as (area_id, doc); on PostgreSQL a MATERIALIZED CTE,
    so each row's answers are parsed once, however many conditions read them."""
    query = (
        select(stations.c.area_id.label("area_id"), readable_json(Observation.answers).label("doc"))
        .select_from(Observation)
        .join(stations, stations.c.station_id == Observation.station_id)
        .where(*counted_observations(scope), Observation.form_pk.in_(group.pks))
    )
    # SQLite re-reads the JSON text on every JSON_EXTRACT anyway, and is faster reading the
    # rows in place than copying them first.
    return query.cte("form_answers").prefix_with("MATERIALIZED", dialect="postgresql")


def count_form(table, columns: dict) -> FormCounts:
    """One GROUP BY query: observations received, those whose answers cannot be read
    (json_sql.readable_json), plus SUM(CASE …) of every condition."""
    unreadable = func.sum(case((table.c.doc.is_(None), 1), else_=0)).label("unreadable")
    labelled = [func.count().label("received"), unreadable] + [
        func.sum(case((condition, 1), else_=0)).label(name) for name, condition in columns.items()
    ]
    query = select(table.c.area_id, *labelled).group_by(table.c.area_id)
    rows = {row.area_id: dict(row._mapping) for row in db.session.execute(query)}
    return FormCounts(rows)


@dataclass
class FormFindings:
    indicators: list[tuple[int, IndicatorResult]]  # (position in the definitions, result)
    assessment: AssessmentDistribution | None
    critical: list[CriticalAnswerRow]
    received: FormCounts


def form_findings(
    scope: Scope,
    stations,
    group: FormGroup,
    indicators: list[tuple[int, IndicatorDef]],
    sampling: Sampling,
) -> FormFindings:
    """Everything one form contributes, from one query."""
    overall = assessment_question(group.definition)
    criticals = critical_questions(group.definition)
    table = answer_table(scope, stations, group)

    def answer(name: str):
        return table.c.doc[name].as_string()

    columns = {}
    for i, (_pos, indicator) in enumerate(indicators):
        counted, hit = _indicator_columns(indicator, answer(indicator.question))
        columns[f"i{i}_total"], columns[f"i{i}_n"] = counted, hit
    if overall is not None:
        for j, point in enumerate(SCALE):
            columns[f"a{j}"] = answer(overall["name"]) == point
    for k, question in enumerate(criticals):
        columns[f"c{k}"] = _critical_condition(question, answer(question["name"]))
    counts = count_form(table, columns)

    results = []
    for i, (position, indicator) in enumerate(indicators):
        mission = make_share(
            counts.mission(f"i{i}_n"),
            counts.mission(f"i{i}_total"),
            sampling.confidence,
            sampling.frame_size,
        )
        areas = tuple(
            make_share(n, total, sampling.confidence, frame)
            for n, total, frame in zip(
                counts.areas(scope, f"i{i}_n"),
                counts.areas(scope, f"i{i}_total"),
                sampling.area_frames or (None,) * len(scope.areas),
                strict=True,
            )
        )
        results.append((position, _result(scope, indicator, mission, areas)))

    assessment = None
    if overall is not None:
        labels = {c.get("name"): c.get("label") for c in choices_for(group.definition, overall)}
        assessment = AssessmentDistribution(
            form_id=group.form_id,
            kind=group.kind,
            title=group.title,
            question=overall["name"],
            scale=SCALE,
            scale_labels=tuple(text_in(labels.get(p), scope.lang) or p for p in SCALE),
            mission=tuple(counts.mission(f"a{j}") for j in range(len(SCALE))),
            areas=tuple(
                zip(*(counts.areas(scope, f"a{j}") for j in range(len(SCALE))), strict=True)
            )
            if scope.areas
            else (),
        )
    critical_rows = [
        CriticalAnswerRow(
            form_id=group.form_id,
            kind=group.kind,
            question=question["name"],
            label=text_in(question.get("label"), scope.lang) or question["name"],
            answers=tuple(str(v) for v in question["critical"]),
            mission=counts.mission(f"c{k}"),
            areas=counts.areas(scope, f"c{k}"),
        )
        for k, question in enumerate(criticals)
    ]
    return FormFindings(results, assessment, critical_rows, counts)


def _result(scope: Scope, indicator: IndicatorDef, mission: Share, areas) -> IndicatorResult:
    return IndicatorResult(
        key=indicator.key,
        phase=indicator.phase,
        form_id=indicator.form,
        question=indicator.question,
        label=indicator.label(scope.lang),
        answers=tuple(indicator.answers),
        mission=mission,
        areas=tuple(areas),
    )


def empty_indicator(scope: Scope, indicator: IndicatorDef) -> IndicatorResult:
    """An indicator on a form the mission does not have: no data anywhere."""
    none = Share(0, 0, None, None)
    return _result(scope, indicator, none, aligned(scope, {}, none))


def team_received(scope: Scope, stations) -> dict[tuple[str, int | None], int]:
    """Observations received per (form_id, team_id), one query for all forms."""
    query = (
        select(Form.form_id, Observation.team_id, func.count())
        .select_from(Observation)
        .join(stations, stations.c.station_id == Observation.station_id)
        .join(Form, Form.id == Observation.form_pk)
        .where(*counted_observations(scope))
        .group_by(Form.form_id, Observation.team_id)
    )
    return {(form_id, team_id): n for form_id, team_id, n in db.session.execute(query)}
