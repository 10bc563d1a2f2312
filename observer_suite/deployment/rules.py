"""The plan's hard rules, checked on stored routes after a manual edit.

Why here and not only in the planner: a coordinator's move, reorder, addition or removal
bypasses the planner, so the same rules (radius, closing time, opening first and closing
last, enough stations) are re-checked on the edited route and worded like the planner's.
"""

from datetime import time
from typing import overload

from .plan_common import has_coords, team_label
from .travel import haversine_km, known_point
from .types import PlanOptions, StationPoint, TeamBase


@overload
def _minutes(t: time) -> int: ...
@overload
def _minutes(t: time | None) -> int | None: ...
def _minutes(t: time | None) -> int | None:
    return None if t is None else t.hour * 60 + t.minute


def route_breaks(
    team: TeamBase,
    stations: list[StationPoint],
    kinds: list[str],
    arrivals: list[time | None],
    options: PlanOptions,
) -> tuple[list[str], list[str]]:
    """Rule breaks and notes of one team's route (stations in visiting order, kinds, times).

    Breaks (radius, closing time, opening first/closing last) need an override to publish;
    notes (too few stations, unknown coordinates) are reported like the planner reports them.
    """
    label = team_label(team)
    breaks: list[str] = []
    notes: list[str] = []
    if not stations:
        return breaks, notes
    if has_coords(team.lat, team.lon):
        for station in stations:
            if not has_coords(station.lat, station.lon):
                continue
            km = haversine_km(
                known_point(team.lat, team.lon), known_point(station.lat, station.lon)
            )
            if km > options.max_radius_km:
                breaks.append(
                    f"{label}: station {station.code} is {km:.1f} km from the base, beyond the "
                    f"{options.max_radius_km:g} km limit"
                )
    else:
        notes.append(f"{label}: no base coordinates; the radius cannot be checked")
    if kinds[0] != "opening":
        breaks.append(f"{label}: the first stop {stations[0].code} is not the opening station")
    if len(stations) < 2:
        breaks.append(f"{label}: only one station; the route has no closing station")
    elif kinds[-1] != "closing":
        breaks.append(f"{label}: the last stop {stations[-1].code} is not the closing station")
    last = _minutes(arrivals[-1]) if arrivals else None
    if arrivals and (last is None or last > _minutes(options.closing_time)):
        breaks.append(f"{label}: reaches its closing station after {options.closing_time:%H:%M}")
    n = len(stations)
    if n < options.min_stations_per_team:
        notes.append(
            f"{label}: only {n} station{'' if n == 1 else 's'} on the route "
            f"(at least {options.min_stations_per_team} wanted)"
        )
    missing = [s.code for s in stations if not has_coords(s.lat, s.lon)]
    if missing:
        notes.append(
            f"{label}: route stations without coordinates (travel unknown): {', '.join(missing)}"
        )
    return breaks, notes
