"""A small checklist in the canonical format, with skip logic and a constraint in play."""

YES_NO = [
    {"name": "yes", "label": {"en": "Yes", "fr": "Oui"}},
    {"name": "no", "label": {"en": "No", "fr": "Non"}},
    {"name": "na", "label": {"en": "Not applicable", "fr": "Sans objet"}},
]
# A small checklist in the canonical format, with skip logic and a constraint in play:
# answering 'no' to opened_on_time asks for minutes_late (1 to 600).
DEFINITION = {
    "form_id": "tablet_opening",
    "version": "2026112801",
    "kind": "opening",
    "title": {"en": "Opening", "fr": "Ouverture"},
    "default_language": "en",
    "languages": ["en", "fr"],
    "questions": [
        {
            "name": "g_opening",
            "type": "group",
            "label": {"en": "Opening", "fr": "Ouverture"},
            "group": None,
            "row": 2,
        },
        {
            "name": "opened_on_time",
            "type": "yes_no",
            "choices": "yes_no",
            "required": True,
            "label": {
                "en": "Did the station open on time?",
                "fr": "Le bureau a-t-il ouvert à l'heure ?",
            },
            "critical": ["no"],
            "group": "g_opening",
            "row": 3,
        },
        {
            "name": "minutes_late",
            "type": "integer",
            "required": True,
            "label": {"en": "How many minutes late?", "fr": "Combien de minutes de retard ?"},
            "relevant": "${opened_on_time} = 'no'",
            "constraint": ". >= 1 and . <= 600",
            "constraint_message": {
                "en": "Between 1 and 600 minutes",
                "fr": "Entre 1 et 600 minutes",
            },
            "group": "g_opening",
            "row": 4,
        },
        {
            "name": "voters_waiting",
            "type": "integer",
            "constraint": ". >= 0",
            "label": {"en": "Voters waiting at opening", "fr": "Électeurs en attente"},
            "hint": {"en": "Your best estimate", "fr": "Votre meilleure estimation"},
            "group": None,
            "row": 5,
        },
        {
            "name": "remarks",
            "type": "text",
            "label": {"en": "Remarks", "fr": "Remarques"},
            "group": None,
            "row": 6,
        },
    ],
    "choices": {"yes_no": YES_NO},
    "checks": [],
}
