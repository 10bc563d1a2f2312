"""Election-day statistics against the hand-counted world of tests/reporting/stats_world.py."""

import math
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import event, select

from observer_suite.deployment.sample_design import z_value
from observer_suite.models import (
    Area,
    Form,
    Observation,
    PlanStop,
    PollingStation,
    ReviewStatus,
    StopKind,
    Team,
    TeamKind,
)
from observer_suite.reporting.statistics.compute import election_day_stats
from observer_suite.reporting.statistics.form_aggregates import margin
from observer_suite.reporting.statistics.indicators import save_indicators
from tests.reporting.stats_world import (
    BEFORE,
    COORDS,
    CUTOFF,
    GPS,
    GPS_ONLY,
    add_incidents,
    build_world,
)


@pytest.fixture
def world(db, mission_factory):
    return build_world(db, mission_factory)


def _indicator(stats, key):
    return next(i for i in stats.indicators if i.key == key)


def _form(stats, form_id):
    return next(f for f in stats.forms if f.form_id == form_id)


def _n_total_share(share):
    return (share.n, share.total, share.share)


def test_indicators_by_region_and_mission(world):
    mission, *_ = world
    stats = election_day_stats(mission, until=CUTOFF)
    assert [a.code for a in stats.areas] == ["E", "N", "S"]  # path order
    assert stats.area_level == "region" and stats.region is None
    assert stats.mode == "purposive" and stats.confidence is None
    east, north, south = range(3)

    on_time = _indicator(stats, "opening_on_time")
    # North: P1 on time, P2 on time (P3 rejected); South: P4 late (P5 after the cut-off).
    assert _n_total_share(on_time.mission) == (2, 3, pytest.approx(2 / 3))
    assert _n_total_share(on_time.areas[north]) == (2, 2, 1.0)
    assert _n_total_share(on_time.areas[south]) == (0, 1, 0.0)
    assert _n_total_share(on_time.areas[east]) == (0, 0, None)  # no data, not 0 %
    assert on_time.mission.margin is None and on_time.label == "Polling station opened on time"

    sealed = _indicator(stats, "opening_box_sealed")  # P2 answered "na": out of N
    assert _n_total_share(sealed.mission) == (1, 2, 0.5)
    assert _n_total_share(sealed.areas[north]) == (1, 1, 1.0)
    assert _n_total_share(sealed.areas[south]) == (0, 1, 0.0)

    secrecy = _indicator(stats, "voting_secrecy")  # P3 left it empty: out of N
    assert _n_total_share(secrecy.mission) == (3, 4, 0.75)
    assert _n_total_share(secrecy.areas[north]) == (1, 2, 0.5)
    assert _n_total_share(secrecy.areas[south]) == (2, 2, 1.0)

    good = _indicator(stats, "voting_good")  # P5 has no overall answer
    assert _n_total_share(good.mission) == (3, 4, 0.75)
    assert _n_total_share(good.areas[north]) == (2, 3, pytest.approx(2 / 3))
    bad = _indicator(stats, "opening_bad")
    assert _n_total_share(bad.mission) == (1, 3, pytest.approx(1 / 3))
    assert _n_total_share(bad.areas[south]) == (1, 1, 1.0)

    counting = _indicator(stats, "counting_procedures")
    assert _n_total_share(counting.mission) == (1, 1, 1.0)
    assert _n_total_share(counting.areas[south]) == (0, 0, None)
    tabulation = _indicator(stats, "tabulation_access")  # nothing observed at all
    assert _n_total_share(tabulation.mission) == (0, 0, None)
    assert all(s.share is None for s in tabulation.areas)


