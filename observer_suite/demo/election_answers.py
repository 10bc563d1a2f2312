"""Answer sets for the four standard forms, as a team on the simulated election day fills them.

Plain functions over plain data (no database). `risk` (0..1) is how troubled the station is: a
calm region's stations sit near 0.05, a hot-spot district's near 0.4. Every answer set honours
the form's skip logic and constraints (tests/demo validates a sample with the suite's own
validator); the count figures add up unless `inconsistent` asks for a protocol that does not,
which the form's consistency checks then flag.
"""

import random

GOOD, BAD = "good", "bad"
SCALE_GOOD = ("very_good", "good")
SCALE_BAD = ("bad", "very_bad")
CONTESTANTS = 4  # votes_1 … votes_4 on the demo ballot
SCALE = 0.6  # risk → chance that one question goes wrong, before its weight

# question name → (problem answer, how often it goes wrong relative to risk)
OPENING_PROBLEMS = {
    "ballot_box_shown_empty": ("no", 0.3),
    "ballot_box_sealed": ("no", 0.4),
    "materials_present": ("no", 0.8),
    "unauthorised_present": ("yes", 0.5),
    "secrecy_layout": ("no", 0.6),
}
VOTING_PROBLEMS = {
    "campaign_near": ("yes", 0.9),
    "intimidation": ("yes", 0.4),
    "secrecy": ("no", 0.6),
    "ink_checked": ("no", 0.7),
    "ink_applied": ("no", 0.5),
    "id_checked": ("no", 0.5),
    "turned_away": ("yes", 1.0),
    "family_voting": ("yes", 1.2),
    "ballot_box_sealed": ("no", 0.3),
    "campaign_material": ("yes", 0.6),
    "unauthorised_present": ("yes", 0.6),
}
COUNTING_PROBLEMS = {
    "closed_on_time": ("no", 0.6),
    "unused_ballots_cancelled": ("no", 0.6),
    "count_procedures_followed": ("no", 0.7),
    "validity_consistent": ("no", 0.7),
    "count_visible": ("no", 0.4),
    "unauthorised_present": ("yes", 0.5),
    "disputes": ("yes", 0.9),
    "protocol_signed": ("no", 0.3),
    "protocol_copies": ("no", 0.6),
    "protocol_posted": ("no", 0.8),
}
TABULATION_PROBLEMS = {
    "protocols_altered": ("yes", 1.0),
    "entry_transparent": ("no", 0.7),
    "results_posted": ("no", 0.8),
    "unauthorised_present": ("yes", 0.5),
    "tension": ("yes", 0.8),
}
NO_YES = {"yes": "no", "no": "yes"}
REASONS = [
    "Presiding officer did not follow the procedures step by step.",
    "Several irregularities noted, see the other answers.",
    "Crowded and tense; staff unable to keep order.",
    "Unauthorised persons directed the work of the polling staff.",
    "Secrecy of the vote not ensured for many voters.",
    "Staff poorly trained, procedures improvised.",
]
COMMENTS = [
    "Calm atmosphere.",
    "Party agents present and active.",
    "Long queue in the morning, shorter later.",
    "Station in a school classroom, cramped.",
    "Staff cooperative with the team.",
    "Poor lighting made the work slow.",
]
DELAY_REASONS = [
    "Materials arrived late from the district office.",
    "Staff missing at the start; replacements found.",
    "Dispute about the voter list before opening.",
    "Key to the school building not available.",
]
MATERIALS = ["ballots", "voter_list", "ink", "ballot_box", "screens", "stamps", "protocols"]
UNAUTHORISED = ["police", "military", "officials", "party_members", "other"]


def clock(minutes: int) -> str:
    """HH:MM of a minute of the day (past midnight wraps, as the forms allow for departures)."""
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _yes_no(rng: random.Random, problems: dict, risk: float) -> tuple[dict, int]:
    answers, bad = {}, 0
    for name, (problem, weight) in problems.items():
        if rng.random() < min(0.95, risk * weight * SCALE):
            answers[name] = problem
            bad += 1
        else:
            answers[name] = NO_YES[problem]
    return answers, bad


