"""The invented Republic of Veridia: regions, districts and polling stations, as plain data.

The country is drawn on a lattice of 0.15° cells between longitude 3–9 and latitude 6–12
whose corner points are bent by a gentle wave and jittered. A country outline selects cells;
regions and districts are connected sets of cells grown from seed cells, so neighbouring
areas share exactly the same border points and together tile the country without gaps or
overlaps. Boundaries are traced along the cell edges, every other border point is dropped
(the same points for both neighbours) so borders run at any angle rather than in steps, and
the result is stored as GeoJSON Polygon geometries. Polling stations are placed inside their
district's final polygon, so they are inside their region's too.

Everything is drawn from one `random.Random(SEED)`, so the same data comes out on every run.
"""

import heapq
import itertools
import math
import random
from dataclasses import dataclass, field

SEED = 2027
LON0, LAT0, CELL = 3.0, 6.0, 0.15
SIZE = 40  # cells per side: 40 × 0.15° = 6°
WAVE = 0.9  # of a cell: amplitude of the bend
JITTER = 0.15  # of a cell: random wiggle of each point
DIGITS = 5  # decimal places of coordinates (about one metre)

Cell = tuple[int, int]
Point = tuple[float, float]  # (longitude, latitude), GeoJSON order

# code, name, seed cell, growth weight (larger grows less), stations, districts
REGIONS = [
    ("R01", "Haut-Kéran", (11, 31), 1.0, 430, 5),
    ("R02", "Dassari", (28, 31), 1.0, 410, 6),
    ("R03", "Plateau-Mabo", (7, 17), 1.0, 470, 5),
    ("R04", "Sanvani", (20, 19), 1.25, 760, 7),
    ("R05", "Lac-Tassou", (32, 16), 1.0, 450, 4),
    ("R06", "Zondo", (17, 6), 1.0, 480, 6),
]
CAPITAL = "Sanvani"

SYLLABLES = [
    *("ka", "ko", "ma", "mo", "ba", "bo", "da", "do", "ga", "go", "la", "lo", "na", "no"),
    *("sa", "so", "ta", "to", "za", "zo", "ri", "ni", "ké", "dé", "sé", "wé", "djo", "gbé"),
    *("kpa", "tchi", "yo", "ro", "fa", "ha", "ou", "an", "kou", "tin", "sou", "li", "bè"),
    *("dji", "hou", "zan", "tan"),
]
REAL_NAMES = {"Mali", "Togo", "Kano", "Kara", "Lomé", "Bamako", "Dakar", "Sokoto", "Kandi"}
CENTRE_KINDS = [  # (template, weight); {p} is the place or neighbourhood
    ("EPP {p}", 30),
    ("{p} Primary School", 12),
    ("CEG {p}", 10),
    ("Centre de santé de {p}", 8),
    ("{p} Health Centre", 5),
    ("Mairie de {p}", 5),
    ("{p} Town Hall", 3),
    ("Marché de {p}", 7),
    ("{p} Market", 4),
    ("Maison des jeunes de {p}", 5),
    ("Lycée {p}", 5),
    ("Salle paroissiale de {p}", 3),
]


@dataclass
class Place:
    name: str
    code: str
    cells: set[Cell]
    polygon: list[list[Point]] = field(default_factory=list)  # exterior ring, then holes

    def geometry(self) -> dict:
        """The boundary as a GeoJSON Polygon geometry (RFC 7946, exterior counter-clockwise)."""
        return {
            "type": "Polygon",
            "coordinates": [[[lon, lat] for lon, lat in ring] for ring in self.polygon],
        }


@dataclass
class Country:
    regions: list[Place]
    districts: dict[str, list[Place]]  # by region code
    stations: list[dict[str, str]]  # rows of the station import file


