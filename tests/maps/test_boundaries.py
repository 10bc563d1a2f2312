"""Boundary import against the real Nigeria files: matching, reporting, dry run, atomicity."""

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from observer_suite.cli import main
from observer_suite.imports import run_import
from observer_suite.maps.boundaries import (
    BoundaryError,
    alias_key,
    boundary_shapes,
    boundary_status,
    default_boundary_level,
    import_boundaries,
    normalise_name,
)
from observer_suite.maps.geometry import read_polygons
from observer_suite.models import Area, AuditEntry
from tests.conftest import csrf_token
from tests.maps.conftest import LGAS_FILE, nigeria_csv


def _boundaries(db, mission, level):
    return dict(
        db.session.execute(
            select(Area.name, Area.boundary).where(
                Area.mission_id == mission.id, Area.level == level
            )
        ).all()
    )


@pytest.mark.parametrize(
    ("inec", "geoboundaries"),
    [
        ("IDEMILI-SOUTH", "Idemili South"),
        ("ONITSHA -SOUTH", "Onitsha South"),
        ("ORUMBA  SOUTH", "Orumba South"),
        ("IGBO EZE SOUTH", "Igbo-Eze-South"),
        ("ISI UZO", "Isi-Uzo"),
        ("HAUT KERAN", "Haut-Kéran"),
        ("ZONE_3", "zone 3"),
    ],
)
def test_names_compare_without_case_spaces_hyphens_and_accents(inec, geoboundaries):
    assert normalise_name(inec) == normalise_name(geoboundaries)


def test_known_variants_share_an_alias_key_but_not_a_name():
    assert normalise_name("IHALA") != normalise_name("Ihiala")
    assert alias_key("IHALA") == alias_key("Ihiala")
    assert alias_key("Nassarawa") == alias_key("NASARAWA")
    assert alias_key("FCT") == alias_key("Federal Capital Territory")
    assert alias_key("Enugu") != alias_key("Ebonyi")


def test_states_match_by_name(nigeria, state_geojson, db):
    report = import_boundaries(nigeria, state_geojson, "state", "shapeName")
    db.session.commit()
    assert report.ok and report.applied
    assert (len(report.matched), report.unmatched, report.without_boundary) == (3, [], [])
    stored = _boundaries(db, nigeria, 0)
    assert set(stored) == {"ANAMBRA", "EBONYI", "ENUGU"}
    for geometry in stored.values():
        assert set(geometry) == {"type", "coordinates"}  # nothing from the file but numbers
        assert read_polygons(geometry)
    assert default_boundary_level(nigeria) == 0
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "AreaBoundary"))
    assert [a.details["matched"] for a in audit] == [3]


def test_all_51_lgas_match_one_through_the_alias_table(nigeria, lga_geojson, db):
    report = import_boundaries(nigeria, lga_geojson, "lga", "shapeName")
    db.session.commit()
    assert report.ok and report.applied
    assert len(report.matched) == 51 and report.features == 51
    assert report.unmatched == [] and report.without_boundary == [] and report.ambiguous == []
    aliased = [(m.feature, m.area) for m in report.matched if m.alias]
    assert aliased == [("Ihiala", "IHALA")]
    assert any("alias table: feature 'Ihiala'" in line for line in report.detail_lines())
    stored = _boundaries(db, nigeria, 1)
    assert all(stored.values()) and len(stored) == 51
    assert stored["ONITSHA -SOUTH"] and stored["IGBO EZE SOUTH"]
    # Rounding to ~1 m halves the size of these (already simplified) geoBoundaries outlines.
    assert report.bytes_stored < 0.6 * report.bytes_in
    status = {s.name: s for s in boundary_status(nigeria)}
    assert (status["lga"].areas, status["lga"].with_boundary) == (51, 51)
    assert status["ward"].with_boundary == 0 and status["lga"].bytes > 50_000


def test_unmatched_features_and_areas_are_listed(mission_factory, lga_geojson, db):
    mission = mission_factory(slug="two", levels="state,lga,ward")
    # Anambra and Ebonyi only, plus one LGA the boundary file does not know.
    data = nigeria_csv(states=("04", "11")).decode()
    data += "ANAMBRA,04,NEW TOWN,99,NEW WARD,01,NEW SCHOOL,04/99/01/001,,\n"
    assert run_import("stations", mission, data.encode(), "pu.csv", dry_run=False).ok
    db.session.commit()
    report = import_boundaries(mission, lga_geojson, "lga", "shapeName")
    assert report.ok
    assert len(report.matched) == 34
    enugu = [f["properties"]["shapeName"] for f in json.loads(lga_geojson)["features"]]
    enugu = [
        (i, name)
        for i, name in enumerate(enugu)
        if json.loads(lga_geojson)["features"][i]["properties"]["state_name"] == "Enugu"
    ]
    assert report.unmatched == enugu and len(enugu) == 17
    assert report.without_boundary == ["NEW TOWN"]
    lines = report.detail_lines()
    assert f"feature {enugu[0][0]}: {enugu[0][1]!r} matches no lga" in lines
    assert "lga without a boundary: NEW TOWN" in lines


def test_dry_run_writes_nothing(nigeria, lga_geojson, db):
    report = import_boundaries(nigeria, lga_geojson, "lga", "shapeName", dry_run=True)
    db.session.commit()
    assert report.ok and not report.applied and len(report.matched) == 51
    assert not any(_boundaries(db, nigeria, 1).values())
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "AreaBoundary")) is None


