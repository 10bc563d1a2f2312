from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from observer_suite.auth import passwords
from observer_suite.util.choices import SelectChoice


class ObserverLoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(3, 80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(10, 200)])
    confirm = PasswordField(
        "Repeat password", validators=[EqualTo("password", message="Passwords differ.")]
    )

    def validate_password(self, field: PasswordField) -> None:
        """The policy every password goes through (auth.passwords), shown at the field."""
        if field.errors:
            return
        problem = passwords.problem(field.data or "", self.username.data or "")
        if problem is not None:
            raise ValidationError(f"Password {problem}.")


class StationForm(FlaskForm):
    """Text fields only: the values are checked by registry.editing with the import's rules."""

    code = StringField("Station code", validators=[DataRequired(), Length(max=200)])
    name = StringField("Name", validators=[DataRequired(), Length(max=400)])
    area = StringField(
        "Area",
        validators=[DataRequired(), Length(max=400)],
        description="The lowest-level area: its path (e.g. 14/08/01), code or name.",
    )
    polling_centre = StringField("Polling centre", validators=[Length(max=400)])
    registered_voters = StringField("Registered voters", validators=[Length(max=40)])
    latitude = StringField("Latitude", validators=[Length(max=40)])
    longitude = StringField("Longitude", validators=[Length(max=40)])


class ObserverForm(FlaskForm):
    ref = StringField(
        "Ref",
        validators=[Length(max=300)],
        description="The roster's id; empty: the e-mail, else the name, as in an import.",
    )
    name = StringField("Name", validators=[DataRequired(), Length(max=300)])
    role = SelectField(
        "Role",
        choices=[
            SelectChoice("core", "Core team"),
            SelectChoice("lto", "LTO"),
            SelectChoice("sto", "STO"),
            SelectChoice("driver", "Driver"),
            SelectChoice("interpreter", "Interpreter"),
        ],
    )
    nationality = StringField("Nationality (ISO code)", validators=[Length(max=40)])
    gender = SelectField(
        "Gender",
        choices=[
            SelectChoice("", "—"),
            SelectChoice("female", "Female"),
            SelectChoice("male", "Male"),
            SelectChoice("other", "Other"),
        ],
    )
    languages = StringField("Languages", validators=[Length(max=200)], description="e.g. en, fr")
    previous_missions = StringField("Previous missions", validators=[Length(max=40)])
    email = StringField("E-mail", validators=[Length(max=300)])
    phone = StringField("Phone", validators=[Length(max=100)])
