"""Observations: storing submissions, reviewing them, finding and exporting them.

access.py       the team scope every observation query applies
payload.py      a submission as sent: fields typed and checked, the content hash
submission.py   one submitted checklist → an Observation (the API's POST /api/v1/submissions):
                replay/conflict by uuid + content hash, team rules, validation, flags
review.py       review status changes (received → verified / flagged / rejected) with history
listing.py      the filtered observation query behind the list, the counts and the exports
answers.py      answers shown with labels, question columns for exports
export.py       CSV and XLSX, one row per observation, one column per question
views.py        the review pages under /missions/<slug>/observations
queue.py        next flagged / next unreviewed, and what a station received (its page)
entry.py        the checklist as web form fields; an observation entered for a team
                (coordinator, clerk) through submission.submit
correction.py   a correction = a new version of the same observation (same uuid); the
                replaced version kept in ObservationVersion, shown on the observation page
entry_views.py  the entry and correction pages

Flags: a submission whose consistency checks fail (the form's `checks`, plus departure before
arrival) is stored with its flags and review status "flagged", and the automatic flag is the
first entry of its review history (username null). "Flagged only" in the list means: failed
checks or review status flagged. Nothing is rejected for failing a check; reviewers decide.
"""