def test_a_bad_feature_refuses_the_whole_file(nigeria, state_geojson, lga_geojson, db):
    import_boundaries(nigeria, state_geojson, "state", "shapeName")
    db.session.commit()
    before = _boundaries(db, nigeria, 0)
    data = json.loads(lga_geojson)
    data["features"][4]["geometry"] = None
    data["features"][9]["geometry"]["coordinates"][0][3] = ["7.1", 6.2]
    data["features"][12]["geometry"]["coordinates"][0][5] = [7.1, float("nan")]
    report = import_boundaries(nigeria, json.dumps(data), "lga", "shapeName")
    db.session.commit()
    assert not report.ok and not report.applied
    assert [i for i, _ in report.bad] == [4, 9, 12]
    assert "no geometry" in report.bad[0][1]
    assert "numbers" in report.bad[1][1]
    assert "feature 4:" in report.error_lines()[0]
    assert not any(_boundaries(db, nigeria, 1).values())
    assert _boundaries(db, nigeria, 0) == before  # earlier imports untouched


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "not JSON"),
        (b'{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": 3}', "no list of features"),
    ],
)
def test_unreadable_files_are_refused(nigeria, db, data, message):
    report = import_boundaries(nigeria, data, "state", "shapeName")
    assert not report.ok and message in report.errors[0]


def test_a_wrong_key_names_the_properties_found(nigeria, state_geojson):
    report = import_boundaries(nigeria, state_geojson, "state", "name")
    assert not report.ok
    assert "no feature has a property 'name'" in report.errors[0]
    assert "shapeName" in report.errors[0]


def test_unknown_level_is_an_error(nigeria, state_geojson):
    with pytest.raises(BoundaryError, match="province"):
        import_boundaries(nigeria, state_geojson, "province", "shapeName")


def test_two_features_of_one_area_are_merged(nigeria, state_geojson, db):
    data = json.loads(state_geojson)
    extra = json.loads(json.dumps(data["features"][0]))
    extra["geometry"]["coordinates"] = [[[6.0, 5.0], [6.1, 5.0], [6.1, 5.1], [6.0, 5.0]]]
    data["features"].append(extra)
    report = import_boundaries(nigeria, json.dumps(data), "state", "shapeName")
    db.session.commit()
    assert len(report.matched) == 3 and report.matched[0].indexes == [0, 3]
    assert _boundaries(db, nigeria, 0)["ANAMBRA"]["type"] == "MultiPolygon"
    shapes = boundary_shapes(nigeria, 0)
    assert [s.name for s in shapes] == ["ANAMBRA", "EBONYI", "ENUGU"]


def test_cli_dry_run_then_import(nigeria, database_url, db):
    runner = CliRunner()
    args = ["--database-url", database_url, "import", "boundaries", str(LGAS_FILE)]
    args += ["--level", "LGA", "--key", "shapeName", "--mission", "ng"]
    dry = runner.invoke(main, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run, nothing written" in dry.output
    assert "51 of 51 features matched a lga" in dry.output
    assert "feature 'Ihiala' → lga 'IHALA'" in dry.output
    db.session.expire_all()
    assert not any(_boundaries(db, nigeria, 1).values())
    done = runner.invoke(main, args)
    assert done.exit_code == 0, done.output
    db.session.expire_all()
    assert all(_boundaries(db, nigeria, 1).values())
    bad = runner.invoke(main, [*args[:-4], "--level", "county", "--mission", "ng"])
    assert bad.exit_code != 0 and "county" in bad.output


def _upload(client, mission, data: bytes, dry_run: bool):
    form = {
        "csrf_token": csrf_token(client, f"/missions/{mission.slug}/maps/boundaries"),
        "level": "0",
        "key": "shapeName",
        "file": (__import__("io").BytesIO(data), "states.geojson"),
    }
    if dry_run:
        form["dry_run"] = "y"
    return client.post(
        f"/missions/{mission.slug}/maps/boundaries",
        data=form,
        content_type="multipart/form-data",
    )


def test_upload_page_previews_then_imports(nigeria, state_geojson, user_factory, login, db):
    client = login(user_factory(role="coordinator", missions=[nigeria]))
    preview = _upload(client, nigeria, state_geojson, dry_run=True)
    assert preview.status_code == 200
    assert "Preview: nothing has been written yet" in preview.get_data(as_text=True)
    assert not any(_boundaries(db, nigeria, 0).values())
    done = _upload(client, nigeria, state_geojson, dry_run=False)
    assert done.status_code == 200 and "Imported" in done.get_data(as_text=True)
    assert all(_boundaries(db, nigeria, 0).values())
    bad = _upload(client, nigeria, b"{oops", dry_run=False)
    assert bad.status_code == 400 and "Nothing was imported" in bad.get_data(as_text=True)


def test_upload_needs_csrf_and_manage_maps(nigeria, state_geojson, user_factory, login, client):
    login(user_factory(role="analyst", missions=[nigeria]))
    assert client.get("/missions/ng/maps/boundaries").status_code == 403
    response = client.post(
        "/missions/ng/maps/boundaries",
        data={"level": "0", "key": "shapeName"},
        content_type="multipart/form-data",
    )
    assert response.status_code in (400, 403)
