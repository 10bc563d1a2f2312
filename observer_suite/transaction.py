"""One transaction per request: the request boundary commits it or rolls it back.

Services flush (to get ids, to meet the constraints early) and never commit; views neither
commit nor roll back. web.setup ends every request: a response under 400 commits, anything
else (a 4xx or 5xx answer, an exception) rolls back. A view that refuses after a partial
write but still answers under 400 (a redirect after a flashed error, a form shown again)
calls `abandon`, usually through errors.show_refusal.
"""

from observer_suite.extensions import db, session_started


def abandon() -> None:
    """Drop what this request has written, now rather than at the boundary: the page that
    follows reads the database afresh, and on PostgreSQL a session whose flush failed can
    read nothing until it is rolled back. The boundary then commits an empty transaction."""
    if session_started():
        db.session.rollback()
