"""Forms for managing logins; every new password goes through auth.passwords."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from observer_suite.auth import passwords
from observer_suite.util.choices import SelectChoice


def _policy(form, field) -> None:
    if field.errors:
        return
    username = getattr(form, "username", None)
    name = username.data if username is not None else getattr(form, "_username", "")
    problem = passwords.problem(field.data or "", name or "")
    if problem is not None:
        raise ValidationError(f"Password {problem}.")


class StaffLoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(3, 80)])
    role = SelectField("Role")
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200), _policy])
    confirm = PasswordField(
        "Repeat password", validators=[EqualTo("password", message="Passwords differ.")]
    )

    def __init__(self, roles, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice(r.value, r.value.capitalize()) for r in roles]


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current (or temporary) password", validators=[DataRequired()])
    password = PasswordField("New password", validators=[DataRequired(), Length(max=200), _policy])
    confirm = PasswordField(
        "Repeat new password", validators=[EqualTo("password", message="Passwords differ.")]
    )

    def __init__(self, username: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._username = username


class LoginActionForm(FlaskForm):
    """Only the CSRF token: reset, deactivate and reactivate are buttons."""
