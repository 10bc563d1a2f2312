"""The XLSForm upload form and the button-only form for loading the standard checklists."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired


class XLSFormUpload(FlaskForm):
    file = FileField(
        "XLSForm",
        validators=[
            FileRequired("Choose an XLSForm to upload."),
            FileAllowed(["xlsx"], "Upload an XLSForm as an .xlsx workbook."),
        ],
        description="An .xlsx workbook with survey, choices and settings sheets "
        "(settings: form_id and version)",
    )


class LoadStandardForms(FlaskForm):
    """No fields: it carries the CSRF token of the 'load standard forms' button."""
