"""Forms of the coordinator pages: the status change and the taxonomy editor.

Every form is a FlaskForm, so each carries and checks a CSRF token. The services decide
what is allowed (workflow.py, taxonomy.py); these only shape the input.
"""

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from observer_suite.incidents import workflow
from observer_suite.incidents.taxonomy import MAX_CODE, MAX_LABEL
from observer_suite.models import IncidentStatus
from observer_suite.observations.forms import printable_only
from observer_suite.util.choices import SelectChoice

LANGUAGE_NAMES = {"en": "English", "fr": "French", "pt": "Portuguese", "es": "Spanish",
                  "ar": "Arabic", "sw": "Swahili", "ru": "Russian"}  # fmt: skip


class StatusForm(FlaskForm):
    """Choices hold every status so a stale or refused choice reaches the workflow, which
    says why; the page narrows them to the allowed next ones with `offer()`."""

    status = SelectField(
        "New status",
        choices=[SelectChoice(s.value, workflow.label(s)) for s in IncidentStatus],
        validators=[DataRequired()],
    )
    comment = TextAreaField(
        "Comment",
        validators=[Optional(), Length(max=workflow.MAX_COMMENT), printable_only],
        description="Required when rejecting or reopening.",
    )
    expected = HiddenField(validators=[DataRequired()])  # the status the form was made against

    def offer(self, current: IncidentStatus) -> None:
        def text(status):
            note = " (reopen; say why)" if workflow.is_reopening(current, status) else ""
            if status == IncidentStatus.REJECTED:
                note = " (say why)"
            return workflow.label(status) + note

        self.status.choices = [
            SelectChoice(s.value, text(s)) for s in workflow.allowed_next(current)
        ]
        self.expected.data = current.value


class ActionForm(FlaskForm):
    """Retire, restore, delete: a button and its CSRF token."""


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[AnyOf(["up", "down"])])


def _label_fields(languages: list[str]) -> dict:
    return {
        f"label_{lang}": StringField(
            f"Label ({LANGUAGE_NAMES.get(lang, lang)})",
            validators=[DataRequired() if lang == "en" else Optional(), printable_only],
            filters=[lambda v: v.strip() if isinstance(v, str) else v],
            render_kw={"maxlength": MAX_LABEL},
        )
        for lang in languages
    }


def labels_form(languages: list[str], **kwargs) -> FlaskForm:
    """One label field per language (label_en, label_fr, …)."""
    cls = type("LabelsForm", (FlaskForm,), _label_fields(languages))
    return cls(**kwargs)


class AddCategoryForm(FlaskForm):
    """A new category: its code here, a label field per language added by add_form."""

    code = StringField(
        "Code",
        validators=[DataRequired(), Length(max=MAX_CODE)],
        description="Lower-case letters, digits and underscores; it never changes.",
        render_kw={"maxlength": MAX_CODE, "autocomplete": "off"},
    )


def add_form(languages: list[str], **kwargs) -> AddCategoryForm:
    """A new category: its code and its labels."""
    cls = type("AddCategoryForm", (AddCategoryForm,), _label_fields(languages))
    return cls(**kwargs)


def labels_of(form: FlaskForm, languages: list[str]) -> dict[str, str]:
    return {lang: getattr(form, f"label_{lang}").data or "" for lang in languages}
