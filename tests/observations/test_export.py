"""CSV and XLSX exports: one row per observation, a column per question, filters, safety."""

import csv
import io

import openpyxl
import pytest

from tests.observations.helpers import observe


@pytest.fixture
def stored(field, db):
    u = field.users
    return [
        observe(db, u.obs1, "S001", problems=["late", "intimidation"], remarks="=1+2"),
        observe(db, u.obs2, "S004", remarks="-5 minutes late"),
        observe(db, u.obs1, "S002", ballots_cast=900),
    ]


def _csv(client, query: str = "") -> list[dict]:
    response = client.get(f"/missions/field/observations/export.csv?{query}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_has_a_row_per_observation_and_a_column_per_question(field, stored, login):
    rows = _csv(login(field.users.analyst))
    assert [int(r["id"]) for r in rows] == sorted(stored, reverse=True)  # newest first
    first = next(r for r in rows if int(r["id"]) == stored[0])
    assert first["problems"] == "late intimidation" and first["seals_intact"] == "yes"
    assert first["station_code"] == "S001" and first["team"] == "T01"
    assert first["region"] == "Region 1" and first["critical"] == "problems"
    assert first["seal_problem"] == ""  # a question not asked stays empty
    assert first["arrived_at"] == "2027-02-25T06:30:00+00:00"
    flagged = next(r for r in rows if int(r["id"]) == stored[2])
    assert flagged["review_status"] == "flagged" and "cast_le_registered" in flagged["flags"]


def test_csv_labels_and_formula_guard(field, stored, login):
    rows = {int(r["id"]): r for r in _csv(login(field.users.analyst), "labels=1")}
    assert rows[stored[0]]["problems"] == "Late opening; Intimidation"
    assert rows[stored[0]]["seals_intact"] == "Yes"
    assert rows[stored[0]]["remarks"] == "'=1+2"
    assert rows[stored[1]]["remarks"] == "'-5 minutes late"
    assert rows[stored[1]]["votes_a"] == "150"  # numbers are not touched


def test_csv_follows_the_list_filters(field, stored, login):
    client = login(field.users.analyst)
    assert [int(r["id"]) for r in _csv(client, "flagged=1")] == [stored[2]]
    assert [int(r["id"]) for r in _csv(client, f"team={field.t2.id}")] == [stored[1]]
    assert _csv(client, "form=none") == []


def test_xlsx_export(field, stored, login):
    client = login(field.users.lead)
    response = client.get("/missions/field/observations/export.xlsx?labels=1")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    rows = list(book["observations"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == 3 and header[:3] == ("id", "uuid", "form_id")
    record = {row[0]: dict(zip(header, row, strict=True)) for row in body}[stored[0]]
    assert record["problems"] == "Late opening; Intimidation" and record["votes_a"] == 150
    cell = next(c for c in book["observations"]["A"] if c.value == stored[0]).offset(
        column=header.index("remarks")
    )
    assert cell.value == "=1+2" and cell.data_type == "s"  # text, not a formula


def test_export_needs_the_view_permission(field, stored, login):
    client = login(field.users.obs1)
    assert client.get("/missions/field/observations/export.csv").status_code == 403
    assert client.get("/missions/field/observations/export.xlsx").status_code == 403