def _overall(rng: random.Random, answers: dict, risk: float, problems: int, serious: bool) -> None:
    """The four-point assessment follows what the team saw, with a little of its own view."""
    p_bad = min(0.95, 0.02 + risk * 0.5 + 0.12 * problems + (0.25 if serious else 0))
    if rng.random() < p_bad:
        very = rng.random() < (0.45 if serious else 0.15) + risk * 0.3
        answers["overall"] = "very_bad" if very else "bad"
        answers["overall_reason"] = rng.choice(REASONS)
    else:
        answers["overall"] = "very_good" if rng.random() < 0.42 - risk * 0.3 else "good"


def _comment(rng: random.Random, answers: dict) -> None:
    if rng.random() < 0.25:
        answers["comments"] = rng.choice(COMMENTS)


def opening(rng: random.Random, risk: float, arrived: int, departed: int, registered: int) -> dict:
    """arrived/departed: minutes of the local day."""
    answers: dict[str, object] = {"arrival_time": clock(arrived)}
    flags, bad = _yes_no(rng, OPENING_PROBLEMS, risk)
    answers.update(flags)
    if answers["ballot_box_sealed"] == "yes":
        answers["seal_numbers_recorded"] = "no" if rng.random() < risk * 0.3 else "yes"
    if answers["materials_present"] == "no":
        answers["materials_missing"] = sorted(rng.sample(MATERIALS, rng.randint(1, 2)))
    if rng.random() < 0.8:
        short = rng.random() < risk * 0.15  # fewer ballots than voters: the form's check flags it
        answers["ballots_received"] = (
            registered - rng.randint(5, 60) if short else registered + rng.randint(0, 25)
        )
    staff = rng.randint(4, 9)
    answers.update(staff_total=staff, staff_women=rng.randint(0, staff))
    answers["chair_woman"] = "yes" if rng.random() < 0.35 else "no"
    answers["party_agents_present"] = "yes" if rng.random() < 0.85 else "no"
    answers["citizen_observers_present"] = "yes" if rng.random() < 0.6 else "no"
    answers["access_disabled"] = "yes" if rng.random() < 0.55 else "no"
    late = rng.random()
    if late < risk * 0.08:
        band = "not_opened"
    elif late < risk * 0.9:
        band = "late_more_30"
    elif late < 0.08 + risk * 1.4:
        band = "late_less_30"
    else:
        band = "on_time"
    answers["opening_band"] = band
    if band in ("late_more_30", "not_opened"):
        answers["opening_delay_reason"] = rng.choice(DELAY_REASONS)
    if band != "not_opened":
        bad_procedure = rng.random() < risk * 0.4
        answers["procedures_followed"] = "no" if bad_procedure else "yes"
        bad += bad_procedure
    serious = band == "not_opened" or answers["ballot_box_sealed"] == "no"
    _overall(rng, answers, risk, bad + (band == "late_more_30"), serious)
    answers["departure_time"] = clock(max(departed, arrived))
    _comment(rng, answers)
    return answers


def voting(
    rng: random.Random, risk: float, arrived: int, departed: int, registered: int, share: float
) -> dict:
    """share: the part of the day's turnout reached by the time of the visit (0..1)."""
    answers: dict[str, object] = {"arrival_time": clock(arrived)}
    answers["queue"] = rng.choices(["none", "short", "long"], [3, 5, 2 + 4 * risk])[0]
    flags, bad = _yes_no(rng, VOTING_PROBLEMS, risk)
    if answers["queue"] != "none":
        answers["queue_orderly"] = "no" if rng.random() < risk * 0.8 else "yes"
    answers.update(flags)
    if answers["intimidation"] == "yes":
        answers["intimidation_details"] = "Men in party colours questioning voters in the queue."
    if answers["turned_away"] == "yes" and rng.random() < 0.7:
        answers["turned_away_count"] = rng.randint(1, 25)
    answers["assisted_voting"] = "yes" if rng.random() < 0.4 else "no"
    if answers["assisted_voting"] == "yes":
        improper = rng.random() < risk * 0.5
        answers["assistance_improper"] = "yes" if improper else "no"
        bad += improper
    if answers["unauthorised_present"] == "yes":
        answers["unauthorised_who"] = sorted(rng.sample(UNAUTHORISED, rng.randint(1, 2)))
    if rng.random() < 0.7:
        so_far = int(registered * share * rng.uniform(0.45, 0.75))
        if rng.random() < risk * 0.04:  # more voters than the register holds: flagged
            so_far = registered + rng.randint(5, 80)
        answers["voters_so_far"] = so_far
    answers["party_agents_present"] = "yes" if rng.random() < 0.8 else "no"
    answers["citizen_observers_present"] = "yes" if rng.random() < 0.55 else "no"
    serious = answers["intimidation"] == "yes" or answers["ballot_box_sealed"] == "no"
    _overall(rng, answers, risk, bad, serious)
    answers["departure_time"] = clock(max(departed, arrived))
    _comment(rng, answers)
    return answers


