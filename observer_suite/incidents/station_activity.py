"""What a station has received, for the station's page: its observations and incidents.

Here rather than in observations/ because it reads both, and incidents already build on
observations (never the other way round). Queries only.
"""

from observer_suite.extensions import db
from observer_suite.incidents.listing import IncidentFilters
from observer_suite.incidents.listing import filtered as incident_query
from observer_suite.models import Incident, Mission, Observation, User
from observer_suite.observations.listing import Filters, base_query

STATION_LIMIT = 200  # a station gets a handful a day; a page is not an export


def station_activity(mission: Mission, user: User, station) -> dict:
    """The station's observations (rows as listing.base_query) and incidents (rows as
    incidents.listing.filtered), newest first, for the station's page."""
    observations = db.session.execute(
        base_query(mission, user, Filters())
        .where(Observation.station_id == station.id)
        .limit(STATION_LIMIT)
    ).all()
    incidents = db.session.execute(
        incident_query(mission, IncidentFilters())
        .where(Incident.station_id == station.id)
        .limit(STATION_LIMIT)
    ).all()
    return {"observations": observations, "incidents": incidents}
