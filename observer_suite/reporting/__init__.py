"""Building blocks for PDF and map reports: fonts, styles, escaping, vector maps, colours.

Report modules (deployment plans, election-day statistics, incident summaries) compose these
so every report looks alike and treats user text the same safe way.
"""
