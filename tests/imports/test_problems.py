"""Problems grouped by reason (the values taken out), and the per-line detail kept for the
downloads up to a bound."""

from observer_suite.imports import errors
from observer_suite.imports.errors import LineError, Problems


def test_problems_group_by_reason_without_their_values():
    problems = Problems(limit=2)
    for line in range(2, 30):
        problems.append(LineError(line, "ward", "a value is required"))
    problems.append(LineError(40, "Lat", "'95.2' is outside -90..90"))
    problems.append(LineError(41, "Lat", "'-91' is outside -90..90"))
    problems.append(LineError(42, "code", "duplicate station code 'C1' (also on line 3)"))
    groups = [str(group) for group in problems.grouped()]
    assert groups == [
        "28 rows: ward: a value is required — lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 …",
        "2 rows: Lat: … is outside -90..90 — lines 40, 41",
        "1 row: code: duplicate station code … (also on line …) — line 42",
    ]
    assert len(problems) == 2 and problems.total() == 31  # the page's list stays bounded
    assert problems.grouped()[1].examples == [
        "line 40, Lat: '95.2' is outside -90..90",
        "line 41, Lat: '-91' is outside -90..90",
    ]


def test_detail_is_kept_for_a_bounded_number_of_lines(monkeypatch):
    monkeypatch.setattr(errors, "DETAIL_LINES", 2)
    problems = Problems()
    problems.append(LineError(2, "a", "x"))
    problems.append(LineError(2, None, "y"))
    problems.append(LineError(3, "b", "z"))
    problems.append(LineError(4, "c", "w"))
    assert problems.lines == {2, 3, 4}
    assert problems.reasons(2) == "a: x; y"
    assert problems.reasons(4).startswith("refused (reasons are kept for the first 2 faulty")
