from datetime import date

import pytest

from observer_suite.missions.services import (
    MissionError,
    create_mission,
    find_mission,
    parse_levels,
)


def test_levels_are_normalised():
    assert parse_levels(" State, LGA ,ward ") == ["state", "lga", "ward"]
    assert parse_levels("county,Polling Centre") == ["county", "polling_centre"]


@pytest.mark.parametrize("levels", ["", "state,state", "1state"])
def test_bad_levels_are_refused(levels):
    with pytest.raises(MissionError) as refused:
        parse_levels(levels)
    assert refused.value.field == "levels"


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("slug", {"slug": "Bad Slug"}),
        ("country", {"country": "Nigeria"}),
        ("timezone", {"timezone": "Mars/Olympus"}),
        ("second_round_date", {"second_round_date": date(2027, 1, 1)}),
        ("languages", {"languages": "english!"}),
    ],
)
def test_invalid_missions_name_the_field(app, field, kwargs):
    values = {
        "slug": "ok-slug",
        "name": "Mission",
        "country": "NG",
        "election_date": date(2027, 2, 25),
        "levels": "state,lga,ward",
    }
    values.update(kwargs)
    with pytest.raises(MissionError) as refused:
        create_mission(**values)
    assert refused.value.field == field


def test_mission_is_created_and_found(app, db):
    mission = create_mission(
        slug="ng-2027",
        name=" EU EOM Nigeria ",
        country="ng",
        election_date=date(2027, 2, 25),
        second_round_date=date(2027, 3, 11),
        levels="state,lga,ward",
        timezone="Africa/Lagos",
        languages="en, fr",
    )
    db.session.commit()
    assert (mission.name, mission.country, mission.languages) == (
        "EU EOM Nigeria",
        "NG",
        ["en", "fr"],
    )
    assert find_mission(None).id == mission.id  # the only mission is implied
    assert find_mission("ng-2027").id == mission.id
    with pytest.raises(MissionError, match="already exists"):
        create_mission(
            slug="ng-2027", name="x", country="NG", election_date=date(2027, 1, 1), levels="state"
        )


def test_find_mission_needs_a_slug_when_there_are_several(mission_factory):
    mission_factory(slug="one")
    mission_factory(slug="two")
    with pytest.raises(MissionError, match="several missions"):
        find_mission(None)
    with pytest.raises(MissionError, match="no mission 'three'"):
        find_mission("three")
