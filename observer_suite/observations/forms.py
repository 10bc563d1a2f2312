"""The review form: a status, a comment, and how much history the reviewer saw."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from observer_suite.models import ReviewStatus
from observer_suite.observations.review import MAX_COMMENT


class ReviewForm(FlaskForm):
    status = SelectField(
        "Review status",
        choices=[SelectChoice(s.value, s.value.capitalize()) for s in ReviewStatus],
        validators=[DataRequired()],
    )
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=MAX_COMMENT)])
    seen = HiddenField()
