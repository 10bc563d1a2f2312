"""The OpenAPI description of GET /api/v1/stats/indicators (merged into openapi.document)."""

ERROR = {"$ref": "#/components/schemas/Error"}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


def _query(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


STATS_PATHS = {
    "/api/v1/stats/indicators": {
        "get": {
            "summary": "Election-day statistics: coverage, forms received vs expected, "
            "indicators by region, assessments, critical answers, incidents (coordinators, "
            "analysts, leads); the numbers of the dashboard and the PDF reports",
            "parameters": [
                _query(
                    "mission",
                    "Mission slug; default: the most recent mission you belong to",
                    {"type": "string"},
                ),
                _query(
                    "until",
                    "Data cut-off, ISO 8601; without an offset in the mission's local time; "
                    "default: now",
                    {"type": "string"},
                ),
                _query(
                    "region",
                    "A region code: that region, broken down by its districts",
                    {"type": "string"},
                ),
                _query("lang", "Language of labels (default en)", {"enum": ["en", "fr"]}),
            ],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/ElectionDayStats"}
                        }
                    },
                },
                "401": _error("Not logged in, or a bad token"),
                "403": _error("Your role may not view reports"),
                "404": _error("Not found among your missions"),
                "422": _error("A bad until, region or lang; `field` names it"),
            },
        }
    }
}

NULLABLE_NUMBER = {"type": ["number", "null"]}
ARRAY = {"type": "array", "items": {"type": "object"}}

STATS_SCHEMAS = {
    "ElectionDayStats": {
        "type": "object",
        "description": "Field for field ElectionDayStats "
        "(observer_suite/reporting/statistics/election_day_stats.py): "
        "per-area lists are aligned with `areas`; shares are proportions (0..1), null when N "
        "is 0 (no data); `margin` only in sample mode",
        "required": ["mission_slug", "until", "mode", "areas", "coverage", "indicators"],
        "properties": {
            "mission_slug": {"type": "string"},
            "generated_at": {"type": "string", "format": "date-time"},
            "until": {"type": "string", "format": "date-time"},
            "region": {"type": ["object", "null"]},
            "mode": {"enum": ["purposive", "sample"]},
            "confidence": NULLABLE_NUMBER,
            "areas": ARRAY,
            "coverage": {"type": "object"},
            "area_coverage": ARRAY,
            "forms": ARRAY,
            "teams_without_opening": ARRAY,
            "indicators": ARRAY,
            "assessments": ARRAY,
            "critical_answers": ARRAY,
            "incidents": {"type": "object"},
            "counts": {
                "type": "object",
                "description": "The headline counts every page shows (observations, "
                "incidents, critical incidents: not rejected, in by the cut-off), the rejected "
                "ones each leaves out, and `notes`: each figure with its caveat, e.g. "
                "'70 critical incidents, 5 rejected not counted'",
                "properties": {
                    **{
                        name: {"type": "integer"}
                        for name in (
                            "observations",
                            "observations_rejected",
                            "incidents",
                            "incidents_rejected",
                            "critical_incidents",
                            "critical_rejected",
                            "critical_awaiting",
                        )
                    },
                    "notes": {"type": "object", "additionalProperties": {"type": "string"}},
                },
            },
        },
    }
}
