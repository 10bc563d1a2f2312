"""Column matching and row checks for stations and observers, on plain tables (no app)."""

from pathlib import Path

import pytest

from observer_suite.imports.columns import STATION_FIELDS, level_fields, match_columns, normalise
from observer_suite.imports.observers import parse_observers
from observer_suite.imports.stations import parse_stations
from observer_suite.imports.tabular import ImportFileError, LineError, read_table
from observer_suite.models import Gender, ObserverRole

DATA = Path(__file__).resolve().parents[1] / "data"
LEVELS = ["state", "lga", "ward"]
HEADER = "state,lga,ward,code,name,registered_voters,latitude,longitude"


def stations(text: str, levels=LEVELS):
    return parse_stations(read_table(text.encode(), "s.csv"), levels)


def messages(parsed) -> list[str]:
    return [str(error) for error in parsed.errors]


def test_normalise_ignores_case_spaces_underscores_hyphens():
    assert normalise(" Polling-Unit_Code ") == normalise("polling unit code") == "pollingunitcode"
    assert normalise("\ufeffE-mail") == "email"


def test_columns_match_aliases_and_mission_levels():
    headers = ["State", "STATE_CODE", "L.G.A", "PU-Code", "Polling Unit", "Lng", "Y", "remark"]
    fields = level_fields(["state"]) + STATION_FIELDS
    columns = match_columns(headers, fields)
    assert columns.index == {
        "state": 0,
        "state_code": 1,
        "code": 3,
        "name": 4,
        "longitude": 5,
        "latitude": 6,
    }
    assert columns.ignored == ["L.G.A", "remark"]


def test_missing_columns_are_named_with_their_aliases():
    with pytest.raises(ImportFileError) as caught:
        stations("state,lga,ward,name\nA,B,C,D\n")
    assert str(caught.value) == (
        "missing column 'code' (accepted names: code, pu_code, polling_unit_code, station_code, "
        "ps_code, polling_station_code)"
    )
    with pytest.raises(ImportFileError, match=r"missing column 'lga' \(accepted names: lga, "):
        stations("state,ward,code,name\nA,C,1,D\n")


def test_two_columns_for_one_field_is_an_error():
    with pytest.raises(ImportFileError, match="columns 'lat' and 'latitude' both give latitude"):
        stations("state,lga,ward,code,name,lat,latitude,lon\nA,B,C,1,N,1,1,1\n")


def test_one_coordinate_column_without_the_other():
    with pytest.raises(ImportFileError, match="has a latitude column but no longitude column"):
        stations("state,lga,ward,code,name,lat\nA,B,C,1,N,1\n")


def test_good_small_file():
    parsed = parse_stations(read_table((DATA / "stations-small.csv").read_bytes(), "s.csv"), LEVELS)
    assert parsed.errors == []
    assert list(parsed.areas) == [
        "04",
        "04/01",
        "04/01/01",
        "04/01/02",
        "04/02",
        "04/02/01",
        "14",
        "14/01",
        "14/01/01",
    ]
    first, _, third, fourth, _ = parsed.stations
    assert first.values == {
        "name": "ST. CHARLES SCHOOL",
        "polling_centre": "Achina centre",
        "registered_voters": 512,
        "latitude": 5.968252,
        "longitude": 7.124711,
    }
    assert third.values["latitude"] is None and third.values["polling_centre"] is None
    assert fourth.values["registered_voters"] is None
    assert parsed.areas["04/01/02"].parent_path == "04/01"


def test_areas_without_codes_use_names_in_the_path():
    parsed = stations("state,lga,ward,code,name\nLagos,Ikeja,Ward A,1,N\nLagos,Ikeja,Ward B,2,M\n")
    assert list(parsed.areas) == [
        "Lagos",
        "Lagos/Ikeja",
        "Lagos/Ikeja/Ward A",
        "Lagos/Ikeja/Ward B",
    ]


def test_every_bad_line_is_reported():
    text = "\n".join(
        [
            HEADER,
            "A,B,C,001,One,10,5.1,7.1",
            ",B,C,002,,10,5.1,7.1",  # line 3: state and name missing
            "A,B,C,001,Again,10,5.1,7.1",  # line 4: duplicate of line 2
            "A,B,C,004,Four,many,95.2,7.1",  # line 5: text in number; latitude out of range
            "A,B,C,005,Five,-3,5.1,",  # line 6: negative voters; longitude missing
            "A,B,C,006,Six,1.5,abc,181",  # line 7: not whole; not a number; out of range
            'A,B,C,007,Seven,"1,5",nan,7',  # line 8
            "A,B,C,008,Eight,12.0,5,7",  # line 9: fine ("12.0" from Excel)
        ]
    )
    assert messages(stations(text)) == [
        "line 3, state: a value is required",
        "line 3, name: a value is required",
        "line 4, code: duplicate station code '001' (also on line 2)",
        "line 5, registered_voters: 'many' is not a whole number",
        "line 5, latitude: '95.2' is outside -90..90",
        "line 6, registered_voters: '-3' is negative",
        "line 6, longitude: is empty but latitude is given; give both or neither",
        "line 7, registered_voters: '1.5' is not a whole number",
        "line 7, latitude: 'abc' is not a number",
        "line 7, longitude: '181' is outside -180..180",
        "line 8, registered_voters: '1,5' is not a whole number",
        "line 8, latitude: 'nan' is not a number",
    ]


