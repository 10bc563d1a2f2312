"""Team services against the database: validation, rule warnings, override, coverage counts."""

import re
from contextlib import contextmanager
from datetime import date

import pytest

from observer_suite.errors import described
from observer_suite.models import (
    DeploymentPlan,
    Mission,
    Observer,
    ObserverRole,
    PlanMode,
    PlanStatus,
    PlanStop,
    PollingStation,
    StopKind,
    Team,
    TeamArea,
    TeamMember,
)
from observer_suite.teams import areas, services
from observer_suite.teams.pairing import GENDER, NATIONALITY


@contextmanager
def refused_as(pattern: str):
    """A TeamError whose "field: message" line (as the CLI prints it) matches `pattern`."""
    with pytest.raises(services.TeamError) as refused:
        yield
    assert re.search(pattern, described(refused.value)), described(refused.value)


def ids(world, *refs):
    return [world.people[ref].id for ref in refs]


def members(team):
    return sorted(m.observer.ref for m in team.members)


def test_auto_pair_forms_teams_and_explains_them(world, db):
    summary = services.auto_pair(world.mission, seed=1)
    assert summary.result.ok
    assert [t.code for t in summary.teams] == ["T01", "T02", "T03"]
    assert sorted(members(t) for t in summary.teams) == [["s1", "s2"], ["s3", "s6"], ["s4", "s5"]]
    notes = summary.teams[0].pairing_notes
    assert notes.startswith("Paired automatically (seed 1).")
    assert "Different nationalities" in notes and "Shared working" in notes
    (alone,) = summary.result.unpaired
    assert alone.candidate.name == "Greta Lund" and "SE" in alone.reason
    db.session.rollback()  # services flush; nothing is kept unless the caller commits
    assert db.session.query(Team).count() == 0


def test_auto_pair_continues_codes_and_takes_proposed_bases(world, db):
    services.create_team(world.mission, ids(world, "s1", "s2"), code="T07")
    seen = []

    def base_from(people):
        seen.append(sorted(p.ref for p in people))
        return services.Base(f"Hotel of {people[0].name}", 6.5, 7.25)

    summary = services.auto_pair(world.mission, seed=3, base_from=base_from)
    db.session.commit()
    assert [t.code for t in summary.teams] == ["T08", "T09"]
    assert len(seen) == 2 and ["s4", "s5"] in seen
    assert all(t.base_name.startswith("Hotel of") and t.base_latitude == 6.5 for t in summary.teams)
    again = services.auto_pair(world.mission)  # only Greta is left
    assert not again.result.ok and not again.teams
    left = [world.people["s7"]]
    assert services.unteamed(world.mission, ObserverRole.STO) == left


def test_proposal_writes_nothing_and_is_stable(world, db):
    first = services.propose_pairs(world.mission, seed=4)
    second = services.propose_pairs(world.mission, seed=4)
    assert first.codes == second.codes == ["T01", "T02", "T03"]
    assert [(p.first.id, p.second.id) for p in first.result.pairs] == [
        (p.first.id, p.second.id) for p in second.result.pairs
    ]
    assert db.session.query(Team).count() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"observer_ids": ["s1"]}, "observers: choose two different observers"),
        ({"observer_ids": ["s1", "s1"]}, "observers: choose two different observers"),
        ({"observer_ids": ["s1", "l1"]}, "observers: Lena Wolf is on the roster as LTO"),
        (
            {"driver_id": "i1"},
            "driver: Ifeoma Interpreter is on the roster as interpreter, not as driver",
        ),
        (
            {"interpreter_id": "d1"},
            "interpreter: Dan Driver is on the roster as driver, not as interpreter",
        ),
        ({"base_lat": 95.0, "base_lon": 7.0}, "base_lat: latitude must be between"),
        ({"base_lat": 6.0, "base_lon": 181.0}, "base_lon: longitude must be between"),
        ({"base_lat": 6.0}, "base_lat: give both latitude and longitude"),
        ({"base_lat": float("nan"), "base_lon": 7.0}, "base_lat: latitude must be between"),
        ({"code": "x" * 31}, "code: 1 to 30 characters"),
    ],
)
def test_create_team_validates(world, change, message):
    args = {"observer_ids": ["s1", "s2"], **change}
    for key in ("observer_ids", "driver_id", "interpreter_id"):
        if key in args:
            value = args[key]
            args[key] = ids(world, *value) if isinstance(value, list) else ids(world, value)[0]
    with refused_as(message.replace("(", r"\(")):
        services.create_team(world.mission, **args)


