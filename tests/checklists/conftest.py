"""Checklist fixtures: XLSForm workbooks built in memory, and an app with the form pages.

Until observer_suite/web/setup.py registers the checklists blueprint, this directory gets its
own app that does; once it is registered the shared app is used as is.
"""

import io
from pathlib import Path

import openpyxl
import pytest

from observer_suite import create_app
from tests.conftest import IsolatedClient, make_test_config

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
EOM = SHARED_DATA / "eom-voting-checklist.xlsx"

SURVEY_HEADER = [
    "type", "name", "label::English (en)", "label::French (fr)", "required",
    "relevant", "constraint", "constraint_message::English (en)", "critical",
]  # fmt: skip
CHOICES = [
    ["list_name", "name", "label::English (en)", "label::French (fr)"],
    ["yn", "yes", "Yes", "Oui"],
    ["yn", "no", "No", "Non"],
]
SETTINGS = [["form_title", "form_id", "version"], ["Test form", "test_form", "1"]]


def workbook(survey, choices=CHOICES, settings=SETTINGS, **sheets) -> bytes:
    """An .xlsx made of the given rows; a sheet given as None is left out."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in (("survey", survey), ("choices", choices), ("settings", settings),
                        *sheets.items()):  # fmt: skip
        if rows is None:
            continue
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(scope="session")
def _session_app(_session_app, database_url):
    if "checklists" in _session_app.blueprints:
        yield _session_app
        return
    from observer_suite.checklists.views import bp
    from observer_suite.extensions import db

    app = create_app(make_test_config(database_url))
    app.register_blueprint(bp)
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
