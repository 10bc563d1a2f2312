"""A simulated election day for the demo mission: observations and incidents by the thousand.

Why: the dashboard, the indicators and the PDF reports only show something worth looking at
with a full day of data, and the benchmarks need 50,000 observations. Every team of the
published plan files the opening form at its opening stop (a few late, a few never), the
voting form at its stops and, as plans change on the day, at other stations of its districts,
the closing and counting form at its closing stop; a few teams cover the regional tabulation
in the evening. Regions differ in how troubled they are, and two or three hot-spot districts
have many bad assessments, critical answers and incidents.

Rows look exactly like submitted ones: the content hash, the critical answers, the consistency
flags and the review status come from the suite's own functions. Simulated rows are marked by
the first group of their uuid (`PREFIX`); a new run deletes them first and leaves every other
row alone. Deterministic for a seed. Bulk inserts; flushes, the caller commits.
"""

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select, update

from observer_suite.checklists.validation import (
    FormRules,
    check_times,
    critical_answers,
    run_checks,
)
from observer_suite.demo import election_answers as answers_for
from observer_suite.demo.election_plan import DayPlan, Visit, load_day, plan_visits
from observer_suite.extensions import db, rowcount
from observer_suite.models import (
    Incident,
    IncidentPhoto,
    IncidentStatusChange,
    Mission,
    Observation,
    ObservationReview,
    ReviewStatus,
)
from observer_suite.observations.payload import content_hash

PREFIX = "5171da7e"  # first uuid group of every simulated row
CHUNK = 2_000
Progress = Callable[[str, int, int], object]  # (stage, done, total)


@dataclass(frozen=True)
class HotSpot:
    code: str
    name: str
    region: str


@dataclass
class SimulationSummary:
    observations: int = 0
    incidents: int = 0
    by_form: dict[str, int] = field(default_factory=dict)
    by_severity: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    flagged: int = 0
    with_critical: int = 0
    hot_spots: list[HotSpot] = field(default_factory=list)
    region_risk: dict[str, float] = field(default_factory=dict)  # region name → base risk
    teams_without_opening: list[str] = field(default_factory=list)
    late_openings: list[str] = field(default_factory=list)
    replaced: tuple[int, int] = (0, 0)  # simulated observations, incidents removed first
    seconds: float = 0.0


def simulated_uuid(rng: random.Random) -> str:
    bits = f"{rng.getrandbits(96):024x}"
    return f"{PREFIX}-{bits[:4]}-4{bits[5:8]}-{bits[8:12]}-{bits[12:]}"


def is_simulated(column):
    return column.like(f"{PREFIX}-%")


def clear_simulation(mission: Mission) -> tuple[int, int]:
    """Delete the mission's simulated observations and incidents (and what hangs off them)."""
    observations = select(Observation.id).where(
        Observation.mission_id == mission.id, is_simulated(Observation.uuid)
    )
    incidents = select(Incident.id).where(
        Incident.mission_id == mission.id, is_simulated(Incident.uuid)
    )
    session = db.session
    options = {"synchronize_session": False}
    session.execute(
        delete(IncidentStatusChange).where(IncidentStatusChange.incident_id.in_(incidents)),
        execution_options=options,
    )
    session.execute(
        delete(IncidentPhoto).where(IncidentPhoto.incident_id.in_(incidents)),
        execution_options=options,
    )
    gone_incidents = rowcount(
        session.execute(
            delete(Incident).where(Incident.id.in_(incidents)), execution_options=options
        )
    )
    session.execute(  # a real incident raised from a simulated observation keeps its text
        update(Incident)
        .where(Incident.observation_id.in_(observations))
        .values(observation_id=None),
        execution_options=options,
    )
    session.execute(
        delete(ObservationReview).where(ObservationReview.observation_id.in_(observations)),
        execution_options=options,
    )
    gone_observations = rowcount(
        session.execute(
            delete(Observation).where(Observation.id.in_(observations)), execution_options=options
        )
    )
    session.flush()
    return gone_observations, gone_incidents


def simulate_election_day(
    mission: Mission,
    *,
    observations: int = 3000,
    incidents: int = 1000,
    seed: int = 2027,
    progress: Progress | None = None,
) -> SimulationSummary:
    """Replace the mission's simulated day by a new one of the requested size."""
    started = time.perf_counter()
    report = progress or (lambda *_: None)
    summary = SimulationSummary()
    summary.replaced = clear_simulation(mission)
    day = load_day(mission)
    rng = random.Random(seed)
    visits = plan_visits(day, rng, max(0, observations))
    summary.hot_spots = [HotSpot(d.code, d.name, d.region) for d in day.hot_spots]
    summary.region_risk = {r.name: round(r.risk, 3) for r in day.regions}
    summary.teams_without_opening = [day.team_codes[t] for t in sorted(day.missing_opening)]
    summary.late_openings = [day.team_codes[t] for t in sorted(day.late_opening)]
    ids, critical = _store_observations(day, visits, rng, summary, report)
    if incidents > 0 and visits:
        _store_incidents(day, visits, ids, critical, rng, incidents, summary, report)
    db.session.flush()
    summary.seconds = time.perf_counter() - started
    return summary


