"""Findings by area: the share of observations meeting an indicator, computed in SQL.

Plain data in and out so reports can reuse it. An area counts the observations at every
station in its subtree. An area without observations has share None ("no data"), never 0 %:
a map must not paint "no problems" where nobody looked. Rejected observations never count.

Indicators come from the mission's active forms:
- negative:<form_id>:<question>  share of observations answering a four-point assessment
  question (very good / good / bad / very bad) with bad or very bad, among those answering it;
- critical:<form_id>, critical:*  share of observations with at least one critical answer,
  for one form or all forms.
"""

import itertools
from dataclasses import dataclass

from sqlalchemy import Text, case, cast, func, select
from sqlalchemy.orm import aliased

from observer_suite.extensions import db
from observer_suite.models import Area, Form, Mission, Observation, PollingStation, ReviewStatus
from observer_suite.util.json_sql import readable_json

SCALE = {"very_good", "good", "bad", "very_bad"}
NEGATIVE = ("bad", "very_bad")
ALL_FORMS = "*"


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    kind: str  # "negative" or "critical"
    form_id: str | None  # None: all forms
    question: str | None = None


@dataclass(frozen=True)
class AreaFinding:
    area_id: int
    name: str
    code: str | None
    observed: int  # N: observations counted in the area's subtree
    matching: int  # n: those meeting the indicator
    share: float | None  # n / N, None when N is 0 ("no data")


def _text(labels: object, lang: str, fallback: str) -> str:
    if isinstance(labels, dict):
        return str(labels.get(lang) or labels.get("en") or next(iter(labels.values()), fallback))
    return str(labels or fallback)


def scale_questions(definition: dict) -> list[dict]:
    """Questions whose choice list is exactly the four-point assessment scale."""
    lists = definition.get("choices") or {}
    found = []
    for question in definition.get("questions") or []:
        choices = lists.get(question.get("choices")) if isinstance(question, dict) else None
        if isinstance(choices, list) and {c.get("name") for c in choices} == SCALE:
            found.append(question)
    return found


def indicators(mission: Mission, lang: str = "en") -> list[Indicator]:
    """What the findings map offers, from the mission's active forms."""
    forms = db.session.scalars(
        select(Form)
        .where(Form.mission_id == mission.id, Form.active.is_(True))
        .order_by(Form.kind, Form.form_id, Form.id)
    ).all()
    result: list[Indicator] = []
    seen: set[str] = set()
    for form in forms:
        if form.form_id in seen:
            continue
        seen.add(form.form_id)
        title = _text(form.definition.get("title"), lang, form.title)
        for question in scale_questions(form.definition):
            label = _text(question.get("label"), lang, question["name"])
            result.append(
                Indicator(
                    key=f"negative:{form.form_id}:{question['name']}",
                    label=f"{title}: “{label}” assessed bad or very bad",
                    kind="negative",
                    form_id=form.form_id,
                    question=question["name"],
                )
            )
        result.append(
            Indicator(
                key=f"critical:{form.form_id}",
                label=f"{title}: at least one critical answer",
                kind="critical",
                form_id=form.form_id,
            )
        )
    if forms:
        result.append(
            Indicator(
                key=f"critical:{ALL_FORMS}",
                label="All forms: at least one critical answer",
                kind="critical",
                form_id=None,
            )
        )
    return result


def find_indicator(mission: Mission, key: str | None, lang: str = "en") -> Indicator | None:
    """The indicator with that key, else the first one offered (None when there are none)."""
    offered = indicators(mission, lang)
    return next((i for i in offered if i.key == key), offered[0] if offered else None)


def ancestor_at(level: int, depth: int, station_area):
    """Outer-join the chain of parents once per level and pick the one at `level`.

    Equality joins only (no LIKE or prefix comparison between all pairs of areas), so the
    cost stays linear in the observations whatever the level.
    """
    chain = [station_area] + [aliased(Area) for _ in range(max(depth - level, 0))]
    joins = [(child, parent) for child, parent in itertools.pairwise(chain)]
    pick = case(*[(node.level == level, node.id) for node in chain], else_=None)
    return pick, joins


def _conditions(indicator: Indicator):
    """(counted, matching) SQL conditions for one observation row."""
    if indicator.kind == "negative":
        # readable_json: a row whose answers PostgreSQL cannot read is not counted, rather
        # than failing the whole query.
        answer = readable_json(Observation.answers)[indicator.question].as_string()
        return answer.is_not(None) & (answer != ""), answer.in_(NEGATIVE)
    stored = cast(Observation.critical, Text)
    length = case((stored == "null", 0), else_=func.json_array_length(Observation.critical))
    return None, func.coalesce(length, 0) > 0


def findings(mission: Mission, indicator: Indicator | str, level: int = 0) -> list[AreaFinding]:
    """One row per area of `level` (path order): observed N, matching n, share or None."""
    if isinstance(indicator, str):
        found = find_indicator(mission, indicator)
        if found is None or found.key != indicator:
            raise ValueError(f"indicator: {indicator!r} is not offered in {mission.slug}")
        indicator = found
    depth = max(len(mission.area_levels or []) - 1, level)
    station_area = aliased(Area)
    ancestor, joins = ancestor_at(level, depth, station_area)
    counted, matching = _conditions(indicator)
    rows = (
        select(
            ancestor.label("area_id"),
            case((matching, 1), else_=0).label("hit"),
        )
        .select_from(Observation)
        .join(PollingStation, PollingStation.id == Observation.station_id)
        .join(station_area, station_area.id == PollingStation.area_id)
        .where(
            Observation.mission_id == mission.id,
            Observation.review_status != ReviewStatus.REJECTED,
        )
    )
    for child, parent in joins:
        rows = rows.outerjoin(parent, parent.id == child.parent_id)
    if indicator.form_id is not None:
        rows = rows.join(Form, Form.id == Observation.form_pk).where(
            Form.form_id == indicator.form_id
        )
    if counted is not None:
        rows = rows.where(counted)
    inner = rows.subquery()
    totals = {
        area_id: (observed, int(hits or 0))
        for area_id, observed, hits in db.session.execute(
            select(inner.c.area_id, func.count(), func.sum(inner.c.hit))
            .where(inner.c.area_id.is_not(None))
            .group_by(inner.c.area_id)
        )
    }
    areas = db.session.execute(
        select(Area.id, Area.name, Area.code)
        .where(Area.mission_id == mission.id, Area.level == level)
        .order_by(Area.path)
    ).all()
    result = []
    for area in areas:
        observed, hits = totals.get(area.id, (0, 0))
        share = hits / observed if observed else None
        result.append(AreaFinding(area.id, area.name, area.code, observed, hits, share))
    return result
