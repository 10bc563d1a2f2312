"""Indicator definitions: the shipped file, validation messages, atomic saves, reset."""

import copy
import json

import pytest
from sqlalchemy import select

from observer_suite.checklists.services import load_standard_forms
from observer_suite.models import AuditEntry, Form, ReportDefinition
from observer_suite.reporting.statistics.indicators import (
    DEFAULT_FILE,
    default_indicators,
    load_indicators,
    reset_indicators,
    save_indicators,
    stored_definition,
    validate_indicators,
)

ONE = {
    "key": "late",
    "phase": "opening",
    "form": "std_opening",
    "question": "opening_band",
    "answers": ["late_less_30", "late_more_30"],
    "exclude": ["not_opened"],
    "label": {"en": "Opened late", "fr": "Ouvert en retard"},
}


@pytest.fixture
def mission(db, mission_factory):
    made = mission_factory(slug="ind", languages="en,fr")
    load_standard_forms(made)
    db.session.commit()
    return made


def _with(**changes) -> dict:
    item = copy.deepcopy(ONE)
    for name, value in changes.items():
        if value is None:
            item.pop(name, None)
        else:
            item[name] = value
    return item


def test_the_shipped_definitions_are_valid_and_complete(mission, mission_factory):
    data = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    assert validate_indicators(mission, data) == []
    bare = mission_factory(slug="bare")  # no forms loaded yet: the standard forms are known
    assert validate_indicators(bare, data) == []
    found = {(d["form"], d["question"], tuple(d["answers"])) for d in data}
    for needed in [
        ("std_opening", "opening_band", ("on_time",)),
        ("std_opening", "ballot_box_sealed", ("yes",)),
        ("std_opening", "ballot_box_shown_empty", ("yes",)),
        ("std_opening", "secrecy_layout", ("yes",)),
        ("std_opening", "unauthorised_present", ("yes",)),
        ("std_voting", "secrecy", ("yes",)),
        ("std_voting", "ballot_box_sealed", ("yes",)),
        ("std_voting", "unauthorised_present", ("yes",)),
        ("std_voting", "intimidation", ("yes",)),
        ("std_voting", "ink_checked", ("yes",)),
        ("std_closing_counting", "count_procedures_followed", ("yes",)),
        ("std_closing_counting", "protocol_posted", ("yes",)),
        ("std_tabulation", "access_granted", ("yes",)),
    ]:
        assert needed in found, needed
    for form in ("std_opening", "std_voting", "std_closing_counting", "std_tabulation"):
        assert (form, "overall", ("very_good", "good")) in found
        assert (form, "overall", ("bad", "very_bad")) in found
    defs = load_indicators(mission)
    assert [d.key for d in defs] == [d["key"] for d in data]
    assert all(d.exclude == ("na",) for d in defs)
    assert defs[0].label("fr") == "Bureau de vote ouvert à l'heure"
    assert defs[0].label("de") == "Polling station opened on time"  # falls back to English


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (_with(form="nope"), "indicator 1 (late): form: unknown form 'nope'"),
        (_with(question="nope"), "indicator 1 (late): question: 'nope' is not a question"),
        (_with(question="opening_delay_reason"), "question: 'opening_delay_reason' is a text"),
        (_with(answers=["soon"]), "indicator 1 (late): answers: 'soon' is not an answer"),
        (_with(answers=[]), "indicator 1 (late): answers: a non-empty list"),
        (_with(exclude=["maybe"]), "indicator 1 (late): exclude: 'maybe' is not an answer"),
        (_with(exclude=["late_less_30"]), "exclude: late_less_30 cannot be counted and left out"),
        (_with(label={"en": "Late"}), "indicator 1 (late): label: the 'fr' text is missing"),
        (_with(label="Late"), "indicator 1 (late): label: an object"),
        (_with(phase="voting"), "indicator 1 (late): phase: 'voting' is not the kind"),
        (_with(question=None), "indicator 1 (late): question: is required"),
        (_with(key="Bad Key"), "indicator 1 (Bad Key): key: 1-60 lower-case"),
        (_with(colour="red"), "indicator 1 (late): unknown field 'colour'"),
        ("text", "indicator 1: must be an object"),
    ],
)
def test_validation_names_the_indicator_and_the_field(mission, item, expected):
    errors = validate_indicators(mission, [item])
    assert any(expected in error for error in errors), errors