def test_people_of_another_mission_or_another_team_are_refused(world, mission_factory, db):
    other = mission_factory(slug="other")
    stranger = Observer(mission_id=other.id, ref="x", name="Xavier", role=ObserverRole.STO)
    db.session.add(stranger)
    db.session.flush()
    with pytest.raises(services.TeamError, match="not on this mission's roster"):
        services.create_team(world.mission, [world.people["s1"].id, stranger.id])
    services.create_team(world.mission, ids(world, "s1", "s2"), driver_id=ids(world, "d1")[0])
    with refused_as("observers: Anna Berg is already in team T01"):
        services.create_team(world.mission, ids(world, "s1", "s3"))
    with refused_as("driver: Dan Driver is already in team T01"):
        services.create_team(world.mission, ids(world, "s3", "s4"), driver_id=ids(world, "d1")[0])
    with refused_as("code: the mission already has a team T01"):
        services.create_team(world.mission, ids(world, "s3", "s4"), code="T01")


def test_hard_rule_break_needs_override_and_is_kept_with_the_warning(world, db):
    with pytest.raises(services.RuleBreak) as caught:
        services.create_team(world.mission, ids(world, "s1", "s7"))  # both SE
    assert [c.rule for c in caught.value.breaks] == [NATIONALITY]
    assert db.session.query(Team).count() == 0
    change = services.create_team(world.mission, ids(world, "s1", "s7"), override=True)
    db.session.commit()
    assert NATIONALITY in [w.rule for w in change.warnings if w.hard]
    assert "Hard rule overridden: Both are SE nationals." in change.team.pairing_notes
    from observer_suite.teams.queries import team_warnings

    assert NATIONALITY in [w.rule for w in team_warnings(change.team)]


def test_soft_rule_breaks_are_warnings(world):
    change = services.create_team(
        world.mission,
        ids(world, "s2", "s6"),  # both men
        interpreter_id=ids(world, "i1")[0],
        base_name="  Guest house  ",
        base_lat=6.44,
        base_lon=7.49,
    )
    assert [w.rule for w in change.warnings] == [GENDER]
    team = change.team
    assert team.base_name == "Guest house" and team.code == "T01"
    assert [(m.observer.ref, m.role.value) for m in team.members] == [
        ("s2", "observer"),
        ("s6", "observer"),
        ("i1", "interpreter"),
    ]


def test_update_team_swaps_members_and_frees_the_old_one(world, db):
    team = services.create_team(
        world.mission, ids(world, "s1", "s2"), driver_id=ids(world, "d1")[0]
    ).team
    db.session.commit()
    kept = next(m.id for m in team.members if m.observer.ref == "s1")
    services.update_team(team, ids(world, "s1", "s2"), base_name="Same people")  # no change
    services.update_team(team, ids(world, "s3", "s1"), base_lat=1.0, base_lon=2.0, code="A1")
    db.session.commit()
    assert [m.observer.ref for m in team.members] == ["s3", "s1"]
    assert kept in [m.id for m in team.members]
    assert team.code == "A1" and team.base_latitude == 1.0 and team.base_name is None
    assert "Formed by hand." in team.pairing_notes
    # The driver and Bruno are free again.
    services.create_team(world.mission, ids(world, "s2", "s4"), driver_id=ids(world, "d1")[0])
    db.session.commit()
    with pytest.raises(services.RuleBreak):
        services.update_team(team, ids(world, "s1", "s7"))
    with refused_as("code: the mission already has a team T01"):
        services.update_team(team, ids(world, "s1", "s3"), code="T01")


def _lto_with_sto(world, db):
    lto = services.create_team(world.mission, ids(world, "l1", "l2"), kind="lto").team
    sto = services.create_team(world.mission, ids(world, "s1", "s2")).team
    areas.assign_areas(lto, [world.areas["R1"].id])
    areas.assign_lto(sto, lto)
    db.session.commit()
    return lto, sto


def test_dissolve_frees_members_and_unlinks(world, db):
    lto, sto = _lto_with_sto(world, db)
    assert lto.code == "L01"
    assert services.dissolve_team(lto) == "L01"
    db.session.commit()
    assert db.session.get(Team, sto.id).lto_team_id is None
    assert db.session.query(TeamArea).count() == 0
    assert db.session.query(TeamMember).count() == 2  # the STO team's
    services.create_team(world.mission, ids(world, "l1", "l2"), kind="lto")


