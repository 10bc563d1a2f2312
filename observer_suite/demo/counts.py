"""What the demo prints last: the mission's headline counts, as the pages then show them.

The simulation's own summary counts the rows it made (every status, rejected included, and
without the demo's earlier incidents); this line uses the function behind the dashboard, the
incident list, the PDF and the stats API (reporting/statistics/headline_counts.py), so the
numbers printed are the numbers a coordinator then sees.
"""

from observer_suite.models import Mission
from observer_suite.reporting.statistics.headline_counts import mission_counts


def counts_line(mission: Mission) -> str:
    counts = mission_counts(mission)
    notes = counts.notes
    return (
        f"The dashboard, incident list, PDF report and stats API now show: "
        f"{notes['observations']}; {notes['incidents']}; {notes['critical_incidents']} "
        f"({counts.critical_awaiting:,} awaiting verification)."
    )