def build_country() -> Country:
    rng = random.Random(SEED)
    corners = _jittered_corners(rng)
    land = _country_cells()
    grown = _grow(land, [r[2] for r in REGIONS], [r[3] for r in REGIONS], rng)
    names = _NameMaker(rng)
    district_cells: dict[str, list[set[Cell]]] = {}
    for (code, *_rest, n_districts), cells in zip(REGIONS, grown, strict=True):
        seeds = _spread_seeds(cells, n_districts, rng)
        district_cells[code] = _grow(cells, seeds, [1.0] * n_districts, rng)
    rings = {code: _trace(cells) for code, cells in zip(district_cells, grown, strict=True)}
    for code, parts in district_cells.items():
        for index, cells in enumerate(parts, start=1):
            rings[f"{code}-D{index:02d}"] = _trace(cells)
    polygons = _simplify(rings, corners)
    regions = []
    districts: dict[str, list[Place]] = {}
    for (code, name, *_rest), cells in zip(REGIONS, grown, strict=True):
        regions.append(Place(name, code, cells, polygons[code]))
        districts[code] = [
            Place(names.place(), f"{code}-D{i:02d}", part, polygons[f"{code}-D{i:02d}"])
            for i, part in enumerate(district_cells[code], start=1)
        ]
    # The capital's district takes the capital's name, as districts named after towns do.
    districts["R04"][0].name = CAPITAL
    stations = []
    for (code, _name, _seed, _weight, total, _n), region in zip(REGIONS, regions, strict=True):
        weights = [rng.uniform(0.6, 1.4) for _ in districts[code]]
        weights[0] *= 1.8  # the district of the regional capital
        for district, weight in zip(districts[code], weights, strict=True):
            target = round(total * weight / sum(weights))
            capital = district.name if district is districts[code][0] else None
            stations += _district_stations(region, district, target, capital, names, rng)
    return Country(regions, districts, stations)


# --- geometry ----------------------------------------------------------------------------


def _jittered_corners(rng: random.Random) -> dict[Cell, Point]:
    """Lattice points bent by a gentle wave (borders curve) and jittered (borders wiggle)."""
    corners = {}
    for i in range(SIZE + 1):
        for j in range(SIZE + 1):
            dx = WAVE * math.sin(j / 2.1 + 0.7) + rng.uniform(-JITTER, JITTER)
            dy = WAVE * math.sin(i / 1.9 + 2.3) + rng.uniform(-JITTER, JITTER)
            corners[i, j] = (
                round(LON0 + (i + dx) * CELL, DIGITS),
                round(LAT0 + (j + dy) * CELL, DIGITS),
            )
    return corners


def _neighbours(cell: Cell) -> list[Cell]:
    i, j = cell
    return [(i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)]


def _country_cells() -> set[Cell]:
    """Cells inside a wavy outline, cleaned so the country is one piece without holes."""
    centre = SIZE / 2
    cells = set()
    for i in range(SIZE):
        for j in range(SIZE):
            x, y = i + 0.5 - centre, j + 0.5 - centre
            angle = math.atan2(y, x)
            radius = 16.8 * (
                1 + 0.11 * math.sin(2 * angle + 0.5) + 0.07 * math.sin(3 * angle + 1.7)
            )
            radius += 0.8 * math.sin(5 * angle + 0.3) + 0.6 * math.sin(9 * angle + 2.0)
            if math.hypot(x, y * 1.05) < radius:
                cells.add((i, j))
    changed = True
    while changed:  # close diagonal-only contacts so the outline is a simple ring
        changed = False
        for i in range(SIZE - 1):
            for j in range(SIZE - 1):
                a, b, c, d = (i, j) in cells, (i + 1, j + 1) in cells, (i + 1, j), (i, j + 1)
                if a and b and c not in cells and d not in cells:
                    cells.add(c)
                    changed = True
                if c in cells and d in cells and not a and not b:
                    cells.add((i, j))
                    changed = True
    outside = {(-1, -1)}
    stack = [(-1, -1)]
    while stack:  # anything the outside cannot reach is a hole: fill it
        for n in _neighbours(stack.pop()):
            if -1 <= n[0] <= SIZE and -1 <= n[1] <= SIZE and n not in cells and n not in outside:
                outside.add(n)
                stack.append(n)
    return {(i, j) for i in range(SIZE) for j in range(SIZE) if (i, j) not in outside}


