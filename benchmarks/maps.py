"""The incident map with 10,000 incidents: our compact page against folium's plain approach.

Why: election day brings thousands of incidents, and a coordinator opens the map on a
mission laptop or a phone over a poor link. folium's usual way (one Marker with one Popup
per incident inside plugins.MarkerCluster) writes about a kilobyte of JavaScript per
incident; ours writes one JSON row. This measures page size and build time for both, from the
same plain rows (no database), then the SQL load of those rows from SQLite (and PostgreSQL
with --postgres-url).

    .venv/bin/python benchmarks/maps.py [--incidents 10000] [--postgres-url URL]
"""

import argparse
import gzip
import html
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
from folium import plugins  # noqa: E402

from observer_suite import create_app  # noqa: E402
from observer_suite.extensions import db  # noqa: E402
from observer_suite.incidents.taxonomy import DEFAULT_CATEGORIES, ensure_categories  # noqa: E402
from observer_suite.maps.filters import SEVERITIES, STATUSES  # noqa: E402
from observer_suite.maps.incident_map import (  # noqa: E402
    STATUS_LABELS,
    IncidentMapData,
    IncidentPoint,
    incident_counts,
    load_incident_rows,
    render_incident_map,
)
from observer_suite.missions.services import create_mission  # noqa: E402
from observer_suite.models import (  # noqa: E402
    Area,
    Incident,
    IncidentCategory,
    PollingStation,
)
from tests.dbutil import fresh_database  # noqa: E402

SEED = 2027
STATIONS = 3_000  # observed stations: what a large domestic network covers on election day
PLACES = ["Ward", "Central", "Community", "Town Hall", "Market", "Village", "Health Centre"]
BUILDINGS = ["Primary School", "Secondary School", "Open Space", "Civic Centre", "Church Hall"]
NIGERIA = (4.3, 13.9, 2.7, 14.6)  # south, north, west, east
TITLES = [
    "Crowd blocking the entrance",
    "Ballot box not sealed",
    "Party agents handing out money",
    "Voters turned away: name missing from the register",
    "Police officer inside the polling station",
    "Fight broke out in the queue",
    "Observers refused entry",
    "Campaign posters on the polling station wall",
]


def asset(path: str) -> str:
    return f"/static/{path}"


def synthetic_stations(count: int = STATIONS) -> list[tuple[str, str, float, float]]:
    """(code, name, lat, lon) of the observed polling stations, spread over Nigeria."""
    rng = random.Random(SEED)
    south, north, west, east = NIGERIA
    return [
        (
            f"{rng.randrange(1, 38):02d}/{rng.randrange(1, 30):02d}/"
            f"{rng.randrange(1, 13):02d}/{i:03d}",
            f"{rng.choice(PLACES)} {rng.choice(BUILDINGS)} {rng.randrange(1, 9)}",
            rng.uniform(south, north),
            rng.uniform(west, east),
        )
        for i in range(count)
    ]


def synthetic(count: int) -> tuple[IncidentMapData, list[int | None]]:
    """`count` incidents, the same on every run, and the station index of each.

    80 % are reported at one of the observed stations (placed at the station, half of them
    with the tablet's own GPS a few hundred metres off); the rest anywhere in the country.
    """
    rng = random.Random(SEED)
    stations = synthetic_stations()
    south, north, west, east = NIGERIA
    start = datetime(2027, 2, 25, 6, 0, tzinfo=UTC)
    points, at = [], []
    for i in range(count):
        index = rng.randrange(len(stations)) if rng.random() < 0.8 else None
        if index is None:
            lat, lon, station = rng.uniform(south, north), rng.uniform(west, east), ""
        else:
            code, name, lat, lon = stations[index]
            lat += rng.uniform(-0.003, 0.003) if rng.random() < 0.5 else 0
            station = f"{code} \u00b7 {name}"
        at.append(index)
        points.append(
            IncidentPoint(
                id=i + 1,
                lat=lat,
                lon=lon,
                severity=rng.choice(SEVERITIES),
                category=rng.choice(DEFAULT_CATEGORIES)[0],
                status=rng.choice(STATUSES),
                title=f"{rng.choice(TITLES)} #{i + 1}",
                occurred_at=start + timedelta(minutes=rng.randrange(14 * 60)),
                station=station,
            )
        )
    data = IncidentMapData(
        points=points, categories=[(c, en) for c, en, _fr in DEFAULT_CATEGORIES], timezone="UTC"
    )
    return data, at


def ours(data: IncidentMapData) -> str:
    return render_incident_map(data, asset, incident_link="/missions/bench/incidents/").html


