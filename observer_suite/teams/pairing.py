"""Pairing observers into teams of two: the mission rules as plain functions, no database.

Hard rules (different nationalities, a shared working language) decide which pairs may exist
at all; soft rules (mixed gender, a first-timer with an experienced observer, more shared
languages) rank them. networkx's maximum-weight matching then pairs as many observers as the
hard rules allow and, among those pairings, prefers more mixed-gender teams, then more
first-timers with an experienced partner, then more shared languages; the seed only breaks
ties, so a seed always gives the same pairs.
"""

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import networkx as nx

EXPERIENCED_MIN = 2  # previous missions that make an observer "experienced"
NATIONALITY = "different nationalities"
LANGUAGE = "shared language"
GENDER = "mixed gender"
EXPERIENCE = "experience mix"
_TIE_BREAK = 16  # seeded tie-break values per pair: 0 .. _TIE_BREAK - 1


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    nationality: str | None = None
    gender: str | None = None
    languages: tuple[str, ...] = ()
    previous_missions: int = 0

    @property
    def language_set(self) -> frozenset[str]:
        return frozenset(code.strip().lower() for code in self.languages if code.strip())


@dataclass(frozen=True)
class RuleCheck:
    rule: str
    hard: bool
    ok: bool
    message: str


@dataclass(frozen=True)
class Pair:
    first: Candidate
    second: Candidate
    checks: tuple[RuleCheck, ...]
    explanation: tuple[str, ...]
    score: int  # soft points, see soft_points(); for display and sorting only


@dataclass(frozen=True)
class Unpaired:
    candidate: Candidate
    reason: str


@dataclass
class PairingResult:
    pairs: list[Pair] = field(default_factory=list)
    unpaired: list[Unpaired] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _nationality(a: Candidate, b: Candidate) -> RuleCheck:
    na, nb = (a.nationality or "").upper(), (b.nationality or "").upper()
    if not na or not nb:
        missing = " and ".join(c.name for c, n in ((a, na), (b, nb)) if not n)
        return RuleCheck(NATIONALITY, True, True, f"Nationality not on the roster for {missing}.")
    if na == nb:
        return RuleCheck(NATIONALITY, True, False, f"Both are {na} nationals.")
    return RuleCheck(NATIONALITY, True, True, f"Different nationalities ({na}, {nb}).")


def _language(a: Candidate, b: Candidate) -> RuleCheck:
    shared = sorted(a.language_set & b.language_set)
    if shared:
        label = "language" if len(shared) == 1 else "languages"
        return RuleCheck(LANGUAGE, True, True, f"Shared working {label}: {', '.join(shared)}.")

    def spoken(c: Candidate) -> str:
        return ", ".join(sorted(c.language_set)) or "none on the roster"

    return RuleCheck(
        LANGUAGE,
        True,
        False,
        f"No shared working language ({a.name}: {spoken(a)}; {b.name}: {spoken(b)}).",
    )


def _gender(a: Candidate, b: Candidate) -> RuleCheck:
    if not a.gender or not b.gender:
        missing = " and ".join(c.name for c in (a, b) if not c.gender)
        return RuleCheck(GENDER, False, False, f"Gender not on the roster for {missing}.")
    if a.gender == b.gender:
        return RuleCheck(GENDER, False, False, f"Both are {a.gender}.")
    return RuleCheck(GENDER, False, True, f"Mixed gender ({a.gender}, {b.gender}).")


def _missions(n: int) -> str:
    return f"{n} previous mission{'' if n == 1 else 's'}"


def _experience(a: Candidate, b: Candidate, experienced_min: int) -> RuleCheck:
    lo, hi = sorted((a, b), key=lambda c: c.previous_missions)
    if lo.previous_missions > 0:
        return RuleCheck(
            EXPERIENCE,
            False,
            True,
            f"Neither is a first-timer ({_missions(lo.previous_missions)} and "
            f"{_missions(hi.previous_missions)}).",
        )
    if hi.previous_missions >= experienced_min:
        return RuleCheck(
            EXPERIENCE,
            False,
            True,
            f"First-timer {lo.name} with experienced {hi.name} "
            f"({_missions(hi.previous_missions)}).",
        )
    if hi.previous_missions == 0:
        return RuleCheck(EXPERIENCE, False, False, "Both are first-timers.")
    return RuleCheck(
        EXPERIENCE,
        False,
        False,
        f"First-timer {lo.name} is with {hi.name}, who has only "
        f"{_missions(hi.previous_missions)} (experienced means {experienced_min} or more).",
    )


def check_pair(
    a: Candidate, b: Candidate, experienced_min: int = EXPERIENCED_MIN
) -> list[RuleCheck]:
    """Every rule for one pair: hard rules first, then the soft preferences."""
    return [
        _nationality(a, b),
        _language(a, b),
        _gender(a, b),
        _experience(a, b, experienced_min),
    ]


def hard_ok(checks: Sequence[RuleCheck]) -> bool:
    return all(c.ok for c in checks if c.hard)


def _soft_digits(a: Candidate, b: Candidate, experienced_min: int) -> tuple[int, int, int]:
    """(mixed gender, first-timer with experienced, extra shared languages up to 2)."""
    mixed = int(bool(a.gender and b.gender and a.gender != b.gender))
    lo, hi = sorted((a.previous_missions, b.previous_missions))
    mentored = int(lo == 0 and hi >= experienced_min)
    extra = min(max(len(a.language_set & b.language_set) - 1, 0), 2)
    return mixed, mentored, extra