def _instant(day: DayPlan, minutes: int) -> datetime:
    """A minute of the local election day (past 24:00 is the next morning), in UTC."""
    midnight = datetime.combine(day.date, clock_time(0), tzinfo=ZoneInfo(day.timezone))
    return (midnight + timedelta(minutes=minutes)).astimezone(UTC)


def _answers(visit: Visit, rng: random.Random, registered: int) -> dict:
    a, d, risk = visit.arrived, visit.departed, visit.risk
    if visit.kind == "opening":
        return answers_for.opening(rng, risk, a, d, registered)
    if visit.kind == "voting":
        share = min(1.0, max(0.02, (a - 7 * 60) / (11 * 60)))
        return answers_for.voting(rng, risk, a, d, registered, share)
    if visit.kind == "counting":
        return answers_for.counting(rng, risk, a, d, registered, visit.inconsistent)
    return answers_for.tabulation(rng, risk, a, d, visit.expected, visit.level)


def _store_observations(day, visits, rng, summary, report) -> tuple[list[int], list[list[str]]]:
    table = Observation.__table__
    uuids: list[str] = []
    critical_lists: list[list[str]] = []
    reviews: list[dict | None] = []
    rows: list[dict] = []
    by_form: Counter = Counter()
    rules = {kind: FormRules(form.definition) for kind, form in day.forms.items()}
    for index, visit in enumerate(visits):
        form = day.forms[visit.kind]
        station = day.stations[visit.station_id]
        answers = _answers(visit, rng, station.registered or 500)
        arrived, departed = _instant(day, visit.arrived), _instant(day, visit.departed)
        uuid = simulated_uuid(rng)
        zone = ZoneInfo(day.timezone)
        payload = {
            "uuid": uuid,
            "form_id": form.form_id,
            "form_version": form.version,
            "station_code": station.code,
            "arrived_at": arrived.astimezone(zone).isoformat(),
            "departed_at": departed.astimezone(zone).isoformat(),
            "answers": answers,
            "mission": day.slug,
        }
        context = {"_station_registered_voters": station.registered}
        flags = run_checks(rules[visit.kind], answers, context)
        timing = check_times(arrived, departed)
        if timing:
            flags.append(timing)
        critical = critical_answers(rules[visit.kind], answers)
        status = _review_status(rng, flags)
        received = departed + timedelta(minutes=visit.upload_delay)
        rows.append(
            {
                "uuid": uuid,
                "mission_id": day.mission_id,
                "form_pk": form.pk,
                "station_id": station.id,
                "team_id": visit.team_id,
                "submitted_by": None,
                "arrived_at": arrived,
                "departed_at": departed,
                "answers": answers,
                "content_hash": content_hash(payload),
                "received_at": received,
                "review_status": status,
                "flags": flags,
                "critical": critical,
            }
        )
        critical_lists.append(critical)
        uuids.append(uuid)
        reviews.append(_review(status, flags, received, rng))
        by_form[form.form_id] += 1
        summary.flagged += bool(flags)
        summary.with_critical += bool(critical)
        if len(rows) == CHUNK or index == len(visits) - 1:
            db.session.execute(insert(table), rows)
            rows = []
            report("observations", len(uuids), len(visits))
    id_of = _ids(Observation, day.mission_id)
    ids = [id_of[uuid] for uuid in uuids]
    review_rows = [
        {**review, "observation_id": ids[i]} for i, review in enumerate(reviews) if review
    ]
    for start in range(0, len(review_rows), CHUNK):
        db.session.execute(insert(ObservationReview.__table__), review_rows[start : start + CHUNK])
    summary.observations = len(ids)
    summary.by_form = dict(sorted(by_form.items()))
    return ids, critical_lists


def _ids(model, mission_id: int) -> dict[str, int]:
    """uuid → id of the simulated rows: one query instead of RETURNING, which SQLite would
    answer one row at a time when the order of the ids must follow the rows."""
    query = select(model.uuid, model.id).where(
        model.mission_id == mission_id, is_simulated(model.uuid)
    )
    return dict(db.session.execute(query).tuples().all())


def _review_status(rng: random.Random, flags: list) -> ReviewStatus:
    if flags:
        return ReviewStatus.FLAGGED
    roll = rng.random()
    if roll < 0.015:
        return ReviewStatus.REJECTED
    return ReviewStatus.VERIFIED if roll < 0.25 else ReviewStatus.RECEIVED