def _figures(rng: random.Random, registered: int, inconsistent: bool) -> dict:
    voted = int(registered * rng.uniform(0.42, 0.78))
    cast = voted - rng.randint(0, min(3, voted))
    invalid = int(cast * rng.uniform(0.005, 0.04))
    weights = [rng.uniform(0.5, 3) for _ in range(CONTESTANTS)]
    valid = cast - invalid
    votes = [int(valid * w / sum(weights)) for w in weights]
    votes[0] += valid - sum(votes)
    if inconsistent:
        trick = rng.randrange(3)
        if trick == 0:  # the candidates' votes and the invalid ballots do not add up
            votes[rng.randrange(CONTESTANTS)] += rng.randint(8, 60)
        elif trick == 1:  # more ballots in the box than signatures in the voter list
            more = voted + rng.randint(5, 40)
            votes[0] += more - cast
            cast = more
        else:  # more voters than registered
            voted = registered + rng.randint(3, 50)
            cast = voted
            votes[0] += cast - invalid - sum(votes)
    figures = {"registered_voters": registered, "voters_voted": voted, "ballots_cast": cast}
    figures["invalid_ballots"] = invalid
    figures.update({f"votes_{i + 1}": v for i, v in enumerate(votes)})
    return figures


def counting(
    rng: random.Random,
    risk: float,
    arrived: int,
    departed: int,
    registered: int,
    inconsistent: bool,
) -> dict:
    answers: dict[str, object] = {"arrival_time": clock(arrived)}
    flags, bad = _yes_no(rng, COUNTING_PROBLEMS, risk)
    answers["closed_on_time"] = flags.pop("closed_on_time")
    answers["queue_at_closing"] = "yes" if rng.random() < 0.3 else "no"
    if answers["queue_at_closing"] == "yes":
        refused = rng.random() < risk * 0.6
        answers["queue_allowed_vote"] = "no" if refused else "yes"
        bad += refused
    answers.update(flags)
    answers.update(_figures(rng, registered, inconsistent))
    serious = inconsistent or answers["count_visible"] == "no"
    _overall(rng, answers, risk, bad, serious)
    answers["departure_time"] = clock(departed)  # may be after midnight
    _comment(rng, answers)
    return answers


def tabulation(
    rng: random.Random, risk: float, arrived: int, departed: int, expected: int, level: str
) -> dict:
    answers: dict[str, object] = {"arrival_time": clock(arrived), "tabulation_level": level}
    denied = rng.random() < risk * 0.5
    answers["access_granted"] = "no" if denied else "yes"
    if denied:
        answers["access_restrictions"] = "Observers kept behind a barrier, screens not visible."
    received = int(expected * rng.uniform(0.3, 1.0))
    if rng.random() < risk * 0.1:  # more protocols than expected: flagged
        received = expected + rng.randint(1, 12)
    answers.update(protocols_expected=expected, protocols_received=received)
    flags, bad = _yes_no(rng, TABULATION_PROBLEMS, risk)
    answers["protocols_altered"] = flags.pop("protocols_altered")
    if answers["protocols_altered"] == "yes":
        answers["corrections_recorded"] = "no" if rng.random() < 0.5 else "yes"
    answers.update(flags)
    if answers["results_posted"] == "no" and rng.random() < 0.5:
        answers["results_posted"] = "na"  # nothing to post yet at the time of the visit
    _overall(rng, answers, risk, bad + denied, denied)
    answers["departure_time"] = clock(departed)
    _comment(rng, answers)
    return answers
