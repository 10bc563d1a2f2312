"""Checklists: form definitions as data, XLSForm import, answer validation, review.

THE CANONICAL FORM DEFINITION (stored in Form.definition, sent to tablets as is)
-----------------------------------------------------------------------------
{
  "form_id": "eom_voting",              # XLSForm settings.form_id
  "version": "2026112801",              # settings.version (string)
  "kind": "voting",                     # opening | voting | closing | counting | tabulation | other
  "title": {"en": "Voting", "fr": "Vote"},
  "default_language": "en",
  "languages": ["en", "fr"],            # ISO 639-1 codes
  "questions": [                        # flattened, in display order
    {
      "name": "ballot_box_sealed",      # unique in the form
      "type": "yes_no",                 # see TYPES below; groups are items of type "group"
      "label": {"en": "…", "fr": "…"},
      "hint": {"en": "…"},              # optional
      "required": true,                 # optional, default false
      "relevant": "${box_shown} = 'yes'",  # optional skip logic (expression)
      "constraint": ". >= 0",           # optional (expression, "." is this answer)
      "constraint_message": {"en": "…"},
      "choices": "yes_no",              # list name in "choices" (select types)
      "critical": ["no"],               # optional: answer values flagged as critical
      "group": "g_materials",           # enclosing group name or null; groups nest this way
      "row": 12                         # source row (XLSForm survey row), for messages
    }
  ],
  "choices": {"yes_no": [{"name": "yes", "label": {"en": "Yes", "fr": "Oui"}}, …]},
  "checks": [                           # consistency rules: observation flagged when false
    {"id": "cast_le_registered", "expression": "${ballots_cast} <= ${registered_voters}",
     "message": {"en": "More ballots cast than registered voters"}}
  ]
}

TYPES: yes_no (choices yes / no / na, list "yes_no_na" implied when none given),
select_one, select_multiple, time_band (a select_one whose choices are time bands), integer,
decimal, text, time ("HH:MM"), date ("YYYY-MM-DD"), note (no answer), group (no answer).

ANSWERS (Observation.answers, the API's "answers"): {name: value}; select_one / yes_no /
time_band: the choice name; select_multiple: list of choice names; integer: int; decimal:
number; text/time/date: string. Questions that are not relevant (their own `relevant` or an
enclosing group's is false) carry no answer; the server drops any it receives.

EXPRESSIONS (one grammar, evaluated identically by observer_suite/checklists/expressions.py
and static/js/expressions.js, checked against tests/checklists/expression_vectors.json):
${name} references, "." (the current answer), number and string literals ('…' or "…"),
= != < <= > >=, and, or, not(…), + - * div mod, unary minus, parentheses,
selected(${q}, 'value'), count-selected(${q}), and a few helpers named in the vectors file.
"""