def test_errors_use_the_file_header_spelling():
    parsed = stations("State,LGA,Ward,PU Code,PU Name,Lat,Lon\nA,B,C,1,N,91,7\n")
    assert messages(parsed) == ["line 2, Lat: '91' is outside -90..90"]


def test_semicolon_file_with_decimal_commas():
    parsed = stations("state;lga;ward;code;name;lat;lon\nA;B;C;1;N;5,25;-7,5\n")
    assert parsed.errors == []
    assert parsed.stations[0].values == {"name": "N", "latitude": 5.25, "longitude": -7.5}


def test_same_area_code_with_two_names_is_an_error():
    text = "state,state_code,lga,ward,code,name\nAnambra,04,B,C,1,N\nEnugu,04,B,C,2,M\n"
    assert messages(stations(text)) == [
        "line 3, state: state code '04' is 'Anambra' on line 2 but 'Enugu' here"
    ]


def test_too_long_values():
    parsed = stations(f"state,lga,ward,code,name\nA,B,C,{'9' * 61},N\n")
    assert messages(parsed) == ["line 2, code: is 61 characters long; at most 60 fit"]


def test_ragged_lines_are_reported_once_and_not_checked_further():
    parsed = stations("state,lga,ward,code,name\nA,B,C,1,N\nA,B,C,2\nA,B,,3,N\n")
    assert messages(parsed) == [
        "line 3: has 4 fields but the header has 5",
        "line 4, ward: a value is required",
    ]


def test_mission_without_levels():
    with pytest.raises(ImportFileError, match="no area levels"):
        stations("code,name\n1,N\n", levels=[])


# Observers ---------------------------------------------------------------------------------


def observers(text: str):
    return parse_observers(read_table(text.encode(), "r.csv"))


def test_good_roster():
    parsed = parse_observers(read_table((DATA / "roster.csv").read_bytes(), "roster.csv"))
    assert parsed.errors == []
    anna, jean, maria, chinedu, amina = parsed.observers
    assert anna.ref == "EU-001"
    assert anna.values == {
        "name": "Anna Schmidt",
        "role": ObserverRole.CORE,
        "nationality": "DE",
        "gender": Gender.FEMALE,
        "languages": ["en", "de", "fr"],
        "previous_missions": 5,
        "email": "anna.schmidt@example.org",
        "phone": "+49 30 1234",
    }
    assert jean.values["role"] == ObserverRole.LTO and jean.values["gender"] == Gender.MALE
    assert jean.values["languages"] == ["fr", "en"]
    assert maria.values["previous_missions"] == 0 and maria.values["phone"] is None
    assert chinedu.values["role"] == ObserverRole.DRIVER and chinedu.values["email"] is None
    assert amina.values["nationality"] == "NG" and amina.values["role"] == ObserverRole.INTERPRETER


def test_ref_falls_back_to_lower_case_email_then_name():
    parsed = observers("name,role,email\nAnna,sto,Anna@Example.org\nBen,short-term observer,\n")
    assert [o.ref for o in parsed.observers] == ["anna@example.org", "Ben"]
    assert parsed.observers[1].values["role"] == ObserverRole.STO


def test_bad_observer_values():
    text = "\n".join(
        [
            "ref,name,role,nationality,gender,previous_missions,email",
            "1,Anna,observer,XX,F,1,anna@example.org",
            "2,Ben,,UK,unknown,-1,not-an-email",
            "1,Carl,lto,DE,m,two,carl@example.org",
            "4,,sto,KE,,,",
            "5,Dora,LTO,xk,other,3,dora@example",
        ]
    )
    assert messages(observers(text)) == [
        "line 2, role: 'observer' is not one of core, lto, sto, driver, interpreter "
        "(or long-term / short-term observer)",
        "line 2, nationality: 'XX' is not an ISO 3166 two-letter country code",
        "line 3, role: a value is required",
        "line 3, nationality: 'UK' is not an ISO 3166 two-letter country code",
        "line 3, gender: 'unknown' is not one of female, male or other",
        "line 3, previous_missions: '-1' is negative",
        "line 3, email: 'not-an-email' does not look like an e-mail address",
        "line 4, ref: duplicate observer ref '1' (also on line 2)",
        "line 4, previous_missions: 'two' is not a whole number",
        "line 5, name: a value is required",
        "line 6, email: 'dora@example' does not look like an e-mail address",
    ]


def test_duplicate_names_without_ref_or_email():
    parsed = observers("name,role\nJohn Smith,sto\nJane Doe,sto\nJohn Smith,lto\n")
    assert parsed.errors == [
        LineError(4, "name", "duplicate observer ref 'John Smith' (also on line 2)")
    ]


def test_roster_missing_role_column():
    with pytest.raises(ImportFileError, match=r"missing column 'role' \(accepted names: role\)"):
        observers("name,email\nAnna,a@example.org\n")


def test_a_slash_in_a_name_cannot_make_two_levels_collide():
    parsed = stations("state,lga,ward,code,name\nX/Y,B,C,1,N\nX,Y,C,2,M\n")
    assert messages(parsed) == [
        "line 3, lga: path 'X/Y' is also a state (line 2); a '/' in a code or name makes the "
        "two the same"
    ]
