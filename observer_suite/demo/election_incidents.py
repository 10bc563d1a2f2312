"""Incident reports of the simulated election day: what teams saw, as they would word it.

Plain data and plain functions (no database): `incident_fields()` picks the category, severity,
status, wording and timing of one incident from the visit it happened at; election_day.py
turns that into rows. Troubled stations report more and worse incidents.
"""

import random

from observer_suite.models import IncidentStatus, Severity

# category code → (title templates, description templates); {station}, {time}, {n} filled in
TEMPLATES: dict[str, tuple[list[str], list[str]]] = {
    "ballot_stuffing": (
        ["Ballots folded together found in the box", "Voter seen putting several ballots in"],
        [
            "At {station} around {time} the team saw about {n} ballots folded together dropped "
            "into the box at once. The presiding officer did not intervene."
        ],
    ),
    "vote_buying": (
        ["Cash handed out near the queue", "Food parcels offered to voters"],
        [
            "Near {station} at {time} a man in party colours handed small envelopes to about {n} "
            "voters waiting in the queue."
        ],
    ),
    "voter_intimidation": (
        ["Group shouting at voters in the queue", "Voters told how to vote at the entrance"],
        [
            "At {station} around {time} a group of about {n} young men stood at the entrance and "
            "questioned voters about their choice. Some voters left without voting."
        ],
    ),
    "violence": (
        ["Scuffle at the entrance", "Fight between party supporters"],
        [
            "At {station} at {time} a fight broke out between supporters of two parties; about "
            "{n} people were involved. Police restored order after some minutes."
        ],
    ),
    "observer_obstruction": (
        ["Presiding officer refused the team entry", "Team asked to leave before the count"],
        [
            "At {station} at {time} the presiding officer refused to let the team observe and "
            "asked for a letter from the district office, although accreditation was shown."
        ],
    ),
    "missing_materials": (
        ["Indelible ink missing", "Not enough ballots for the voters in the queue"],
        [
            "At {station} at {time} voting was interrupted: about {n} voters waited while staff "
            "sent for more materials from the district office."
        ],
    ),
    "campaign_material": (
        ["Party posters on the station wall", "Campaign T-shirts worn by staff"],
        [
            "At {station} at {time} campaign posters of one party were displayed inside the "
            "polling station and were not removed when the team pointed them out."
        ],
    ),
    "secrecy_breach": (
        ["Booth faces the window", "Voters marking ballots in the open"],
        [
            "At {station} around {time} voters marked their ballots in view of staff and party "
            "agents; the screen was placed facing the window."
        ],
    ),
    "unauthorised_persons": (
        ["Security agents inside the station", "Local official directing the staff"],
        [
            "At {station} at {time} {n} persons without accreditation were inside the polling "
            "station and gave instructions to the staff."
        ],
    ),
    "result_manipulation": (
        ["Protocol figures changed after the count", "Results protocol not posted"],
        [
            "At {station} at {time} figures on the results protocol were corrected after the "
            "count without explanation; the difference was about {n} votes."
        ],
    ),
    "team_security": (
        ["Road blocked, team turned back", "Team vehicle stopped at an informal checkpoint"],
        [
            "At {time} on the way to the next station the team was stopped by about {n} armed "
            "men and had to turn back. Nobody was hurt."
        ],
    ),
    "other": (
        ["Power cut during the count", "Heavy rain flooded the polling station"],
        [
            "At {station} at {time} work stopped for about {n} minutes; staff continued by "
            "torchlight."
        ],
    ),
}
# a critical answer's question → the category its incident gets
FROM_QUESTION = {
    "unauthorised_present": "unauthorised_persons",
    "secrecy": "secrecy_breach",
    "secrecy_layout": "secrecy_breach",
    "intimidation": "voter_intimidation",
    "ballot_box_sealed": "ballot_stuffing",
    "ballot_box_shown_empty": "ballot_stuffing",
    "materials_present": "missing_materials",
    "count_visible": "observer_obstruction",
    "access_granted": "observer_obstruction",
    "protocol_posted": "result_manipulation",
    "protocols_altered": "result_manipulation",
    "campaign_material": "campaign_material",
}
CATEGORY_WEIGHTS = {
    "ballot_stuffing": 3,
    "vote_buying": 6,
    "voter_intimidation": 6,
    "violence": 3,
    "observer_obstruction": 4,
    "missing_materials": 8,
    "campaign_material": 7,
    "secrecy_breach": 6,
    "unauthorised_persons": 6,
    "result_manipulation": 2,
    "team_security": 2,
    "other": 4,
}
AWAY_FROM_STATIONS = ["team_security", "violence", "vote_buying", "voter_intimidation"]
SEVERITIES = [Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]
STATUS_WEIGHTS = {
    IncidentStatus.REPORTED: 40,
    IncidentStatus.VERIFIED: 28,
    IncidentStatus.FOLLOW_UP: 10,
    IncidentStatus.RESOLVED: 14,
    IncidentStatus.REJECTED: 8,
}
# the triage path to each status: (status, comment) after "reported"
PATHS = {
    IncidentStatus.REPORTED: [],
    IncidentStatus.VERIFIED: [("verified", "Confirmed by phone with the team")],
    IncidentStatus.REJECTED: [("rejected", "Duplicate of an earlier report")],
    IncidentStatus.FOLLOW_UP: [
        ("verified", "Confirmed by the LTO"),
        ("follow_up", "Raised with the district election office"),
    ],
    IncidentStatus.RESOLVED: [
        ("verified", "Confirmed by phone with the team"),
        ("follow_up", "Raised with the district election office"),
        ("resolved", "Election office took action; situation normal"),
    ],
}


def severity(rng: random.Random, risk: float) -> Severity:
    """Mostly low and medium; troubled places report more high and critical ones."""
    weights = [42, 34, 16 * (1 + 1.5 * risk), 5 * (1 + 3 * risk)]
    return rng.choices(SEVERITIES, weights)[0]


def category(rng: random.Random, critical: list[str], away: bool, known: set[str]) -> str:
    """The category code: from a critical answer when there is one, else by frequency."""
    if away:
        choices = [c for c in AWAY_FROM_STATIONS if c in known]
    else:
        choices = [FROM_QUESTION[q] for q in critical if FROM_QUESTION.get(q) in known]
        if not choices:
            choices = rng.choices(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()))
            choices = [c for c in choices if c in known]
    return rng.choice(choices or sorted(known))


def wording(rng: random.Random, code: str, station: str, at: str) -> tuple[str, str]:
    """(title, description) from the category's templates; unknown categories get `other`'s."""
    titles, descriptions = TEMPLATES.get(code, TEMPLATES["other"])
    n = rng.randint(2, 40)
    text = rng.choice(descriptions).format(station=station, time=at, n=n)
    return rng.choice(titles), text


def status(rng: random.Random) -> IncidentStatus:
    return rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