def test_coverage_assessments_and_critical_answers(world):
    mission, *_ = world
    stats = election_day_stats(mission, until=CUTOFF)
    east, north, _south = range(3)
    assert stats.coverage.stations_total == 6 and stats.coverage.stations_planned == 6
    assert stats.coverage.stations_observed == 5  # P6 (East) unobserved
    assert stats.coverage.observations == 9  # 3 opening, 5 voting, 1 counting
    assert [c.observations for c in stats.area_coverage] == [0, 6, 3]
    assert [c.stations_observed for c in stats.area_coverage] == [0, 3, 2]
    assert [c.stations_total for c in stats.area_coverage] == [1, 3, 2]
    assert stats.coverage.planned_observed == 5  # every station is planned here
    assert [c.planned_observed for c in stats.area_coverage] == [0, 3, 2]

    opening = next(a for a in stats.assessments if a.form_id == "std_opening")
    assert opening.question == "overall" and opening.scale == (
        "very_good",
        "good",
        "bad",
        "very_bad",
    )
    assert opening.mission == (1, 1, 1, 0)
    assert opening.areas[north] == (1, 1, 0, 0) and opening.areas[east] == (0, 0, 0, 0)
    voting = next(a for a in stats.assessments if a.form_id == "std_voting")
    assert voting.mission == (0, 3, 0, 1)
    assert [a.kind for a in stats.assessments] == ["opening", "voting", "counting", "tabulation"]

    rows = {(r.form_id, r.question): r for r in stats.critical_answers}
    box = rows[("std_opening", "ballot_box_sealed")]
    assert box.answers == ("no",) and box.mission == 1 and box.areas == (0, 0, 1)
    assert rows[("std_voting", "secrecy")].mission == 1  # P2 "no"
    assert rows[("std_voting", "overall")].areas == (0, 1, 0)  # very_bad at P2
    assert rows[("std_closing_counting", "protocol_posted")].mission == 1
    assert rows[("std_opening", "opening_band")].mission == 0


def test_expected_and_received_per_form_area_and_team(world):
    mission, *_ = world
    stats = election_day_stats(mission, until=CUTOFF)
    opening = _form(stats, "std_opening")
    assert (opening.mission.received, opening.mission.expected) == (3, 3)
    assert [(p.received, p.expected) for p in opening.areas] == [(0, 1), (2, 1), (1, 1)]
    assert [(t.team_code, t.area_name, t.received, t.expected) for t in opening.teams] == [
        ("T01", "North", 2, 1),
        ("T02", "South", 1, 1),
        ("T03", "East", 0, 1),
    ]
    voting = _form(stats, "std_voting")  # a voting form at every stop
    assert (voting.mission.received, voting.mission.expected) == (5, 6)
    assert [(t.received, t.expected) for t in voting.teams] == [(3, 3), (2, 2), (0, 1)]
    counting = _form(stats, "std_closing_counting")  # at closing stops
    assert (counting.mission.received, counting.mission.expected) == (1, 2)
    assert [p.expected for p in counting.areas] == [0, 1, 1]
    assert [(t.received, t.expected) for t in counting.teams] == [(1, 1), (0, 1), (0, 0)]
    tabulation = _form(stats, "std_tabulation")
    assert tabulation.mission.expected is None and tabulation.mission.received == 0
    assert [f.kind for f in stats.forms] == ["opening", "voting", "counting", "tabulation"]
    assert opening.title == "Opening"

    # Expected stops with a report: T01's opening form at P2 (a visit stop) is received but
    # covers no expected opening stop.
    assert opening.mission.on_plan == 2
    assert [p.on_plan for p in opening.areas] == [0, 1, 1]
    assert [t.on_plan for t in opening.teams] == [1, 1, 0]
    assert voting.mission.on_plan == 5 and [t.on_plan for t in voting.teams] == [3, 2, 0]
    assert counting.mission.on_plan == 1 and [t.on_plan for t in counting.teams] == [1, 0, 0]
    assert tabulation.mission.on_plan is None

    assert [(t.code, t.area_name) for t in stats.teams_without_opening] == [("T03", "East")]


def test_cutoff_moves_the_numbers(world, db):
    mission, *_ = world
    early = election_day_stats(mission, until=BEFORE - timedelta(minutes=1))
    assert early.coverage.observations == 0
    assert _indicator(early, "opening_on_time").mission.share is None
    assert {t.code for t in early.teams_without_opening} == {"T01", "T02", "T03"}
    later = election_day_stats(mission, until=CUTOFF + timedelta(hours=2))
    assert _n_total_share(_indicator(later, "opening_on_time").mission) == (3, 4, 0.75)  # P5 now in
    # A naive cut-off is UTC; an aware one is converted to UTC.
    naive = election_day_stats(mission, until=CUTOFF.replace(tzinfo=None))
    assert naive.until == CUTOFF and naive.until.tzinfo is not None
    lagos = election_day_stats(mission, until=CUTOFF.astimezone(timezone(timedelta(hours=1))))
    assert lagos.until == CUTOFF and lagos.coverage == naive.coverage
    # Reviewing an observation as rejected takes it out.
    first = db.session.query(Observation).order_by(Observation.id).first()
    first.review_status = ReviewStatus.REJECTED
    db.session.commit()
    assert _n_total_share(
        _indicator(election_day_stats(mission, until=CUTOFF), "opening_on_time").mission
    ) == (
        1,
        2,
        0.5,
    )


