"""Forms of the team-bases upload and the deploy button (CSRF included, as every form)."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange


class BasesForm(FlaskForm):
    file = FileField(
        "Bases file",
        validators=[
            FileRequired("Choose a file to upload."),
            FileAllowed(["csv", "xlsx", "txt", "tsv"], "Upload a .csv, .tsv, .txt or .xlsx file."),
        ],
        description="Columns: team, and latitude + longitude, or area (a code or name: the "
        "base is then its registered-voter-weighted centre). All lines or none.",
    )
    dry_run = BooleanField("Preview only: check the file, write nothing", default=True)


class DeployForm(FlaskForm):
    regions = StringField(
        "Regions",
        validators=[Length(max=2000)],
        description="Optional: top areas (codes or names, comma-separated); default all.",
    )
    seed = IntegerField("Seed", default=1, validators=[InputRequired(), NumberRange(0, 2**31 - 1)])
    dry_run = BooleanField("Preview only: show where teams would go, write nothing")