def test_dissolve_is_refused_while_a_published_plan_routes_the_team(world, db):
    team = services.create_team(world.mission, ids(world, "s1", "s2")).team
    station = db.session.query(PollingStation).first()
    plan = DeploymentPlan(
        mission_id=world.mission.id,
        name="E-day",
        election_day=date(2027, 2, 25),
        mode=PlanMode.PURPOSIVE,
        status=PlanStatus.PUBLISHED,
    )
    plan.stops = [PlanStop(team=team, station=station, position=1, kind=StopKind.OPENING)]
    db.session.add(plan)
    db.session.commit()
    assert services.planned_stops(team) == [("E-day", "published", 1)]
    with pytest.raises(services.TeamError, match="published plan 'E-day'"):
        services.dissolve_team(team)
    plan.status = PlanStatus.DRAFT
    db.session.commit()
    services.dissolve_team(team)
    db.session.commit()
    assert db.session.query(PlanStop).count() == 0


def test_areas_and_lto_links_are_validated(world, mission_factory, db):
    lto, sto = _lto_with_sto(world, db)
    with pytest.raises(services.TeamError, match="only LTO teams"):
        areas.assign_areas(sto, [world.areas["R1"].id])
    other = mission_factory(slug="elsewhere")
    from observer_suite.models import Area

    foreign = Area(mission_id=other.id, level=0, name="Far", path="F")
    db.session.add(foreign)
    db.session.flush()
    with pytest.raises(services.TeamError, match="belong to this mission"):
        areas.assign_areas(lto, [foreign.id])
    with pytest.raises(services.TeamError, match="only STO teams"):
        areas.assign_lto(lto, lto)
    with pytest.raises(services.TeamError, match="choose an LTO team"):
        areas.assign_lto(sto, sto)
    second = services.create_team(world.mission, ids(world, "l3", "l4"), kind="lto").team
    warnings = areas.assign_areas(second, [world.areas["R1"].id, world.areas["D21"].id])
    assert warnings == ["Region 1 is also an area of L01."]
    assert areas.assign_ltos(world.mission, {sto.id: second.id}) == 1
    assert areas.assign_ltos(world.mission, {sto.id: second.id}) == 0
    assert sto.lto_team_id == second.id
    with pytest.raises(services.TeamError):
        areas.assign_ltos(world.mission, {sto.id: 10_000})


def _counts(rows):
    return {r.area.code: (r.stations, r.voters, r.lto_teams, r.sto_teams, r.gap) for r in rows}


def test_coverage_by_area_counts_and_gaps(world, db):
    _lto, _sto = _lto_with_sto(world, db)  # L01 answers for Region 1; T01 reports to it
    assert _counts(areas.coverage_by_area(world.mission, 0)) == {
        "R1": (3, 1500, 1, 1, False),
        "R2": (1, 0, 0, 0, True),
    }
    assert _counts(areas.coverage_by_area(world.mission, 1)) == {
        "D11": (2, 1200, 1, 1, False),
        "D12": (1, 300, 1, 1, False),
        "D21": (1, 0, 0, 0, True),
        "D22": (0, 0, 0, 0, False),  # no stations, so no gap
    }
    second = services.create_team(world.mission, ids(world, "l3", "l4"), kind="lto").team
    areas.assign_areas(second, [world.areas["D21"].id])
    db.session.commit()
    rows = {r.area.code: r for r in areas.coverage_by_area(world.mission, 0)}
    assert (rows["R2"].lto_teams, rows["R2"].sto_teams, rows["R2"].gap) == (1, 0, False)
    assert rows["R2"].thin  # an LTO team, but no STO team under it yet
    for code in ("T02", "T03"):
        team = services.create_team(
            world.mission,
            ids(world, "s3", "s6") if code == "T02" else ids(world, "s4", "s5"),
            code=code,
        ).team
        areas.assign_lto(team, second)
    db.session.commit()
    assert _counts(areas.coverage_by_area(world.mission, 0))["R2"] == (1, 0, 1, 2, False)
    assert _counts(areas.coverage_by_area(world.mission, 1))["D22"] == (0, 0, 0, 0, False)


def test_a_concurrent_change_is_a_team_error_not_a_crash(world, db, race):
    services.create_team(world.mission, ids(world, "s1", "s2"))
    db.session.commit()
    mission_id, taken = world.mission.id, ids(world, "s3", "s4")

    def another_coordinator_takes_s3():
        services.create_team(db.session.get(Mission, mission_id), taken, code="T09")

    # Validated while s3 was free; the other coordinator's team is stored before ours.
    with (
        race("INSERT INTO teams", another_coordinator_takes_s3),
        pytest.raises(services.TeamError, match="someone else changed these teams"),
    ):
        services.create_team(world.mission, ids(world, "s3", "s6"))
    db.session.rollback()
    assert sorted(t.code for t in db.session.query(Team)) == ["T01", "T09"]
    stored = db.session.query(Team).filter_by(code="T09").one()
    assert {m.observer_id for m in stored.members} == set(taken)
