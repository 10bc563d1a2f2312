"""PDF reports: the election-day report, the regional briefing and the incident report."""
