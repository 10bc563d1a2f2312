"""CSV and XLSX exports: one row per observation, one column per question.

Rows are streamed from the database (yield_per), CSV straight to the response and XLSX
through openpyxl's write-only workbook, so a national dataset never sits in memory as ORM
objects. Text that a spreadsheet would run as a formula is defused (util/spreadsheet.py):
CSV cells get a leading quote, XLSX cells are typed as strings.
"""

import csv
import io
import tempfile
from collections.abc import Iterator
from datetime import datetime

from openpyxl import Workbook

from observer_suite.extensions import db
from observer_suite.models import Mission, User
from observer_suite.observations.answers import display, question_columns
from observer_suite.observations.instants import shown_in_zone
from observer_suite.observations.listing import Filters, base_query, forms_in, mission_zone
from observer_suite.util.spreadsheet import FORMULA_START, defuse  # noqa: F401 (re-export)
from observer_suite.util.spreadsheet import csv_text as _csv_text
from observer_suite.util.spreadsheet import xlsx_cell as _xlsx_cell

FIXED = [
    "id",
    "uuid",
    "form_id",
    "form_version",
    "station_code",
    "station_name",
    "region",
    "team",
    "arrived_at",
    "departed_at",
    "received_at",
    "review_status",
    "flags",
    "critical",
]
BATCH = 1000
SPOOL_BYTES = 16 * 1024 * 1024  # larger workbooks go to disk


class Export:
    """The header and the rows of one export, as Python values."""

    def __init__(self, mission: Mission, user: User, filters: Filters, labels: bool):
        self.mission, self.user, self.filters, self.labels = mission, user, filters, labels
        forms = forms_in(mission, user, filters)
        self.definitions = {form.id: form.definition for form in forms}
        self.questions = {
            pk: {q["name"]: q for q in definition.get("questions", [])}
            for pk, definition in self.definitions.items()
        }
        self.columns = question_columns([form.definition for form in forms])
        self.zone = mission_zone(mission)

    @property
    def header(self) -> list[str]:
        return FIXED + [name for name, _label in self.columns]

    def _time(self, value: datetime | None) -> datetime | str | None:
        return shown_in_zone(value, self.zone)  # "invalid date" when it cannot be shown

    def rows(self) -> Iterator[list]:
        query = base_query(self.mission, self.user, self.filters).execution_options(yield_per=BATCH)
        for obs, form_id, version, code, name, team, region in db.session.execute(query):
            definition = self.definitions.get(obs.form_pk, {})
            questions = self.questions.get(obs.form_pk, {})
            answers = obs.answers or {}
            values = [
                obs.id,
                obs.uuid,
                form_id,
                version,
                code,
                name,
                region,
                team,
                self._time(obs.arrived_at),
                self._time(obs.departed_at),
                self._time(obs.received_at),
                obs.review_status.value,
                " ".join(flag.get("id", "") for flag in obs.flags or []),
                " ".join(obs.critical or []),
            ]
            for column, _label in self.columns:
                question = questions.get(column)
                value = answers.get(column)
                values.append(
                    display(definition, question, value, self.labels) if question else None
                )
            yield values


def csv_chunks(export: Export) -> Iterator[str]:
    """The CSV (with a BOM so spreadsheets read UTF-8) in chunks of about BATCH rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(export.header)
    for count, row in enumerate(export.rows(), start=1):
        writer.writerow([_csv_text(value) for value in row])
        if count % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_file(export: Export) -> tempfile.SpooledTemporaryFile:
    """The workbook in a temporary file (in memory while small), positioned at its start."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("observations")
    sheet.append(export.header)
    for row in export.rows():
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (send_file closes)
    book.save(out)
    out.seek(0)
    return out