def test_regional_briefing_breaks_down_by_district(world):
    mission, *_ = world
    stats = election_day_stats(mission, until=CUTOFF, region="N", lang="fr")
    assert stats.region.code == "N" and stats.area_level == "district"
    assert [a.code for a in stats.areas] == ["N1", "N2"]
    on_time = _indicator(stats, "opening_on_time")
    assert _n_total_share(on_time.mission) == (2, 2, 1.0)
    assert _n_total_share(on_time.areas[0]) == (2, 2, 1.0)
    assert _n_total_share(on_time.areas[1]) == (0, 0, None)  # P3's opening form was rejected
    assert on_time.label == "Bureau de vote ouvert à l'heure"
    assert stats.coverage.stations_total == 3 and stats.coverage.observations == 6
    assert [t.team_code for t in _form(stats, "std_opening").teams] == ["T01"]
    assert stats.teams_without_opening == ()
    assert _form(stats, "std_opening").title == "Ouverture"


def test_unknown_region_and_language_are_refused(world):
    mission, *_ = world
    with pytest.raises(ValueError, match="'XX'") as refused:
        election_day_stats(mission, region="XX")
    assert refused.value.field == "region"
    with pytest.raises(ValueError, match="region") as refused:
        election_day_stats(mission, region="N1")  # a district, not a region
    assert refused.value.field == "region"
    with pytest.raises(ValueError, match="'de'") as refused:
        election_day_stats(mission, lang="de")
    assert refused.value.field == "lang"


def test_incidents(world, incident_factory):
    mission, _plan, _teams, stations = world
    made = add_incidents(mission, stations, incident_factory)
    stats = election_day_stats(mission, until=CUTOFF, lang="fr")
    summary = stats.incidents
    assert summary.total == 4  # i4 rejected, i5 after the cut-off
    assert summary.unplaced == 1  # i2, GPS only
    assert summary.areas == (1, 1, 1)  # East i6, North i1, South i3
    assert summary.severities == ("low", "medium", "high", "critical")
    by_code = dict(zip(summary.categories, summary.counts, strict=True))
    assert by_code["violence"] == (0, 1, 0, 1)
    assert by_code["vote_buying"] == (0, 0, 1, 0)
    assert by_code["ballot_stuffing"] == (0, 0, 0, 1)
    assert summary.categories[0] == "ballot_stuffing"  # taxonomy order
    assert summary.category_labels[0] == "Bourrage d'urnes"
    assert [b.id for b in summary.critical] == [made["i6"].id, made["i1"].id]  # newest first
    first = summary.critical[1]
    assert first.title == "<b>Fight</b> & run" and first.category == "Violence"
    assert first.station_code == "P1" and first.area_name == "North"
    assert (first.latitude, first.longitude) == COORDS["P1"]
    assert first.occurred_at == datetime(2027, 2, 25, 9, tzinfo=UTC)
    assert sorted(summary.points) == sorted(
        [(*COORDS["P1"], "critical"), (*GPS_ONLY, "high"), (*GPS, "medium"),
         (*COORDS["P6"], "critical")]
    )  # fmt: skip

    north = election_day_stats(mission, until=CUTOFF, region="N").incidents
    assert (north.total, north.unplaced, north.areas) == (1, 0, (1, 0))
    assert [b.area_name for b in north.critical] == ["N one"]
    later = election_day_stats(mission, until=CUTOFF + timedelta(hours=2)).incidents
    assert later.total == 5


def test_sample_mode_margin_of_error_matches_the_formula(db, mission_factory):
    mission, *_ = build_world(
        db, mission_factory, mode="sample", sampling={"frame_size": 6, "confidence": 0.9}
    )
    stats = election_day_stats(mission, until=CUTOFF)
    assert stats.mode == "sample" and stats.confidence == 0.9
    assert stats.sampling["frame_size"] == 6
    on_time = _indicator(stats, "opening_on_time")
    n, big_n, frame = 2, 3, 6
    p = n / big_n
    expected = (
        1.6448536269514722
        * math.sqrt(p * (1 - p) / big_n)
        * math.sqrt((frame - big_n) / (frame - 1))
    )
    assert on_time.mission.margin == pytest.approx(expected, rel=1e-9)
    assert z_value(0.9) == pytest.approx(1.6448536269514722)
    # Per region the frame is its stations in the registry: North 3, N = 2 answers.
    north = _indicator(stats, "voting_secrecy").areas[1]
    expected_north = z_value(0.9) * math.sqrt(0.25 / 2) * math.sqrt((3 - 2) / (3 - 1))
    assert north.margin == pytest.approx(expected_north)
    assert _indicator(stats, "tabulation_access").mission.margin is None  # no data


