"""JSON API under /api/v1 (blueprint `api`), described at /api/v1/openapi.json.

Auth: the session cookie (the tablet client) or `Authorization: Bearer <token>` from
POST /api/v1/auth/token {"username", "password"} → 201 {"token", "token_type", "expires_at"}.
CSRF: exempt only for bearer-token requests; cookie requests send the X-CSRFToken header.
Errors: {"error": "<short code>", "detail": "<text>", "field": "<name or null>",
         "fields": {"<name>": "<message>", …} (422 only)}; never a 500 page.

GET  /api/v1/me/assignments   → {"mission": {...}, "team": {"code", "members": [...]} | null,
                                 "plan": {"id", "name", "election_day"} | null,
                                 "stations": [{"id", "code", "name", "area", "lat", "lon",
                                              "position", "kind", "planned_arrival"}],
                                 "route_change": {"previous_plan_id", "previous_codes",
                                   "added", "removed", "reordered"} | null}
GET  /api/v1/stations?q=…     → {"stations": [... same fields, no position ...]} (≤ 50, search)
GET  /api/v1/forms            → {"forms": [{"id", "form_id", "version", "kind", "title"}]}
GET  /api/v1/forms/<id>       → the canonical definition plus "id"
POST /api/v1/submissions      {"uuid", "form_id", "form_version", "station_code",
                               "arrived_at", "departed_at", "answers"}
     → 201 {"id", "uuid", "status": "created", "flags"} | 200 same id on identical replay
     | 409 same uuid, different content | 422 {"fields": {...}} | 403 not your team's station
POST /api/v1/incidents        {"uuid", "category", "severity", "occurred_at", "station_code"?,
                               "latitude"?, "longitude"?, "title", "description"?,
                               "observation_uuid"?, "question"?, "mission"?,
                               "photos"?: [{"filename", "content_type", "data" (base64)}]}
     → 201 {"id", "uuid", "status": "created"} | 200 same id on identical replay
     | 409 same uuid, different content | 422 {"fields": {...}} | 403 not your team's station
GET  /api/v1/incidents/categories → {"categories": [{"code", "labels": {"en", "fr", …}}]}
GET  /api/v1/me/incidents     → {"incidents": [{"id", "uuid", "category", "severity", "status",
                                 "occurred_at", "station_code", "latitude", "longitude",
                                 "title", "observation_uuid", "question", "photos" (count),
                                 "received_at"}]}

REFINEMENTS (where the above is silent; the code follows these)
- Mission: GET endpoints take ?mission=<slug> (default: the most recent mission the user
  belongs to; 404 "not_found", field "mission", when none). A submission's mission is its
  station's: the code is looked up in the user's missions; "mission" (body or query) is needed
  only when the code exists in several of them (else 422 on field "mission").
- Tokens: 32 random bytes (urlsafe), stored as SHA-256 hex, valid API_TOKEN_DAYS (default 30);
  rate-limited like /login (LOGIN_RATE_LIMIT, per client address); 401 "invalid_credentials"
  on a wrong password or an inactive user. A token acts with its user's role, nothing more.
  DELETE /api/v1/auth/token revokes the token the request carries (204). last_used_at is
  refreshed at most once a minute and `uses` counts those refreshes (no hot row lock).
- Request bodies must be Content-Type application/json (415 otherwise); malformed JSON or a
  non-object body → 400 "invalid_json". Unknown error codes from werkzeug are its name in
  snake case ("not_found", "method_not_allowed"); a failed CSRF check is 400 "csrf_failed".
- Submissions: uuid is any RFC 4122 text form (stored lower-case); form_version may be a
  string or an integer; arrived_at is required and, like departed_at (optional, may be null),
  ISO 8601 with a UTC offset. Structural problems → 422 "invalid_submission" with every bad
  field. Unknown station → 422 "unknown_station" (field station_code); unknown form_id → 422
  "unknown_form" on form_id, a known form_id with an unknown version → on form_version. Any
  stored version of the form is accepted, not only the active one (tablets may be behind).
  Answers are validated with the form's skip logic, types, required and constraints
  (checklists.validation): 422 "invalid_answers" with fields "answers.<question>"; answers to
  hidden questions are dropped.
- Intake door (both POSTs; util/intake_checks.py, instants.py): arrays and objects nested
  more than 32 deep (or more than 10,000 of them) → 400 "too_deep" before parsing. Control
  characters (C0 but tab, line feed, carriage return; DEL; C1) in any string of the body,
  keys included → 422 naming the field ("answers.remarks", "photos.0.filename"); one-line
  fields refuse tab and line breaks too. arrived_at, departed_at and occurred_at must lie
  within 366 days of the mission's election dates (election_date, second_round_date) →
  else 422 "implausible_time" on that field. Integer and decimal answers: finite, at most
  10^12 in size (checklists.validation.NUMBER_LIMIT) before the form's own constraints.
- Replays: content_hash = SHA-256 of the canonical JSON (sorted keys, compact separators,
  UTF-8) of the submitted fields uuid, form_id, form_version, station_code, arrived_at,
  departed_at, answers, mission (those present), exactly as sent. Same uuid + same hash from a
  member of the observation's mission → 200 {"status": "replayed"} with the stored id and
  flags, even if the form or plan changed since; otherwise → 409 "conflict", field "uuid".
  A replay is recognised whatever has changed since: the unique index refuses the insert, or
  the submission is refused, and only then is the stored row compared. A unique violation
  that is not the uuid (a station or form removed meanwhile) → 503 "retry"; a database that
  cannot be reached → 503 "database_unavailable"; both with Retry-After. Submissions are
  exempt from per-address rate limits (a fleet of tablets may share one carrier NAT).
- Who: roles with SUBMIT_OBSERVATIONS (observer, lto, coordinator, admin). Observers and LTOs
  need a team in the mission (else 403) and may submit for stations of their team's route in
  the latest published plan, or stations no team has there; a station on another team's route
  → 403 "not_your_station" naming that team. Coordinators and admins: any station of their
  missions. The observation's team is the user's team (null for staff without one).
- Flags: the form's failed checks (run with {"_station_registered_voters": the station's
  registered voters}) plus "departure_before_arrival"; a flagged observation is stored with
  review status "flagged" and an automatic first history entry. The 201/200 body carries
  "flags": [{"id", "message"}]. Critical answers are stored on the observation.
- Assignments: team also has "kind" (sto | lto); members are [{"name", "role"}]; stations are
  the team's route in the latest published plan ([] for staff without a team). Mission has
  "slug", "name", "election_date", "timezone", "languages".
- Stations search: any member of the mission; matches code, name or polling centre; items
  also carry "registered_voters". Forms: the active version per form_id; /forms/<id> serves
  any version of a visible mission, with "active".
- Incidents (incidents/payload.py, photos.py, submission.py) follow the submission rules:
  same uuid handling, 400/415/422/403 shapes, 422 "invalid_incident" naming every bad field
  ("severity", "photos.0", …), and the station rule (helpers shared with observations). Who:
  roles with REPORT_INCIDENTS; the incident's team is the reporter's team in the mission.
  severity is low | medium | high | critical; category is an active code of the mission
  (else 422 "unknown_category"); occurred_at ISO 8601 with an offset; title required (≤ 200
  printable characters), description optional (≤ 5000, line breaks allowed). Place:
  station_code, or latitude and longitude (both or neither; ±90, ±180), or both; none → 422
  on station_code. Without a station the mission is "mission" (body or query), else the
  user's most recent one (422 "unknown_mission" when none). observation_uuid (+ question,
  which needs it): an observation of the same mission and, for observers and LTOs, the same
  team, else 422 on observation_uuid; the question must be one of its form's (not
  necessarily still answered critically); an observation not yet on the server (still in
  the tablet's outbox) is not an error: the incident is stored unlinked.
- Photos: at most INCIDENT_MAX_PHOTOS (default 3) → 422 on "photos"; each at most
  INCIDENT_PHOTO_MAX_MB (default 5) decoded; data is base64 (a data: URL prefix is
  accepted); the first bytes must be JPEG, PNG or WebP and agree with content_type
  (image/jpeg, image/png, image/webp) → else 422 on "photos.<n>". The filename is reduced to
  ASCII letters, digits, ".", "-", "_" (≤ 100) with the type's extension. Stored in the
  database in the incident's transaction: a refused photo stores nothing. A body over
  MAX_CONTENT_LENGTH is 413.
- Incident content_hash: as for submissions over uuid, category, severity, occurred_at,
  station_code, latitude, longitude, title, description, observation_uuid, question, photos,
  mission (those present, as sent), except that each photo's "data" is replaced by "sha256",
  the hex SHA-256 of its decoded bytes.
- Categories: any member of the mission; the default taxonomy is made on first use.
  me/incidents: the incidents of the user's team in the mission, plus those the user
  reported (staff without a team see only their own), newest occurred_at first, at most 200.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint, the bearer-token loader, and the token endpoint as public."""
    from observer_suite.api.views import bp
    from observer_suite.auth.setup import PUBLIC_ENDPOINTS
    from observer_suite.auth.tokens import load_user_from_request
    from observer_suite.extensions import login_manager

    app.register_blueprint(bp)
    login_manager.request_loader(load_user_from_request)
    PUBLIC_ENDPOINTS.add("api.create_token")
