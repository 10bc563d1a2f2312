"""The review form: a status, a comment, and how much history the reviewer saw."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from observer_suite.models import ReviewStatus
from observer_suite.observations.review import MAX_COMMENT
from observer_suite.util.choices import SelectChoice
from observer_suite.util.intake_checks import TEXT_CONTROL_RE


def printable_only(_form, field) -> None:
    """Refuse control characters (NUL, escapes) in typed text, as the intake API does:
    PostgreSQL cannot store NUL in a text column (the save was a 500)."""
    if isinstance(field.data, str) and TEXT_CONTROL_RE.search(field.data):
        raise ValidationError("Remove the control characters (such as NUL) from the text.")


class ReviewForm(FlaskForm):
    status = SelectField(
        "Review status",
        choices=[SelectChoice(s.value, s.value.capitalize()) for s in ReviewStatus],
        validators=[DataRequired()],
    )
    comment = TextAreaField(
        "Comment", validators=[Optional(), Length(max=MAX_COMMENT), printable_only]
    )
    seen = HiddenField()
