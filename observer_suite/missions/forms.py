from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError


class MissionForm(FlaskForm):
    slug = StringField("Short name (slug)", validators=[DataRequired(), Length(max=60)])
    name = StringField("Mission name", validators=[DataRequired(), Length(max=200)])
    country = StringField("Country (ISO code)", validators=[DataRequired(), Length(2, 2)])
    election_date = DateField("Election date", validators=[DataRequired()])
    second_round_date = DateField("Second round (optional)", validators=[Optional()])
    timezone = StringField("Time zone", default="UTC", validators=[DataRequired()])
    languages = StringField("Languages", default="en,fr", validators=[DataRequired()])
    levels = StringField(
        "Area levels, top first",
        default="region,district",
        validators=[DataRequired()],
        description="Comma-separated, e.g. state,lga,ward",
    )


class MissionSettingsForm(FlaskForm):
    """What can change after creation; the slug and country stay (URLs and codes use them)."""

    name = StringField("Mission name", validators=[DataRequired(), Length(max=200)])
    election_date = DateField(
        "Election date", validators=[InputRequired()], description="YYYY-MM-DD"
    )
    second_round_date = DateField("Second round (optional)", validators=[Optional()])
    timezone = StringField(
        "Time zone",
        validators=[DataRequired(), Length(max=64)],
        description="An IANA name such as Africa/Lagos; times are entered and shown in it.",
    )
    languages = StringField(
        "Languages", validators=[DataRequired(), Length(max=200)], description="e.g. en,fr"
    )
    tiles = StringField(
        "Map tiles",
        validators=[Optional(), Length(max=400)],
        description="“default” for the server's setting, “none” for no background tiles, "
        "or an https URL with {z}, {x} and {y}.",
    )
    levels = StringField(
        "Area levels, top first",
        validators=[DataRequired(), Length(max=400)],
        description="Comma-separated. Once areas exist, levels can be renamed but not added "
        "or removed.",
    )

    def validate_timezone(self, field: StringField) -> None:
        from observer_suite.missions.services import MissionError
        from observer_suite.missions.settings import check_timezone

        try:
            field.data = check_timezone(field.data)
        except MissionError as exc:
            raise ValidationError(exc.message) from None


class ArchiveForm(FlaskForm):
    """Only the CSRF token: the button says what it does."""
