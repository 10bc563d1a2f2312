"""The response schema of GET /api/v1/stats/indicators (merged into openapi.document)."""

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