def test_duplicate_keys_and_positions(mission):
    second = _with(label={"en": "Again", "fr": "Encore"})
    third = _with(key="other", form="gone")
    errors = validate_indicators(mission, [ONE, second, third])
    assert errors == [
        "indicator 2 (late): key: duplicate of indicator 1",
        "indicator 3 (other): form: unknown form 'gone'",
    ]
    assert validate_indicators(mission, {"list": []}) == [
        "indicators: must be a list of indicator objects"
    ]


def test_mission_languages_are_required_in_labels(db, mission_factory):
    mission = mission_factory(slug="pt", languages="en,fr,pt")
    errors = validate_indicators(mission, [ONE])
    assert errors == ["indicator 1 (late): label: the 'pt' text is missing"]


def test_a_mission_form_is_known_with_its_choices(db, mission):
    definition = {
        "form_id": "lto_weekly",
        "version": "1",
        "kind": "other",
        "title": {"en": "Weekly"},
        "questions": [
            {"name": "mood", "type": "select_one", "label": {"en": "Mood"}, "choices": "moods"}
        ],
        "choices": {"moods": [{"name": "calm", "label": {"en": "Calm"}}]},
    }
    db.session.add(
        Form(
            mission_id=mission.id,
            form_id="lto_weekly",
            version="1",
            kind="other",
            title="Weekly",
            definition=definition,
        )
    )
    db.session.commit()
    item = _with(key="calm", phase="other", form="lto_weekly", question="mood",
                 answers=["calm"], exclude=None)  # fmt: skip
    assert validate_indicators(mission, [item]) == []
    errors = validate_indicators(mission, [{**item, "answers": ["tense"]}])
    assert errors == [
        "indicator 1 (calm): answers: 'tense' is not an answer of 'mood' (answers: calm)"
    ]


def test_save_is_atomic_versioned_and_audited(db, mission):
    assert stored_definition(mission) is None
    bad = [ONE, _with(key="two", question="nope")]
    errors = save_indicators(mission, bad, "coord1")
    assert errors and all("indicator 2 (two)" in e for e in errors)
    db.session.commit()
    assert stored_definition(mission) is None  # nothing saved
    assert [d.key for d in load_indicators(mission)] == [d["key"] for d in default_indicators()]

    assert save_indicators(mission, json.dumps([ONE]), "coord1") == []
    db.session.commit()
    stored = stored_definition(mission)
    assert (stored.version, stored.updated_by, stored.indicators) == (1, "coord1", [ONE])
    assert [d.key for d in load_indicators(mission)] == ["late"]

    # A later bad save leaves the stored list as it was.
    assert save_indicators(mission, "[{", "coord2")[0].startswith("indicators: not valid JSON")
    assert save_indicators(mission, [_with(form="nope")], "coord2")
    db.session.commit()
    db.session.expire_all()
    assert stored_definition(mission).indicators == [ONE]

    second = _with(key="late2")
    assert save_indicators(mission, [ONE, second], "coord2", expected_version=1) == []
    db.session.commit()
    stored = stored_definition(mission)
    assert (stored.version, stored.updated_by) == (2, "coord2")
    stale = save_indicators(mission, [ONE], "coord1", expected_version=1)
    assert stale == ["version: someone saved version 2 meanwhile; reload and edit again"]
    entries = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "ReportDefinition")
    ).all()
    assert sorted(entries) == ["create", "update"]


def test_reset_goes_back_to_the_default_file(db, mission):
    assert save_indicators(mission, {"indicators": [ONE]}, "coord1") == []
    db.session.commit()
    reset_indicators(mission)
    db.session.commit()
    assert db.session.scalar(select(ReportDefinition.id)) is None
    assert len(load_indicators(mission)) == len(default_indicators())
    reset_indicators(mission)  # nothing stored: harmless
