"""Roster imports against the database: all or nothing, idempotent, updates by ref."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from observer_suite.imports import run_import
from observer_suite.models import AuditEntry, Gender, Observer, ObserverRole

ROSTER = Path(__file__).resolve().parents[1] / "data" / "roster.csv"


def count(db, *criteria) -> int:
    return db.session.scalar(select(func.count()).select_from(Observer).where(*criteria))


def run(mission, data: bytes, dry_run: bool = False, filename: str = "roster.csv"):
    return run_import("observers", mission, data, filename, dry_run=dry_run)


@pytest.fixture
def mission(mission_factory):
    return mission_factory(slug="eom-ng")


def test_good_roster_imports_and_reimport_changes_nothing(db, mission):
    result = run(mission, ROSTER.read_bytes())
    db.session.commit()
    assert result.summary_lines() == ["5 observers: 5 created, 0 updated, 0 unchanged"]
    anna = db.session.scalar(select(Observer).where(Observer.ref == "EU-001"))
    assert (anna.name, anna.role, anna.nationality, anna.gender) == (
        "Anna Schmidt",
        ObserverRole.CORE,
        "DE",
        Gender.FEMALE,
    )
    assert anna.languages == ["en", "de", "fr"] and anna.previous_missions == 5
    maria = db.session.scalar(select(Observer).where(Observer.ref == "EU-003"))
    assert maria.previous_missions == 0 and maria.phone is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import"))
    assert entry.entity == "Observer" and entry.details["create"] == 5

    again = run(mission, ROSTER.read_bytes())
    db.session.commit()
    assert again.summary_lines() == ["5 observers: 0 created, 0 updated, 5 unchanged"]
    assert count(db) == 5


def test_dry_run_and_update_by_ref(db, mission):
    assert run(mission, ROSTER.read_bytes(), dry_run=True).counts["create"] == 5
    assert count(db) == 0
    run(mission, ROSTER.read_bytes())
    db.session.commit()
    text = ROSTER.read_text().replace("Long-term observer,FR", "core,FR")
    text += "EU-006,Sara Lind,sto,SE,f,sv,0,sara@example.org,\n"
    preview = run(mission, text.encode(), dry_run=True)
    assert preview.summary_lines() == ["6 observers: 1 to create, 1 to update, 4 unchanged"]
    assert preview.examples == [
        "add EU-006 (sto)",
        "update EU-002: role 'lto' → 'core'",
    ]
    run(mission, text.encode())
    db.session.commit()
    assert db.session.scalar(select(Observer.role).where(Observer.ref == "EU-002")) == "core"
    assert count(db) == 6


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        (("de,F", "Germany,F"), "line 2, Nationality: 'Germany' is not an ISO 3166 two-letter "),
        (("STO,IT", "observer,IT"), "line 4, Role: 'observer' is not one of core, lto, sto, "),
        (("EU-005", "EU-001"), "line 6, Observer ID: duplicate observer ref 'EU-001' (also on "),
    ],
    ids=["bad-nationality", "bad-role", "duplicate-ref"],
)
def test_bad_rosters_write_nothing(db, mission, replace, expected):
    data = ROSTER.read_text().replace(*replace).encode()
    result = run(mission, data)
    db.session.commit()
    assert not result.ok
    assert len(result.error_lines()) == 1 and result.error_lines()[0].startswith(expected)
    assert count(db) == 0
    assert db.session.scalar(select(func.count()).where(AuditEntry.action == "import")) == 0
