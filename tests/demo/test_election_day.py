"""`simulate_election_day` and `observer-suite demo --simulate-election-day` on the demo mission."""

import random
import uuid as uuidlib
from collections import Counter
from datetime import UTC
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from observer_suite.checklists.validation import (
    check_times,
    critical_answers,
    run_checks,
    validate_answers,
)
from observer_suite.cli import main
from observer_suite.demo.election_day import PREFIX, simulate_election_day
from observer_suite.demo.election_plan import SimulationError
from observer_suite.models import (
    Area,
    DeploymentPlan,
    Form,
    Incident,
    IncidentStatusChange,
    Mission,
    Observation,
    ObservationReview,
    PlanStop,
    PollingStation,
    ReviewStatus,
    StopKind,
    User,
)
from observer_suite.observations.payload import content_hash
from observer_suite.observations.submission import submit

BAD = ("bad", "very_bad")


@pytest.fixture
def mission(demo_mission):
    """This test's own copy of the demo (built once per worker, see conftest.demo_template)."""
    return demo_mission


def simulated(db, model):
    return db.session.scalars(
        select(model).where(model.uuid.like(f"{PREFIX}-%")).order_by(model.uuid)
    ).all()


def aware(value):
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def test_a_day_of_the_requested_size_that_looks_submitted(mission, db):
    summary = simulate_election_day(mission, observations=1500, incidents=300, seed=4)
    db.session.commit()
    observations = simulated(db, Observation)
    assert len(observations) == summary.observations == 1500
    assert len(simulated(db, Incident)) == summary.incidents == 300
    assert sum(summary.by_form.values()) == 1500
    forms = {f.id: f for f in db.session.scalars(select(Form))}
    kinds = Counter(forms[o.form_pk].kind for o in observations)
    assert set(kinds) == {"opening", "voting", "counting", "tabulation"}
    stations = dict(db.session.execute(select(PollingStation.id, PollingStation.code)).all())
    voters = dict(
        db.session.execute(select(PollingStation.id, PollingStation.registered_voters)).all()
    )
    zone = ZoneInfo(mission.timezone)
    rng = random.Random(1)
    for o in observations:
        definition = forms[o.form_pk].definition
        context = {"_station_registered_voters": voters[o.station_id]}
        flags = run_checks(definition, o.answers, context)
        timing = check_times(aware(o.arrived_at), aware(o.departed_at))
        assert o.flags == flags + ([timing] if timing else [])
        assert o.critical == critical_answers(definition, o.answers)
        assert (o.review_status == ReviewStatus.FLAGGED) == bool(o.flags)
        assert aware(o.received_at) >= aware(o.departed_at) >= aware(o.arrived_at)
        assert aware(o.arrived_at).astimezone(zone).date() == mission.election_date
        if rng.random() < 0.2:  # a sample through the validator and the hash, as on upload
            cleaned, errors = validate_answers(definition, o.answers)
            assert errors == {} and cleaned == o.answers
            payload = {
                "uuid": o.uuid,
                "form_id": forms[o.form_pk].form_id,
                "form_version": forms[o.form_pk].version,
                "station_code": stations[o.station_id],
                "arrived_at": aware(o.arrived_at).astimezone(zone).isoformat(),
                "departed_at": aware(o.departed_at).astimezone(zone).isoformat(),
                "answers": o.answers,
                "mission": "demo",
            }
            assert o.content_hash == content_hash(payload)
    assert summary.flagged == sum(bool(o.flags) for o in observations) > 0
    flagged_reviews = db.session.scalar(
        select(func.count(ObservationReview.id)).where(ObservationReview.new_status == "flagged")
    )
    assert flagged_reviews == summary.flagged
    counting = [o for o in observations if forms[o.form_pk].kind == "counting"]
    assert any(f["id"] == "votes_add_up" or f["id"].startswith("cast_") for o in counting
               for f in o.flags)  # fmt: skip
    assert sum(bool(o.flags) for o in counting) < len(counting) / 3


