"""The upload form shared by the station and observer import pages."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField

ALLOWED = ["csv", "xlsx", "txt", "tsv"]


class ImportForm(FlaskForm):
    file = FileField(
        "File",
        validators=[
            FileRequired("Choose a file to upload."),
            FileAllowed(ALLOWED, "Upload a .csv, .tsv, .txt or .xlsx file."),
        ],
        description="CSV (comma, semicolon or tab separated) or an Excel .xlsx workbook",
    )
    dry_run = BooleanField(
        "Dry run / preview: check the file and show what would change, write nothing",
        default=True,
    )