def soft_points(a: Candidate, b: Candidate, experienced_min: int = EXPERIENCED_MIN) -> int:
    """A readable score: 3 for mixed gender, 2 for a mentored first-timer, 1 per extra language."""
    mixed, mentored, extra = _soft_digits(a, b, experienced_min)
    return 3 * mixed + 2 * mentored + extra


def _why_alone(c: Candidate, others: Sequence[Candidate], experienced_min: int) -> str | None:
    """Which hard rule leaves `c` without any possible partner; None if one exists."""
    if not others:
        return "Nobody else is left to pair with."
    checks = [check_pair(c, o, experienced_min) for o in others]
    if any(hard_ok(cs) for cs in checks):
        return None
    other_nationality = [cs[0].ok for cs in checks]
    shared_language = [cs[1].ok for cs in checks]
    if not any(other_nationality):
        return f"Rule '{NATIONALITY}': everyone else left is also {(c.nationality or '').upper()}."
    if not any(shared_language):
        spoken = ", ".join(sorted(c.language_set)) or "none on the roster"
        return f"Rule '{LANGUAGE}': nobody else speaks their languages ({spoken})."
    return (
        f"Rules '{NATIONALITY}' and '{LANGUAGE}': everyone who shares a language with them "
        f"is also {(c.nationality or '').upper()}."
    )


def _impossible(people: Sequence[Candidate]) -> str:
    """Name the rule that makes every pair impossible."""
    nations = {(c.nationality or "").upper() for c in people}
    if len(nations) == 1 and "" not in nations:
        return (
            f"No pair is possible under the rule '{NATIONALITY}': all {len(people)} observers "
            f"are {nations.pop()}."
        )
    speakers = Counter(code for c in people for code in c.language_set)
    if not speakers or max(speakers.values()) < 2:
        return (
            f"No pair is possible under the rule '{LANGUAGE}': no two observers share a "
            "working language (check the roster's languages column)."
        )
    return (
        f"No pair is possible under the rules '{NATIONALITY}' and '{LANGUAGE}': observers who "
        "share a working language all have the same nationality."
    )


_BEST_POSSIBLE = {
    GENDER: "No other pairing gives more mixed-gender teams.",
    EXPERIENCE: (
        "No other pairing with as many mixed-gender teams puts more first-timers with an "
        "experienced observer."
    ),
}


def _explain(checks: Sequence[RuleCheck]) -> tuple[str, ...]:
    """The rule messages, and for a missed preference why the solver could not do better."""
    lines = []
    for check in checks:
        lines.append(check.message)
        if not check.ok and not check.hard and check.rule in _BEST_POSSIBLE:
            lines.append(_BEST_POSSIBLE[check.rule])
    return tuple(lines)


def pair_observers(
    candidates: Sequence[Candidate], seed: int = 1, experienced_min: int = EXPERIENCED_MIN
) -> PairingResult:
    """Pair as many candidates as the hard rules allow, best soft score first; deterministic."""
    people = sorted(candidates, key=lambda c: c.id)
    if len({c.id for c in people}) != len(people):
        raise ValueError("candidate ids must be unique")
    result = PairingResult()
    if len(people) < 2:
        result.errors.append("At least two observers are needed to form a team.")
        result.unpaired = [Unpaired(c, "Nobody else is left to pair with.") for c in people]
        return result

    rng = random.Random(seed)
    most = len(people) // 2  # pairs in any matching
    base = most * _TIE_BREAK + 1  # each soft "digit" outweighs every lower one summed
    graph = nx.Graph()
    graph.add_nodes_from(c.id for c in people)
    by_id = {c.id: c for c in people}
    checks_of: dict[tuple[int, int], list[RuleCheck]] = {}
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            checks = check_pair(a, b, experienced_min)
            tie = rng.randrange(_TIE_BREAK)  # drawn for every pair so the stream is stable
            if not hard_ok(checks):
                continue
            mixed, mentored, extra = _soft_digits(a, b, experienced_min)
            weight = ((mixed * base + mentored) * base + extra) * base + tie + 1
            graph.add_edge(a.id, b.id, weight=weight)
            checks_of[(a.id, b.id)] = checks

    if graph.number_of_edges() == 0:
        result.errors.append(_impossible(people))
        result.unpaired = [
            Unpaired(c, _why_alone(c, [o for o in people if o is not c], experienced_min) or "")
            for c in people
        ]
        return result

    matching = nx.max_weight_matching(graph, maxcardinality=True, weight="weight")
    matched: set[int] = set()
    for u, v in sorted(tuple(sorted(edge)) for edge in matching):
        a, b = by_id[u], by_id[v]
        checks = checks_of[(u, v)]
        result.pairs.append(
            Pair(a, b, tuple(checks), _explain(checks), soft_points(a, b, experienced_min))
        )
        matched.update((u, v))

    left = [c for c in people if c.id not in matched]
    for c in left:
        reason = _why_alone(c, [o for o in people if o is not c], experienced_min)
        if reason is None:
            if len(left) == 1:
                reason = "Odd number of observers: one is left over; add them to a team by hand."
            else:
                reason = (
                    "Every observer they could be paired with is needed in another pair; "
                    "pair them by hand with an override."
                )
        result.unpaired.append(Unpaired(c, reason))
    return result
