from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from observer_suite.auth import passwords


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
