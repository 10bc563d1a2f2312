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

REFINEMENTS (where the above is silent; the code follows these)
- Names: [A-Za-z_][A-Za-z0-9_.-]*, unique across the whole form, groups included (answers are
  one flat dict). Names starting "_station_" are reserved. A group item precedes its members.
- Labels: every item but a group needs one. normalize_definition() (run on forms/ files and
  XLSForm imports) writes "choices": "yes_no_na" on yes_no questions and adds that list, so
  stored definitions never rely on the implication. `critical` is allowed on choice types only
  (yes_no, select_one, select_multiple, time_band) and lists choice names of the question's
  list; a select_multiple answer is critical when any chosen value is.
- Checks: {"id", "expression", "message", "requires"?}. A check runs only when every name in
  "requires" (default: every name the expression reads) has a non-empty value, so partial
  forms are not flagged; use coalesce(${x}, 0) for optional terms of a sum. Checks (only
  checks) may read station values given by the server: ${_station_registered_voters}, the
  station's registered voters (missing when unknown). "." has no meaning in a check.
- Expression values are XPath 1.0's boolean, number (double) and string. An answer reads as:
  missing or null → "", number → number, list → its names joined by one space. = and !=:
  booleans if either side is boolean, else numbers if either is a number, else strings.
  < <= > >=: numbers, except that two non-empty strings that are not numbers compare as
  strings by code point, so zero-padded times "HH:MM" and dates "YYYY-MM-DD" order correctly.
  number('x') is NaN for anything but [ws]-?digits[.digits][ws] (no exponent, no '+'); NaN is
  false. string(n) never uses an exponent: 3, 0.5, 0.0000001, "NaN", "Infinity". Division by
  zero gives ±Infinity or NaN; mod keeps the dividend's sign. Functions: not, true, false,
  boolean, number, string, selected, count-selected, if(c, a, b), coalesce(a, b) (a unless
  empty), concat, contains, starts-with, string-length (code points), int (towards zero),
  round (XPath: halves up). Anything else (paths, regex(), '|', exponents …) is a syntax
  error, reported with its 0-based character position; nesting deeper than 40 or text longer
  than 2000 characters is an error too.
- Relevance: evaluated over the typed answers; hidden answers then count as blank and the
  evaluation repeats (at most 5 passes) until nothing changes, as the tablet does.
- XLSForm import (xlsform.py): required yes/true/1 (a condition is refused); labels,
  hints, constraint messages per language, "label::French (fr)" → "fr" (code in parentheses,
  else a name→code map, else the name lower-cased); settings kind, else guessed from form_id
  and title; a `critical` survey column (values separated by spaces or commas) and an optional
  `checks` sheet (id, expression, message[::language], requires) as extensions. Rows of type
  start, end, today, deviceid, username are skipped (the suite records these itself); every
  other feature the tablet cannot do (repeats, media, locations, calculations, choices from
  files or external_choices, choice filters, …) refuses the whole form with one message per
  row. A form's content is its definition without the "row" numbers.
"""
