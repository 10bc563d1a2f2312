"""The simulated answer sets against the shipped forms, with the suite's own validator (no app)."""

import json
import random
from pathlib import Path

import pytest

from observer_suite.checklists.validation import critical_answers, run_checks, validate_answers
from observer_suite.demo import election_answers as answers_for

FORMS = Path(__file__).resolve().parents[2] / "forms"
RISKS = [0.0, 0.02, 0.08, 0.4, 0.9]


def definition(name: str) -> dict:
    return json.loads((FORMS / name).read_text(encoding="utf-8"))


def generated(kind: str, rng: random.Random, risk: float, inconsistent: bool = False) -> dict:
    registered = rng.randint(200, 900)
    if kind == "opening":
        return answers_for.opening(rng, risk, 375, 460, registered)
    if kind == "voting":
        arrived = rng.randint(480, 1000)
        return answers_for.voting(rng, risk, arrived, arrived + 30, registered, rng.random())
    if kind == "counting":
        departed = rng.randint(1230, 1470)  # past midnight too
        return answers_for.counting(rng, risk, 1075, departed, registered, inconsistent)
    return answers_for.tabulation(rng, risk, 1300, 1400, rng.randint(50, 120), "region")


@pytest.mark.parametrize(
    ("kind", "file"),
    [
        ("opening", "opening.json"),
        ("voting", "voting.json"),
        ("counting", "closing_counting.json"),
        ("tabulation", "tabulation.json"),
    ],
)
def test_answer_sets_pass_the_forms_validation_unchanged(kind, file):
    form = definition(file)
    rng = random.Random(7)
    for i in range(400):
        answers = generated(kind, rng, RISKS[i % len(RISKS)], inconsistent=i % 9 == 0)
        cleaned, errors = validate_answers(form, answers)
        assert errors == {}, (answers, errors)
        assert cleaned == answers  # nothing hidden by skip logic, nothing retyped


def test_counting_figures_add_up_unless_asked_not_to():
    form = definition("closing_counting.json")
    rng = random.Random(11)
    for i in range(300):
        inconsistent = i % 2 == 0
        answers = generated("counting", rng, 0.05, inconsistent)
        registered = answers["registered_voters"]
        flags = run_checks(form, answers, {"_station_registered_voters": registered})
        if inconsistent:
            assert flags, answers
        else:
            assert flags == []
            votes = sum(answers[f"votes_{n}"] for n in range(1, answers_for.CONTESTANTS + 1))
            assert votes + answers["invalid_ballots"] == answers["ballots_cast"]
            assert answers["ballots_cast"] <= answers["voters_voted"] <= registered


def test_troubled_stations_get_more_critical_answers_and_bad_assessments():
    form = definition("voting.json")
    rng = random.Random(3)

    def rates(risk: float) -> tuple[float, float]:
        sets = [generated("voting", rng, risk) for _ in range(600)]
        critical = sum(bool(critical_answers(form, a)) for a in sets) / len(sets)
        bad = sum(a["overall"] in ("bad", "very_bad") for a in sets) / len(sets)
        return critical, bad

    calm, hot = rates(0.04), rates(0.4)
    assert hot[0] > 2 * calm[0] and hot[1] > 2 * calm[1]
    assert calm[1] < 0.2 < hot[1]


def test_clock_wraps_past_midnight():
    assert answers_for.clock(6 * 60 + 5) == "06:05"
    assert answers_for.clock(24 * 60 + 30) == "00:30"
