"""The observer's tablet client: an offline-capable PWA served under /tablet/.

The server side is small on purpose: it serves the app shell (one page, hash routing), the
service worker (from /tablet/ so its scope covers the shell) and the web app manifest. All
data flows through the JSON API (/api/v1): assignments, forms, submissions. The client keeps
drafts, cached data and an outbox of unsent observations in IndexedDB (static/tablet/).
"""

from observer_suite.tablet.views import bp

__all__ = ["bp"]