def test_every_team_opens_except_a_few(mission, db):
    summary = simulate_election_day(mission, observations=1500, incidents=0, seed=4)
    plan = db.session.scalar(select(DeploymentPlan))
    openings = dict(
        db.session.execute(
            select(PlanStop.team_id, PlanStop.station_id).where(
                PlanStop.plan_id == plan.id, PlanStop.kind == StopKind.OPENING
            )
        ).all()
    )
    opened = dict(
        db.session.execute(
            select(Observation.team_id, Observation.station_id)
            .join(Form, Form.id == Observation.form_pk)
            .where(Form.kind == "opening")
        ).all()
    )
    missing = set(openings) - set(opened)
    assert 1 <= len(missing) <= len(openings) // 10
    assert len(summary.teams_without_opening) == len(missing)
    assert all(openings[team] == station for team, station in opened.items())


def test_hot_spots_are_hotter(mission, db):
    summary = simulate_election_day(mission, observations=4000, incidents=600, seed=2027)
    assert 2 <= len(summary.hot_spots) <= 3
    hot_codes = [h.code for h in summary.hot_spots]
    hot = set(db.session.scalars(select(Area.id).where(Area.code.in_(hot_codes))))
    district = dict(db.session.execute(select(PollingStation.id, PollingStation.area_id)).all())
    counts = {True: Counter(), False: Counter()}
    for o in simulated(db, Observation):
        if "overall" in o.answers:
            place = counts[district[o.station_id] in hot]
            place["all"] += 1
            place["bad"] += o.answers["overall"] in BAD
            place["critical"] += bool(o.critical)
    share = {k: (c["bad"] / c["all"], c["critical"] / c["all"]) for k, c in counts.items()}
    assert share[True][0] > 2 * share[False][0]
    assert share[True][1] > 2 * share[False][1]
    incidents = simulated(db, Incident)
    at_hot = sum(district.get(i.station_id) in hot for i in incidents)
    hot_stations = sum(area in hot for area in district.values())
    assert at_hot / len(incidents) > 2 * hot_stations / len(district)
    assert len(set(summary.region_risk.values())) == len(summary.region_risk) > 1


def test_incidents_mix(mission, db):
    summary = simulate_election_day(mission, observations=1000, incidents=800, seed=9)
    incidents = simulated(db, Incident)
    severity = Counter(i.severity.value for i in incidents)
    assert severity == Counter(summary.by_severity)
    assert severity["low"] + severity["medium"] > severity["high"] + severity["critical"] > 0
    assert severity["critical"] > 0
    assert len({i.status for i in incidents}) == 5
    gps_only = [i for i in incidents if i.station_id is None]
    assert 0 < len(gps_only) < len(incidents) / 4
    assert all(i.latitude is not None and i.longitude is not None for i in gps_only)
    assert len({i.title for i in incidents}) > 10
    history = Counter(
        db.session.scalars(
            select(IncidentStatusChange.incident_id).where(
                IncidentStatusChange.incident_id.in_([i.id for i in incidents])
            )
        )
    )
    assert all(history[i.id] >= 1 for i in incidents)
    last = {
        c.incident_id: c.new_status
        for c in db.session.scalars(select(IncidentStatusChange).order_by(IncidentStatusChange.id))
    }
    assert all(last[i.id] == i.status.value for i in incidents)
    assert all(aware(i.received_at) > aware(i.occurred_at) for i in incidents)


def snapshot(db) -> list[tuple]:
    rows = simulated(db, Observation)
    return [(o.uuid, o.station_id, o.answers, o.content_hash, o.flags) for o in rows]


