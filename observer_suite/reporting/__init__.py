"""Reports for mission leads: the dashboard, the indicator definitions and the PDF downloads.

`statistics/` aggregates observations and incidents in SQL into one plain-data object;
`pdf/` lays that object out as PDF. Fonts, styles, escaping, vector maps and colours shared
with other capabilities live in observer_suite.util.
"""