def _grow(
    cells: set[Cell], seeds: list[Cell], weights: list[float], rng: random.Random
) -> list[set[Cell]]:
    """Split cells into connected parts grown from seeds, nearest (noisy) seed first."""
    noise = {cell: rng.uniform(0, 2.0) for cell in sorted(cells)}
    owner: dict[Cell, int] = {}
    heap = []
    for index, seed in enumerate(seeds):
        if seed not in cells:
            raise ValueError(f"seed {seed} lies outside the area")
        heap.append((0.0, index, seed))
    heapq.heapify(heap)
    while heap:
        _, index, cell = heapq.heappop(heap)
        if cell in owner:
            continue
        owner[cell] = index
        for n in _neighbours(cell):
            if n in cells and n not in owner:
                dist = math.dist(n, seeds[index]) * weights[index] + noise[n]
                heapq.heappush(heap, (dist, index, n))
    parts = [set() for _ in seeds]
    for cell, index in owner.items():
        parts[index].add(cell)
    return parts


def _spread_seeds(cells: set[Cell], count: int, rng: random.Random) -> list[Cell]:
    """Farthest-point sampling: seeds spread over the area, so no district is tiny."""
    ordered = sorted(cells)
    seeds = [rng.choice(ordered)]
    while len(seeds) < count:
        seeds.append(max(ordered, key=lambda c: min(math.dist(c, s) for s in seeds)))
    return seeds


def _trace(cells: set[Cell]) -> list[list[Cell]]:
    """Boundary rings of a 4-connected cell set: the exterior ring first, then any holes.

    Edges run with the inside on their left (exterior counter-clockwise, holes clockwise).
    Where two cells touch only at a corner the trace turns left, hugging the cell it follows,
    so a ring never crosses itself and a hole may touch the exterior at one point only.
    """
    edges: dict[Cell, list[Cell]] = {}

    def edge(a: Cell, b: Cell) -> None:
        edges.setdefault(a, []).append(b)

    for i, j in cells:
        if (i, j - 1) not in cells:
            edge((i, j), (i + 1, j))
        if (i + 1, j) not in cells:
            edge((i + 1, j), (i + 1, j + 1))
        if (i, j + 1) not in cells:
            edge((i + 1, j + 1), (i, j + 1))
        if (i - 1, j) not in cells:
            edge((i, j + 1), (i, j))
    rings = []
    while edges:
        # Start where only one edge leaves, so the ring cannot close early at a corner contact.
        start = min((v for v, out in edges.items() if len(out) == 1), default=min(edges))
        ring = [start]
        here, there = start, edges[start][0]
        while True:
            edges[here].remove(there)
            if not edges[here]:
                del edges[here]
            if there == start:
                break
            ring.append(there)
            heading = (there[0] - here[0], there[1] - here[1])
            options = edges[there]
            left = (there[0] - heading[1], there[1] + heading[0])
            here, there = there, left if left in options else options[0]
        rings.append([*ring, ring[0]])
    rings.sort(key=_signed_area, reverse=True)
    if len(rings) > 1 and _signed_area(rings[1]) > 0:
        raise ValueError("area is not one connected piece")
    return rings


def _simplify(
    rings: dict[str, list[list[Cell]]], corners: dict[Cell, Point]
) -> dict[str, list[list[Point]]]:
    """Cut the cell staircase: drop every other point of each border, the same in every ring.

    A lattice point is dropped when it lies on exactly one border (between two areas, or an
    area and the outside) and its i + j is odd. Both areas on a border lose the same points,
    so they still share their border exactly; junctions of three areas are always kept.
    """
    borders: dict[Cell, set[Cell]] = {}
    for area in rings.values():
        for ring in area:
            for a, b in itertools.pairwise(ring):
                borders.setdefault(a, set()).add(b)
                borders.setdefault(b, set()).add(a)
    dropped = {v for v, ends in borders.items() if len(ends) == 2 and sum(v) % 2}
    polygons = {}
    for code, area in rings.items():
        polygon = []
        for ring in area:
            kept = [corners[v] for v in ring[:-1] if v not in dropped]
            if len(kept) < 3:
                raise ValueError(f"{code}: a boundary ring collapsed")
            polygon.append([*kept, kept[0]])
        polygons[code] = polygon
    return polygons