def test_margin_without_frame_and_default_confidence(db, mission_factory):
    mission, *_ = build_world(db, mission_factory, mode="sample", sampling={})
    stats = election_day_stats(mission, until=CUTOFF)
    assert stats.confidence == 0.95
    secrecy = _indicator(stats, "voting_secrecy").mission  # 3 of 4
    assert secrecy.margin == pytest.approx(1.959963984540054 * math.sqrt(0.75 * 0.25 / 4))
    assert margin(4, 4, 0.95, None) == 0.0
    assert margin(1, 2, 0.95, 2) == 0.0  # the whole frame observed


def test_mission_definitions_replace_the_default(world):
    mission, *_ = world
    custom = [
        {"key": "late", "phase": "opening", "form": "std_opening", "question": "opening_band",
         "answers": ["late_less_30", "late_more_30"], "exclude": ["not_opened"],
         "label": {"en": "Opened late", "fr": "Ouvert en retard"}},
    ]  # fmt: skip
    assert save_indicators(mission, custom, "coord") == []
    stats = election_day_stats(mission, until=CUTOFF)
    assert [i.key for i in stats.indicators] == ["late"]
    assert _n_total_share(stats.indicators[0].mission) == (1, 3, pytest.approx(1 / 3))


def test_no_plan_no_expectations(db, mission_factory):
    mission, plan, *_ = build_world(db, mission_factory)
    db.session.delete(plan)
    db.session.commit()
    stats = election_day_stats(mission, until=CUTOFF)
    assert stats.plan is None and stats.mode == "purposive"
    assert all(f.mission.expected is None for f in stats.forms)
    assert stats.teams_without_opening == () and stats.coverage.stations_planned == 0
    assert [t.team_code for t in _form(stats, "std_opening").teams] == ["T01", "T02"]


def test_empty_mission(mission_factory):
    mission = mission_factory(slug="empty")
    stats = election_day_stats(mission)
    assert stats.areas == () and stats.forms == () and stats.coverage.observations == 0
    assert all(i.mission.share is None for i in stats.indicators)
    assert stats.incidents.total == 0 and stats.until.tzinfo is not None


def _statements(db, mission) -> int:
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        election_day_stats(mission, until=CUTOFF)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_query_count_does_not_grow_with_areas_teams_or_observations(world, db):
    mission, plan, _teams, _stations = world
    before = _statements(db, mission)
    form = db.session.scalar(select(Form).where(Form.kind == "voting"))
    for r in range(5):
        region = Area(mission_id=mission.id, level=0, name=f"R{r}", code=f"R{r}", path=f"R{r}")
        db.session.add(region)
        db.session.flush()
        station = PollingStation(mission_id=mission.id, area_id=region.id, code=f"Q{r}",
                                 name=f"Q{r}", latitude=1.0, longitude=1.0)  # fmt: skip
        team = Team(mission_id=mission.id, code=f"X{r}", kind=TeamKind.STO)
        db.session.add_all([station, team])
        db.session.flush()
        db.session.add(PlanStop(plan_id=plan.id, team_id=team.id, station_id=station.id,
                                position=1, kind=StopKind.OPENING))  # fmt: skip
        for i in range(20):
            db.session.add(
                Observation(uuid=str(uuid.uuid4()), mission_id=mission.id, form_pk=form.id,
                            station_id=station.id, team_id=team.id, content_hash="0" * 64,
                            answers={"secrecy": "yes" if i % 2 else "no"}, received_at=BEFORE)
            )  # fmt: skip
    db.session.commit()
    assert _statements(db, mission) == before
    stats = election_day_stats(mission, until=CUTOFF)
    assert len(stats.areas) == 8 and len(stats.teams_without_opening) == 6
    assert _n_total_share(_indicator(stats, "voting_secrecy").mission) == (
        53,
        104,
        pytest.approx(53 / 104),
    )
