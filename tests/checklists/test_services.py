"""Loading standard forms and importing XLSForms into a mission, with versions kept."""

import uuid

import pytest
from sqlalchemy import func, select

from observer_suite.checklists.services import (
    active_forms,
    form_rows,
    import_xlsform,
    load_standard_forms,
)
from observer_suite.models import Area, AuditEntry, Form, Observation, PollingStation
from tests.checklists.conftest import EOM, SHARED_DATA, SURVEY_HEADER, workbook


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _observe(db, mission, form) -> Observation:
    area = db.session.scalar(select(Area).where(Area.mission_id == mission.id))
    if area is None:
        area = Area(mission_id=mission.id, level=0, name="North", code="N", path="N")
        db.session.add(area)
        db.session.flush()
    station = PollingStation(mission_id=mission.id, area_id=area.id, code=str(uuid.uuid4())[:8],
                             name="School", registered_voters=500)  # fmt: skip
    db.session.add(station)
    db.session.flush()
    observation = Observation(uuid=str(uuid.uuid4()), mission_id=mission.id, form_pk=form.id,
                              station_id=station.id, answers={}, content_hash="x")  # fmt: skip
    db.session.add(observation)
    db.session.flush()
    return observation


def test_standard_forms_load_once(mission_factory, db):
    mission = mission_factory()
    forms = load_standard_forms(mission)
    db.session.commit()
    assert sorted(f.form_id for f in forms) == [
        "std_closing_counting", "std_opening", "std_tabulation", "std_voting"
    ]  # fmt: skip
    assert all(f.active and f.source.startswith("forms/") for f in forms)
    assert {f.kind for f in forms} == {"opening", "voting", "counting", "tabulation"}
    again = load_standard_forms(mission)
    db.session.commit()
    assert [f.id for f in again] == [f.id for f in forms]
    assert _count(db, Form) == 4
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "Form")).all()
    assert len(entries) == 1 and entries[0].action == "load"
    assert len(active_forms(mission)) == 4


def test_standard_forms_are_per_mission(mission_factory, db):
    one, two = mission_factory(), mission_factory()
    load_standard_forms(one)
    load_standard_forms(two)
    db.session.commit()
    assert _count(db, Form) == 8


def test_eom_import_creates_an_active_form_and_is_audited(mission_factory, db):
    mission = mission_factory()
    outcome = import_xlsform(mission, EOM.read_bytes(), EOM.name)
    db.session.commit()
    assert outcome.ok and outcome.created and outcome.errors == []
    form = outcome.form
    assert (form.form_id, form.version, form.kind, form.title) == (
        "eom_voting", "2026112801", "voting", "Voting checklist"
    )  # fmt: skip
    assert form.source == EOM.name and form.active
    assert form.definition["questions"][1]["label"]["fr"] == "Heure d'arrivée"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import"))
    assert entry.details == {"form_id": "eom_voting", "version": "2026112801",
                             "file": EOM.name, "questions": 21}  # fmt: skip
    same = import_xlsform(mission, EOM.read_bytes(), "copy.xlsx")
    assert same.ok and not same.created and same.form.id == form.id


def _version(version: str, label: str = "Staff") -> bytes:
    return workbook(
        [SURVEY_HEADER, ["integer", "staff", label, "Membres", "yes"]],
        settings=[["form_id", "version"], ["eom_staff", version]],
    )


def test_new_version_keeps_old_observations(mission_factory, db):
    mission = mission_factory()
    first = import_xlsform(mission, _version("1"), "staff.xlsx").form
    observation = _observe(db, mission, first)
    db.session.commit()
    second = import_xlsform(mission, _version("2", "Staff present"), "staff.xlsx")
    db.session.commit()
    assert second.created
    db.session.refresh(first)
    assert not first.active and second.form.active
    assert observation.form_pk == first.id
    assert [f.id for f in active_forms(mission)] == [second.form.id]
    counts = {(f.version, n) for f, n in form_rows(mission)}
    assert counts == {("1", 1), ("2", 0)}


def test_same_version_with_different_content_is_refused(mission_factory, db):
    mission = mission_factory()
    import_xlsform(mission, _version("1"), "staff.xlsx")
    db.session.commit()
    outcome = import_xlsform(mission, _version("1", "Changed"), "staff.xlsx")
    assert not outcome.ok and outcome.form is None
    assert outcome.errors == [
        "version 1 of form eom_staff already exists with different content; raise settings.version"
    ]


@pytest.mark.parametrize(
    "name",
    ["UCL_Biomass_Plot_Form.xlsx", "xlsform_spec_test.xlsx", "subdistrict_profiling_tool.xlsx"],
)
def test_refused_forms_write_nothing(mission_factory, db, name):
    mission = mission_factory()
    before = _count(db, AuditEntry)
    outcome = import_xlsform(mission, (SHARED_DATA / name).read_bytes(), name)
    assert not outcome.ok and outcome.errors
    db.session.flush()
    assert _count(db, Form) == 0 and _count(db, AuditEntry) == before