def _signed_area(ring: list[Point] | list[Cell]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def contains(polygon: list[list[Point]], lon: float, lat: float) -> bool:
    """Even-odd point-in-polygon over all rings (so holes are excluded)."""
    inside = False
    for ring in polygon:
        for (x0, y0), (x1, y1) in itertools.pairwise(ring):
            if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def _bbox(polygon: list[list[Point]]) -> tuple[float, float, float, float]:
    xs, ys = zip(*polygon[0], strict=True)
    return min(xs), min(ys), max(xs), max(ys)


# --- settlements and stations ------------------------------------------------------------


class _NameMaker:
    """Invented place names, never the same twice."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = {CAPITAL, *REAL_NAMES}

    def place(self) -> str:
        while True:
            parts = self.rng.choices(SYLLABLES, k=self.rng.choice((2, 2, 2, 3)))
            name = "".join(parts).capitalize()
            if self.rng.random() < 0.06:
                name = self.rng.choice(("Kpé", "Agbo", "Tori", "Mont")) + "-" + name
            if 4 <= len(name) <= 14 and name not in self.used:
                self.used.add(name)
                return name


def _random_point(polygon: list[list[Point]], rng: random.Random) -> Point:
    x0, y0, x1, y1 = _bbox(polygon)
    while True:
        lon, lat = round(rng.uniform(x0, x1), DIGITS), round(rng.uniform(y0, y1), DIGITS)
        if contains(polygon, lon, lat):
            return lon, lat


def _near(centre: Point, spread: float, polygon: list[list[Point]], rng: random.Random) -> Point:
    for _ in range(50):
        lon = round(rng.gauss(centre[0], spread), DIGITS)
        lat = round(rng.gauss(centre[1], spread), DIGITS)
        if contains(polygon, lon, lat):
            return lon, lat
    return centre


def _voters(urban: bool, rng: random.Random) -> int:
    mean, sd = (560, 110) if urban else (390, 130)
    return max(150, min(750, round(rng.gauss(mean, sd))))


def _district_stations(
    region: Place,
    district: Place,
    target: int,
    capital: str | None,
    names: _NameMaker,
    rng: random.Random,
) -> list[dict[str, str]]:
    """Towns (and in a capital district a city) take most stations; villages the rest."""
    towns = []  # (name, position, spread in degrees, stations per centre, station budget)
    if capital:
        share = 0.55 if capital == CAPITAL else 0.4
        towns.append((capital, _random_point(district.polygon, rng), 0.035, (2, 8), share))
    for _ in range(rng.randint(1, 3)):
        position = _random_point(district.polygon, rng)
        towns.append((names.place(), position, 0.012, (1, 5), rng.uniform(0.08, 0.16)))
    rows: list[dict[str, str]] = []
    centres: set[str] = set()

    def add_centre(kind: str, place: str, position: Point, size: int, urban: bool) -> None:
        centre = kind.format(p=place)
        if centre in centres:
            centre = f"{centre} {len([c for c in centres if c.startswith(centre)]) + 1}"
        centres.add(centre)
        for number in range(1, size + 1):
            if len(rows) >= target:
                return
            lon, lat = position  # stations of one centre share its coordinates
            rows.append(
                {
                    "region": region.name,
                    "region_code": region.code,
                    "district": district.name,
                    "district_code": district.code,
                    "station_code": f"{district.code}-{len(rows) + 1:04d}",
                    "name": f"{centre} — station {number}",
                    "polling_centre": centre,
                    "registered_voters": str(_voters(urban, rng)),
                    "latitude": f"{lat:.{DIGITS}f}",
                    "longitude": f"{lon:.{DIGITS}f}",
                }
            )

    kinds, weights = zip(*CENTRE_KINDS, strict=True)
    for town, position, spread, (low, high), share in towns:
        budget = len(rows) + round(target * share)
        quarters = [town] + [names.place() for _ in range(12)]
        while len(rows) < min(budget, target):
            place = rng.choice(quarters)
            kind = rng.choices(kinds, weights)[0]
            point = _near(position, spread, district.polygon, rng)
            add_centre(kind, place, point, rng.randint(low, high), urban=True)
    while len(rows) < target:
        village = names.place()
        kind = rng.choices(kinds[:4], weights[:4])[0]
        point = _random_point(district.polygon, rng)
        add_centre(kind, village, point, rng.choice((1, 1, 1, 2, 2, 3)), urban=False)
    return rows
