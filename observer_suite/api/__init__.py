"""JSON API under /api/v1 (blueprint `api`), described at /api/v1/openapi.json.

Auth: the session cookie (the tablet client) or `Authorization: Bearer <token>` from
POST /api/v1/auth/token {"username", "password"} → 201 {"token", "expires_at"}.
CSRF: exempt only for bearer-token requests; cookie requests send the X-CSRFToken header.
Errors: {"error": "<short code>", "detail": "<text>", "field": "<name or null>",
         "fields": {"<name>": "<message>", …} (422 only)}; never a 500 page.

GET  /api/v1/me/assignments   → {"mission": {...}, "team": {"code", "members": [...]} | null,
                                 "plan": {"id", "name", "election_day"} | null,
                                 "stations": [{"id", "code", "name", "area", "lat", "lon",
                                              "position", "kind", "planned_arrival"}]}
GET  /api/v1/stations?q=…     → {"stations": [... same fields, no position ...]} (≤ 50, search)
GET  /api/v1/forms            → {"forms": [{"id", "form_id", "version", "kind", "title"}]}
GET  /api/v1/forms/<id>       → the canonical definition plus "id"
POST /api/v1/submissions      {"uuid", "form_id", "form_version", "station_code",
                               "arrived_at", "departed_at", "answers"}
     → 201 {"id", "uuid", "status": "created"} | 200 same id on identical replay
     | 409 same uuid, different content | 422 {"fields": {...}} | 403 not your team's station
"""