def _review(status: ReviewStatus, flags: list, received: datetime, rng) -> dict | None:
    """The review history entry the suite would have written (flags) or an analyst (others)."""
    if status == ReviewStatus.FLAGGED:
        comment = "Automatic checks: " + "; ".join(f["message"] or f["id"] for f in flags)
        return {"at": received, "username": None, "old_status": None, "new_status": status.value,
                    "comment": comment}  # fmt: skip
    if status == ReviewStatus.RECEIVED:
        return None
    comment = "Checked against the paper form" if status == ReviewStatus.VERIFIED else (
        "Sent twice by the team; the other copy is kept"
    )  # fmt: skip
    at = received + timedelta(minutes=rng.randint(10, 180))
    return {"at": at, "username": "analyst", "old_status": "received", "new_status": status.value,
                "comment": comment}  # fmt: skip


def _store_incidents(day, visits, ids, critical, rng, count, summary, report) -> None:
    from observer_suite.demo import election_incidents as words
    from observer_suite.incidents.payload import content_hash as incident_hash

    table = Incident.__table__
    uuids: list[str] = []
    weights = [v.risk**1.5 + (0.3 if critical[i] else 0.0) for i, v in enumerate(visits)]
    chosen = rng.choices(range(len(visits)), weights, k=count)
    known = set(day.categories)
    zone = ZoneInfo(day.timezone)
    rows, histories = [], []
    severities, statuses = Counter(), Counter()
    for number, index in enumerate(chosen):
        visit, station = visits[index], day.stations[visits[index].station_id]
        away = rng.random() < 0.12  # on the road: GPS only, no station
        code = words.category(rng, critical[index], away, known)
        level = words.severity(rng, visit.risk)
        status = words.status(rng)
        minute = (visit.arrived - rng.randint(5, 60)) if away else rng.randint(
            visit.arrived, max(visit.arrived, visit.departed)
        )  # fmt: skip
        occurred = _instant(day, minute)
        local = occurred.astimezone(zone)
        title, text = words.wording(rng, code, station.name, local.strftime("%H:%M"))
        gps = away or rng.random() < 0.4
        lat = round(station.latitude + rng.uniform(-0.03, 0.03), 5) if gps else None
        lon = round(station.longitude + rng.uniform(-0.03, 0.03), 5) if gps else None
        if gps and station.latitude is None:
            lat = lon = None
        raised = bool(critical[index]) and not away and rng.random() < 0.5
        question = rng.choice(critical[index]) if raised else None
        uuid = simulated_uuid(rng)
        payload = {
            "uuid": uuid, "category": code, "severity": level.value,
            "occurred_at": local.isoformat(), "station_code": None if away else station.code,
            "latitude": lat, "longitude": lon, "title": title, "description": text,
            "observation_uuid": None, "question": question, "mission": day.slug,
        }  # fmt: skip
        received = occurred + timedelta(minutes=rng.randint(3, 90))
        history: list[tuple[str, str, datetime, str | None]] = [
            ("reported", "Reported from the field", received, None)
        ]
        at = received
        for new_status, comment in words.PATHS[status]:
            at = at + timedelta(minutes=rng.randint(15, 240))
            history.append((new_status, comment, at, "coordinator"))
        rows.append(
            {
                "uuid": uuid,
                "mission_id": day.mission_id,
                "category_id": day.categories[code],
                "severity": level,
                "status": status,
                "occurred_at": occurred,
                "station_id": None if away else station.id,
                "latitude": lat,
                "longitude": lon,
                "title": title,
                "description": text,
                "team_id": visit.team_id,
                "reported_by": None,
                "observation_id": ids[index] if raised else None,
                "question": question,
                "content_hash": incident_hash(payload, []),
                "received_at": received,
                "updated_at": at,
            }
        )
        histories.append(history)
        uuids.append(uuid)
        severities[level.value] += 1
        statuses[status.value] += 1
        if len(rows) == CHUNK or number == count - 1:
            db.session.execute(insert(table), rows)
            rows = []
            report("incidents", len(uuids), count)
    id_of = _ids(Incident, day.mission_id)
    new_ids = [id_of[uuid] for uuid in uuids]
    changes = []
    for incident_id, history in zip(new_ids, histories, strict=True):
        old = None
        for new_status, comment, at, username in history:
            changes.append(
                {"incident_id": incident_id, "at": at, "username": username, "old_status": old,
                     "new_status": new_status, "comment": comment}
            )  # fmt: skip
            old = new_status
    for start in range(0, len(changes), CHUNK):
        db.session.execute(insert(IncidentStatusChange.__table__), changes[start : start + CHUNK])
    summary.incidents = len(new_ids)
    summary.by_severity = {s.value: severities[s.value] for s in words.SEVERITIES}
    summary.by_status = dict(sorted(statuses.items()))
