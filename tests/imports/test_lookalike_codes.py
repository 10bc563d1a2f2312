"""Codes with invisible characters or look-alike digits are normalised, with a warning on
their line in the import's result; two codes that are then equal are duplicates."""

import pytest
from sqlalchemy import select

from observer_suite.imports import run_import
from observer_suite.imports.codes import canonical_code
from observer_suite.models import Area, Observer, PollingStation

HEADER = "state,state_code,lga,ward,code,name"


@pytest.fixture
def mission(mission_factory):
    return mission_factory(slug="lookalike", levels="state,lga,ward")


def csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


@pytest.mark.parametrize(
    ("raw", "code", "names"),
    [
        ("04/01\u200b/001", "04/01/001", "U+200B ZERO WIDTH SPACE"),
        ("04/0\u200d1/001", "04/01/001", "U+200D ZERO WIDTH JOINER"),
        ("\ufeff04/01/001", "04/01/001", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("04\u00a001", "04 01", "U+00A0 NO-BREAK SPACE"),
        ("٠4/01/001", "04/01/001", "U+0660 ARABIC-INDIC DIGIT ZERO"),
        ("04/۰1/00۱", "04/01/001", "U+06F0 EXTENDED ARABIC-INDIC DIGIT ZERO"),
        ("０４/01", "04/01", "U+FF10 FULLWIDTH DIGIT ZERO"),
        ("EU\u2013001", "EU-001", "U+2013 EN DASH"),
    ],
)
def test_codes_are_normalised_with_the_characters_named(raw, code, names):
    value, warning = canonical_code(raw)
    assert value == code and warning.startswith(f"{raw!r} was read as {code!r} (it had ")
    assert names in warning
    assert canonical_code("04/01/001") == ("04/01/001", None)
    assert canonical_code("Ward Été") == ("Ward Été", None)


def test_the_import_stores_the_plain_code_and_lists_the_warning(mission, db):
    data = csv("Lagos,2\u200b4,Ikeja,W1,٠١/0\u200b2,First", "Lagos,24,Ikeja,W1,01/03,Second")
    result = run_import("stations", mission, data, "s.csv", dry_run=False)
    db.session.commit()
    assert result.ok and result.applied
    assert [str(w) for w in result.warnings] == [
        "line 2, state_code: '2\\u200b4' was read as '24' (it had U+200B ZERO WIDTH SPACE)",
        "line 2, code: '٠١/0\\u200b2' was read as '01/02' (it had U+0660 ARABIC-INDIC DIGIT "
        "ZERO, U+0661 ARABIC-INDIC DIGIT ONE, U+200B ZERO WIDTH SPACE)",
    ]
    assert "warning: line 2, state_code: '2\\u200b4' was read as '24'" in "\n".join(
        result.summary_lines()
    )
    codes = db.session.scalars(select(PollingStation.code).order_by(PollingStation.code)).all()
    assert codes == ["01/02", "01/03"]
    states = db.session.scalars(select(Area.path).where(Area.level == 0)).all()
    assert states == ["24"]  # one state, not two that look alike


def test_codes_equal_after_normalisation_are_duplicates(mission, db):
    data = csv(
        "Lagos,24,Ikeja,W1,01/001,One",
        "Lagos,24,Ikeja,W1,01/00\u200b1,Two",
        "Lagos,24,Ikeja,W1,٠1/001,Three",
    )
    result = run_import("stations", mission, data, "s.csv", dry_run=False)
    assert not result.ok
    assert [str(e) for e in result.errors] == [
        "line 3, code: duplicate station code '01/001' (also on line 2)",
        "line 4, code: duplicate station code '01/001' (also on line 2)",
    ]
    assert db.session.scalars(select(PollingStation)).all() == []


def test_observer_refs_too(mission, db):
    data = csv("EU-\u200b001,Anna,sto", "EU\u2011002,Ben,sto", header="ref,name,role")
    result = run_import("observers", mission, data, "r.csv", dry_run=False)
    db.session.commit()
    assert result.ok
    assert [(w.line, w.column) for w in result.warnings] == [(2, "ref"), (3, "ref")]
    assert "U+2011 NON-BREAKING HYPHEN" in result.warnings[1].message
    refs = db.session.scalars(select(Observer.ref).order_by(Observer.ref)).all()
    assert refs == ["EU-001", "EU-002"]
    again = csv("EU-001,Anna,sto", "EU-\ufeff001,Anna B,lto", header="ref,name,role")
    duplicate = run_import("observers", mission, again, "r.csv", dry_run=True)
    assert [str(e) for e in duplicate.errors] == [
        "line 3, ref: duplicate observer ref 'EU-001' (also on line 2)"
    ]
