"""Forms of the map pages: the mission's tile setting and the boundary upload."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from observer_suite.util.choices import SelectChoice
from observer_suite.util.map_tiles import NONE, TileError, validate_tiles


class TileForm(FlaskForm):
    mode = SelectField(
        "Background tiles",
        choices=[
            SelectChoice("default", "Use the suite's setting (MAP_TILE_URL)"),
            SelectChoice("none", "No background tiles: boundaries and points only, no requests"),
            SelectChoice("custom", "This tile server:"),
        ],
        default="default",
    )
    url = StringField(
        "Tile URL template (for “this tile server”)",
        validators=[Length(max=400)],
        description="https://…/{z}/{x}/{y}.png — {s} may start the host name",
    )

    def validate_url(self, field) -> None:
        if self.mode.data != "custom":
            return
        try:
            checked = validate_tiles(field.data or "")
        except TileError as exc:
            raise ValidationError(str(exc)) from exc
        if checked == NONE:
            raise ValidationError("Choose “No background tiles” to turn tiles off.")
        field.data = checked

    def setting(self) -> str | None:
        """The value for Mission.map_tiles."""
        return {"default": None, "none": NONE}.get(self.mode.data, self.url.data)


class BoundaryForm(FlaskForm):
    file = FileField(
        "GeoJSON file",
        validators=[
            FileRequired("Choose a GeoJSON file to upload."),
            FileAllowed(["geojson", "json"], "Upload a .geojson or .json file."),
        ],
        description="A FeatureCollection of Polygon or MultiPolygon features (WGS84)",
    )
    level = SelectField("Area level", choices=[])
    key = StringField(
        "Feature property holding the area's name or code",
        default="shapeName",
        validators=[DataRequired(), Length(max=80)],
        description="geoBoundaries files use shapeName",
    )
    dry_run = BooleanField(
        "Dry run / preview: match and check the file, write nothing", default=True
    )
