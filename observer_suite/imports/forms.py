"""The upload form and the column-mapping form shared by the station and observer pages."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField

from observer_suite.util.choices import SelectChoice

ALLOWED = ["csv", "xlsx", "txt", "tsv"]
NOT_IMPORTED = ""
PREFIX = "mapping"  # its fields' names and ids differ from the upload form's

_NO_HEADER = "No header row: the first row is data (columns are chosen by number)"
_SKIP = "Skip invalid rows: import the valid ones and give back the refused ones as a CSV"


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
    no_header = BooleanField(_NO_HEADER, default=False)
    skip_invalid = BooleanField(_SKIP, default=False)


class MappingBase(FlaskForm):
    no_header = BooleanField(_NO_HEADER)
    skip_invalid = BooleanField(_SKIP)


def mapping_form(fields, headers: list[str], examples, posted: bool, **defaults) -> MappingBase:
    """One select per field, offering every column of the file (with example values)."""

    class MappingForm(MappingBase):
        pass

    choices = [SelectChoice(NOT_IMPORTED, "— not imported —")]
    for position, header in enumerate(headers):
        sample = examples(position)
        label = f"{header} — {sample}" if sample else header
        choices.append(SelectChoice(str(position), label))
    for f in fields:
        name = f"{f.key} (required)" if f.required else f.key
        setattr(MappingForm, f"map_{f.key}", SelectField(name, choices=choices))
    if posted:  # read from this request's form
        return MappingForm(prefix=PREFIX, **defaults)
    return MappingForm(formdata=None, prefix=PREFIX, **defaults)


def chosen_mapping(form, fields) -> dict[str, int | None]:
    mapping: dict[str, int | None] = {}
    for f in fields:
        value = getattr(form, f"map_{f.key}").data
        mapping[f.key] = int(value) if value and value.isdigit() else None
    return mapping
