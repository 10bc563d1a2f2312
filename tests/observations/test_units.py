"""Plain functions: answer display, export columns, filter parsing, the content hash."""

from observer_suite.observations.answers import answer_rows, display, question_columns
from observer_suite.observations.export import defuse
from observer_suite.observations.listing import Filters
from observer_suite.observations.payload import content_hash
from tests.api.fixtures import COUNTING, GOOD_ANSWERS, payload

QUESTIONS = {q["name"]: q for q in COUNTING["questions"]}


def test_display_labels_and_codes():
    problems = QUESTIONS["problems"]
    assert display(COUNTING, problems, ["late", "none"]) == "Late opening; None"
    assert display(COUNTING, problems, ["late", "none"], labels=False) == "late none"
    assert display(COUNTING, QUESTIONS["seals_intact"], "na") == "Not applicable"
    assert display(COUNTING, QUESTIONS["votes_a"], 3) == 3
    assert display(COUNTING, problems, None) is None


def test_answer_rows_mark_groups_and_critical():
    rows = answer_rows(COUNTING, {**GOOD_ANSWERS, "seals_intact": "no"}, ["seals_intact"])
    by_name = {r.name: r for r in rows}
    assert by_name["g_proc"].kind == "group" and by_name["seals_intact"].depth == 1
    assert by_name["seals_intact"].critical and by_name["seals_intact"].value == "No"
    assert not by_name["seal_problem"].answered


def test_question_columns_union_in_order():
    newer = {**COUNTING, "questions": [*COUNTING["questions"], {"name": "extra",
             "type": "integer", "label": {"en": "Extra"}}]}  # fmt: skip
    names = [name for name, _ in question_columns([newer, COUNTING])]
    assert names[0] == "seals_intact" and names[-1] == "extra" and "g_proc" not in names
    assert len(names) == len(set(names))


def test_defuse():
    assert [defuse(v) for v in ("=A1", "+1", "-1", "@x", "\tx", "ok", 5)] == [
        "'=A1", "'+1", "'-1", "'@x", "'\tx", "ok", 5,
    ]  # fmt: skip


def test_filters_parse_leniently_and_round_trip():
    args = {"form": "f", "region": "3", "team": "x", "from": "2027-02-25T07:00",
            "to": "nonsense", "status": "bogus", "flagged": "1"}  # fmt: skip
    filters = Filters.from_args(args)
    assert filters.region == 3 and filters.team is None and filters.time_to == ""
    assert filters.status == "" and filters.flagged
    assert Filters.from_args(filters.to_args()) == filters


def test_content_hash_ignores_key_order_but_not_content():
    body = payload("S001")
    shuffled = dict(reversed(list(body.items())))
    assert content_hash(body) == content_hash(shuffled)
    assert content_hash(body) != content_hash({**body, "answers": {}})
    assert content_hash(body) == content_hash({**body, "ignored": 1})
