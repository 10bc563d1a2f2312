from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, Optional


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