def test_same_seed_same_day_rerun_replaces_and_real_data_stays(mission, db):
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    station = db.session.scalar(select(PollingStation).order_by(PollingStation.id))
    real_uuid = str(uuidlib.uuid4())
    answers = {"arrival_time": "09:00", "queue": "none", "campaign_near": "no",
               "intimidation": "no", "secrecy": "yes", "ink_checked": "yes",
               "ink_applied": "yes", "id_checked": "yes", "turned_away": "no",
               "assisted_voting": "no", "family_voting": "no", "ballot_box_sealed": "yes",
               "campaign_material": "no", "unauthorised_present": "no",
               "party_agents_present": "yes", "citizen_observers_present": "no",
               "overall": "good", "departure_time": "09:30"}  # fmt: skip
    submit(admin, {"uuid": real_uuid, "form_id": "std_voting", "form_version": "2026.1",
                   "station_code": station.code, "arrived_at": "2027-03-14T09:00:00+01:00",
                   "departed_at": "2027-03-14T09:30:00+01:00", "answers": answers,
                   "mission": "demo"})  # fmt: skip
    db.session.commit()
    demo_incidents = db.session.scalar(select(func.count(Incident.id)))
    assert demo_incidents > 0

    first = simulate_election_day(mission, observations=900, incidents=150, seed=5)
    db.session.commit()
    before = snapshot(db)
    again = simulate_election_day(mission, observations=900, incidents=150, seed=5)
    db.session.commit()
    assert again.replaced == (900, 150)
    assert snapshot(db) == before
    assert (again.by_form, again.by_severity, again.hot_spots) == (
        first.by_form,
        first.by_severity,
        first.hot_spots,
    )
    assert db.session.scalar(select(func.count(Observation.id))) == 901
    assert db.session.scalar(select(func.count(Incident.id))) == demo_incidents + 150

    other = simulate_election_day(mission, observations=700, incidents=50, seed=6)
    db.session.commit()
    assert other.replaced == (900, 150)
    assert snapshot(db) != before[:700]
    assert db.session.scalar(select(func.count(Observation.id))) == 701
    assert db.session.scalar(select(func.count(Incident.id))) == demo_incidents + 50
    real = db.session.scalar(select(Observation).where(Observation.uuid == real_uuid))
    assert real.answers == answers


def test_small_day_keeps_the_openings_and_counts(mission, db):
    calls = []
    summary = simulate_election_day(
        mission, observations=100, incidents=5, seed=1, progress=lambda *a: calls.append(a)
    )
    assert summary.observations == 100 and summary.incidents == 5
    assert calls[-2:] == [("observations", 100, 100), ("incidents", 5, 5)]
    assert summary.by_form["std_opening"] == 57  # 60 teams, 3 never report
    assert "std_voting" not in summary.by_form


def test_mission_without_a_published_plan_is_refused(mission_factory):
    mission = mission_factory()
    with pytest.raises(SimulationError, match="no published deployment plan"):
        simulate_election_day(mission, observations=10, incidents=1)


@pytest.fixture
def cli(app, database_url):
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, ["--database-url", database_url, *args])

    return run


def test_cli_builds_the_demo_then_simulates(demo_mission, cli, db):
    """On this test's copy of the built demo: the command checks it again (building from an
    empty database is tests/test_fresh_database.py's), then simulates the day."""
    result = cli("demo", "--simulate-election-day", "--observations", "800",
                 "--incidents", "120", "--seed", "3")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "800 observations, 120 incidents" in result.output
    assert "std_opening" in result.output and "Hot spots: " in result.output
    assert "Incidents by severity: low " in result.output
    assert "Demo mission 'demo' is ready" in result.output
    db.session.expire_all()
    assert len(simulated(db, Observation)) == 800
    assert len(simulated(db, Incident)) == 120
    again = cli("demo", "--simulate-election-day", "--observations", "300", "--incidents", "0")
    assert again.exit_code == 0, again.output
    assert "replaced 800 observations and 120 incidents" in again.output
    assert len(simulated(db, Observation)) == 300
    assert len(simulated(db, Incident)) == 0


def test_cli_size_options_need_the_flag(cli, db):
    result = cli("demo", "--observations", "10")
    assert result.exit_code == 2
    assert "need --simulate-election-day" in result.output
    assert db.session.scalar(select(func.count(Mission.id))) == 0
