"""Findings by area: SQL shares equal shares counted by hand; no observations is "no data"."""

import random
from collections import defaultdict

import pytest

from observer_suite.maps.findings import find_indicator, findings, indicators, scale_questions
from observer_suite.maps.findings_map import format_share, share_class
from observer_suite.models import ReviewStatus
from tests.fixtures.factories import new_area, new_form, new_observation, new_station

SCALE = [{"name": n, "label": {"en": n}} for n in ("very_good", "good", "bad", "very_bad")]
YES_NO = [{"name": n, "label": {"en": n}} for n in ("yes", "no", "na")]


def _form(form_id, title, questions):
    return {
        "form_id": form_id,
        "version": "1",
        "kind": "voting",
        "title": {"en": title},
        "default_language": "en",
        "languages": ["en"],
        "questions": questions,
        "choices": {"assessment": SCALE, "yes_no_na": YES_NO},
        "checks": [],
    }


VOTE = _form(
    "vote",
    "Voting",
    [
        {"name": "sealed", "type": "yes_no", "label": {"en": "Sealed?"}, "choices": "yes_no_na",
         "critical": ["no"]},
        {"name": "queue", "type": "select_one", "label": {"en": "Queue"}, "choices": "assessment"},
        {"name": "overall", "type": "select_one", "label": {"en": "Overall"},
         "choices": "assessment"},
    ],
)  # fmt: skip
COUNT = _form(
    "count",
    "Counting",
    [{"name": "overall", "type": "select_one", "label": {"en": "All"}, "choices": "assessment"}],
)
ANSWERS = ["very_good", "good", "bad", "very_bad", None, ""]


