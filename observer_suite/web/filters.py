"""Template filters every page shares."""

from datetime import datetime

from flask import Flask

from observer_suite.observations.listing import local, mission_zone


def mission_time(value: datetime | None, mission, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored instant in the mission's zone, with the zone named; "invalid date" for one
    that cannot be shown there (a stored year 9999), "–" for none."""
    if value is None:
        return "–"
    zone = mission_zone(mission)
    moment = local(value, zone)
    return f"{moment.strftime(fmt)} ({zone.key})" if moment else "invalid date"


def init_app(app: Flask) -> None:
    app.add_template_filter(mission_time, "mission_time")