def folium_plain(data: IncidentMapData) -> str:
    """The textbook folium page: a Marker and a Popup per incident in a MarkerCluster."""
    labels = dict(data.categories)
    m = folium.Map(tiles=None, prefer_canvas=True, zoom_start=6, location=[9, 8])
    cluster = plugins.MarkerCluster().add_to(m)
    for p in data.points:
        popup = (
            f"<b>{html.escape(p.title)}</b><br>{p.occurred_at:%d %b %H:%M}<br>"
            f"{html.escape(p.station or 'not at a station')}<br>"
            f"{STATUS_LABELS[p.status]} · {html.escape(labels[p.category])} · {p.severity}<br>"
            f'<a href="/missions/bench/incidents/{p.id}" target="_top">Open incident</a>'
        )
        folium.Marker([p.lat, p.lon], popup=folium.Popup(popup, max_width=300)).add_to(cluster)
    return m.get_root().render()


def timed(build, data, repeat: int) -> tuple[float, str]:
    seconds, page = [], ""
    for _ in range(repeat):
        started = time.perf_counter()
        page = build(data)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), page


def load_rows(
    url: str, data: IncidentMapData, at: list[int | None], repeat: int
) -> tuple[float, float, int]:
    """Store the stations and incidents, then time the map's one query."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()
        mission = create_mission(
            slug="bench", name="Bench", country="NG", election_date=date(2027, 2, 25),
            levels="state",
        )  # fmt: skip
        ensure_categories(mission)
        area = Area(mission_id=mission.id, level=0, name="Lagos", code="25", path="25")
        db.session.add(area)
        db.session.flush()
        rng = random.Random(SEED)
        stations = [
            {"mission_id": mission.id, "area_id": area.id, "code": code, "name": name,
             "latitude": lat, "longitude": lon}
            for code, name, lat, lon in synthetic_stations()
        ]  # fmt: skip
        db.session.execute(PollingStation.__table__.insert(), stations)
        ids = dict(db.session.execute(db.select(PollingStation.code, PollingStation.id)).all())
        station_ids = [ids[row["code"]] for row in stations]
        categories = {
            c.code: c.id
            for c in db.session.scalars(
                db.select(IncidentCategory).where(IncidentCategory.mission_id == mission.id)
            )
        }
        rows = []
        for p, index in zip(data.points, at, strict=True):
            own_gps = index is None or p.lat != stations[index]["latitude"]
            rows.append(
                {
                    "uuid": str(uuid.UUID(int=rng.getrandbits(128))),
                    "mission_id": mission.id,
                    "category_id": categories[p.category],
                    "severity": p.severity,
                    "status": p.status,
                    "occurred_at": p.occurred_at,
                    "station_id": None if index is None else station_ids[index],
                    "latitude": p.lat if own_gps else None,
                    "longitude": p.lon if own_gps else None,
                    "title": p.title,
                    "description": "",
                    "content_hash": "0" * 64,
                    "received_at": p.occurred_at,
                    "updated_at": p.occurred_at,
                }
            )
        db.session.execute(Incident.__table__.insert(), rows)
        db.session.commit()
        load, count = [], []
        for _ in range(repeat):
            db.session.expire_all()
            started = time.perf_counter()
            loaded = load_incident_rows(mission)
            load.append(time.perf_counter() - started)
            started = time.perf_counter()
            incident_counts(mission)
            count.append(time.perf_counter() - started)
        placed = len(loaded.points)
        db.session.remove()
        db.engine.dispose()
    return statistics.median(load), statistics.median(count), placed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres-url", help="also time the load on this PostgreSQL server")
    args = parser.parse_args()
    data, at = synthetic(args.incidents)
    ours_s, ours_page = timed(ours, data, args.repeat)
    folium_s, folium_page = timed(folium_plain, data, args.repeat)
    ours_b, folium_b = len(ours_page.encode()), len(folium_page.encode())
    ours_z = len(gzip.compress(ours_page.encode(), 6))
    folium_z = len(gzip.compress(folium_page.encode(), 6))
    print(f"Incident map, {args.incidents:,} synthetic incidents at {STATIONS:,} stations and "
          f"elsewhere (seed {SEED}), median of {args.repeat} builds")  # fmt: skip
    print(f"{'':26}{'ours':>14}{'folium plain':>16}{'ratio':>9}")
    print(f"{'HTML size':26}{ours_b:>12,} B{folium_b:>14,} B{folium_b / ours_b:>8.1f}×")
    print(f"{'HTML size, gzip -6':26}{ours_z:>12,} B{folium_z:>14,} B{folium_z / ours_z:>8.1f}×")
    print(f"{'build time':26}{ours_s:>12.3f} s{folium_s:>14.3f} s{folium_s / ours_s:>8.1f}×")
    backends = [("SQLite", "")]
    if args.postgres_url:
        backends.append(("PostgreSQL", args.postgres_url))
    for name, base in backends:
        with fresh_database(base) as url:
            load_s, count_s, placed = load_rows(url, data, at, args.repeat)
        print(
            f"SQL load on {name}: {load_s:.3f} s for {placed:,} placed rows "
            f"(load_incident_rows); counts {count_s * 1000:.1f} ms (incident_counts)"
        )


if __name__ == "__main__":
    main()