def _square(lon: float, lat: float) -> dict:
    ring = [[lon, lat], [lon + 1, lat], [lon + 1, lat + 1], [lon, lat + 1], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def world(db, mission_factory):
    """Regions North, South and East (East unobserved); stations at ward and district level;
    two forms (one with an old version still holding observations); 120 observations."""
    mission = mission_factory(slug="fw", levels="region,district,ward")
    north = new_area(mission, "North", "N", boundary=_square(7, 8))
    south = new_area(mission, "South", "S", boundary=_square(7, 6))
    east = new_area(mission, "East", "E", boundary=_square(9, 7))
    n1, n2 = new_area(mission, "N one", "1", north), new_area(mission, "N two", "2", north)
    s1, e1 = new_area(mission, "S one", "1", south), new_area(mission, "E one", "1", east)
    wards = [new_area(mission, f"W{i}", f"W{i}", p) for i, p in enumerate((n1, n1, s1, e1))]
    region_of, district_of, stations = {}, {}, []
    for i, (area, region, district) in enumerate(
        [(wards[0], north, n1), (wards[1], north, n1), (n2, north, n2), (wards[2], south, s1),
         (wards[2], south, s1), (wards[3], east, e1)]
    ):  # fmt: skip
        station = new_station(mission, f"P{i}", area, name=f"Station {i}", registered_voters=None,
                              latitude=7.5, longitude=8.5)  # fmt: skip
        stations.append(station)
        region_of[station.id], district_of[station.id] = region.id, district.id
    forms = {
        "vote-old": new_form(mission, VOTE, version="0", active=False, source=""),
        "vote": new_form(mission, VOTE, source=""),
        "count": new_form(mission, COUNT, kind="counting", source=""),
    }
    rng = random.Random(5)
    records = []
    for _ in range(120):
        station = rng.choice(stations[:5])  # never the East station
        key = rng.choice(list(forms))
        answers = {}
        for question in ("overall", "queue") if key != "count" else ("overall",):
            value = rng.choice(ANSWERS)
            if value is not None:
                answers[question] = value
        critical = rng.choice([[], [], ["sealed"], ["sealed", "overall"]])
        status = rng.choice([ReviewStatus.RECEIVED] * 4 + [ReviewStatus.REJECTED])
        new_observation(forms[key], station, answers, review_status=status, critical=critical)
        records.append((station.id, forms[key].form_id, answers, critical, status))
    db.session.commit()
    return {
        "mission": mission,
        "records": records,
        "region_of": region_of,
        "district_of": district_of,
        "regions": {"North": north.id, "South": south.id, "East": east.id},
    }


def _by_hand(world, key, level):
    """The same indicator counted in Python, record by record."""
    kind, _, rest = key.partition(":")
    form_id, _, question = rest.partition(":")
    group = world["region_of"] if level == 0 else world["district_of"]
    observed, matching = defaultdict(int), defaultdict(int)
    for station, form, answers, critical, status in world["records"]:
        if status == ReviewStatus.REJECTED or (form_id != "*" and form != form_id):
            continue
        if kind == "negative":
            if not answers.get(question):
                continue
            hit = answers[question] in ("bad", "very_bad")
        else:
            hit = bool(critical)
        observed[group[station]] += 1
        matching[group[station]] += hit
    return observed, matching


def test_indicators_come_from_active_forms(world):
    keys = [i.key for i in indicators(world["mission"])]
    assert keys == [
        "negative:count:overall",
        "critical:count",
        "negative:vote:queue",
        "negative:vote:overall",
        "critical:vote",
        "critical:*",
    ]
    assert [q["name"] for q in scale_questions(VOTE)] == ["queue", "overall"]
    assert find_indicator(world["mission"], "nope").key == keys[0]


@pytest.mark.parametrize(
    "key",
    ["negative:vote:overall", "negative:vote:queue", "negative:count:overall", "critical:vote",
     "critical:*"],
)  # fmt: skip
@pytest.mark.parametrize("level", [0, 1])
def test_shares_equal_counts_by_hand(world, key, level):
    rows = findings(world["mission"], key, level)
    observed, matching = _by_hand(world, key, level)
    assert sum(observed.values()) > 10
    for row in rows:
        assert (row.observed, row.matching) == (observed[row.area_id], matching[row.area_id])
        if observed[row.area_id]:
            assert row.share == pytest.approx(matching[row.area_id] / observed[row.area_id])
        else:
            assert row.share is None
    assert len(rows) == (3 if level == 0 else 4)


def test_an_unobserved_region_is_no_data_not_zero(world):
    rows = {r.name: r for r in findings(world["mission"], "critical:*", 0)}
    assert rows["East"].observed == 0 and rows["East"].share is None
    assert rows["North"].share is not None
    assert format_share(None) == "no data" and share_class(None) is None
    assert format_share(0.0) == "0.0%" and share_class(0.0) == 0


def test_unknown_indicator_is_an_error(world):
    with pytest.raises(ValueError, match="not offered"):
        findings(world["mission"], "critical:nope", 0)


def test_page_and_map_show_no_data(world, user_factory, login):
    client = login(user_factory(role="analyst", missions=[world["mission"]]))
    page = client.get("/missions/fw/maps/findings?indicator=critical:*&level=0")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    east = html[html.index(f'data-area="{world["regions"]["East"]}"') :]
    east = east[: east.index("</tr>")]
    assert "no data" in east and "0.0%" not in east
    rows = {r.name: r for r in findings(world["mission"], "critical:*", 0)}
    north = rows["North"]
    assert f"{100 * north.share:.1f}%" in html
    frame = client.get("/missions/fw/maps/findings/map?indicator=critical:*&level=0")
    assert frame.status_code == 200
    text = frame.get_data(as_text=True)
    assert "no data (no observations)" in text
    assert f"({north.matching:,} of {north.observed:,} observations)" in text
    districts = client.get("/missions/fw/maps/findings?indicator=negative:vote:overall&level=1")
    assert districts.status_code == 200 and "N two" in districts.get_data(as_text=True)


def test_findings_page_without_forms(mission_factory, user_factory, login):
    mission = mission_factory(slug="empty", levels="region")
    client = login(user_factory(role="lead", missions=[mission]))
    page = client.get("/missions/empty/maps/findings")
    assert page.status_code == 200 and "no active forms" in page.get_data(as_text=True)
    assert client.get("/missions/empty/maps/findings/map").status_code == 404
