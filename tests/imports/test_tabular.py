"""Reading files into a Table: encodings, delimiters, XLSX cells, line numbers. No app needed."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from observer_suite.imports.tabular import ImportFileError, LineError, read_table


def xlsx_bytes(rows: list[list], sheets: int = 1) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "stations"
    for row in rows:
        sheet.append(row)
    for n in range(1, sheets):
        workbook.create_sheet(f"other{n}").append(["ignored"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_comma_csv_with_quotes_and_crlf():
    table = read_table(b'code,name\r\n1,"A, B"\r\n2,C\r\n', "s.csv")
    assert table.headers == ["code", "name"]
    assert table.rows == [(2, ["1", "A, B"]), (3, ["2", "C"])]
    assert table.errors == [] and table.notes == []


def test_values_and_headers_are_stripped_and_blank_lines_skipped():
    data = b" code , name \n\n 1 ,  A  \n,\n  \n2,B\n"
    table = read_table(data, "s.csv")
    assert table.headers == ["code", "name"]
    assert table.rows == [(3, ["1", "A"]), (6, ["2", "B"])]


def test_quoted_newline_keeps_the_line_where_the_record_starts():
    table = read_table(b'code,name\n1,"two\nlines"\n2,B\n', "s.csv")
    assert table.rows == [(2, ["1", "two\nlines"]), (4, ["2", "B"])]


def test_utf8_bom_is_dropped():
    table = read_table("\ufeffcode;name\n1;Été\n".encode(), "s.csv")
    assert table.headers == ["code", "name"]
    assert table.rows == [(2, ["1", "Été"])]
    assert table.notes == ["columns are separated by semicolons"]


def test_cp1252_falls_back_and_says_so():
    table = read_table("code,name\n1,École – Nord\n".encode("cp1252"), "s.csv")
    assert table.rows == [(2, ["1", "École – Nord"])]
    assert table.notes == ["the file is not UTF-8; it was read as cp1252"]


def test_latin1_when_cp1252_cannot_decode():
    # 0x81 is undefined in cp1252, so only Latin-1 reads this file.
    table = read_table(b"code,name\n1,caf\xe9\x81\n", "s.csv")
    assert table.rows[0][1][1] == "caf\xe9\x81"
    assert "latin-1" in table.notes[0]


@pytest.mark.parametrize(
    ("data", "note"),
    [
        (b"code;name;lat\n1;A;5,5\n2;B;6,1\n", "semicolons"),
        (b"code\tname\tlat\n1\tA, the first\t5.5\n", "tabs"),
    ],
)
def test_semicolon_and_tab_are_detected(data, note):
    table = read_table(data, "s.tsv" if b"\t" in data else "s.csv")
    assert table.headers == ["code", "name", "lat"]
    assert len(table.rows[0][1]) == 3
    assert table.notes == [f"columns are separated by {note}"]


def test_single_column_file_defaults_to_comma():
    table = read_table(b"code\n1\n2\n", "s.txt")
    assert table.rows == [(2, ["1"]), (3, ["2"])]


def test_ragged_rows_are_line_errors_but_trailing_empty_cells_are_not():
    table = read_table(b"a,b,c\n1,2,3\n1,2\n1,2,3,4\n1,2,3,,\n", "s.csv")
    assert table.errors == [
        LineError(3, None, "has 2 fields but the header has 3"),
        LineError(4, None, "has 4 fields but the header has 3"),
    ]
    assert [line for line, _ in table.rows] == [2, 3, 4, 5]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "s.csv", "the file is empty"),
        (b"\r\n \n", "s.csv", "the file is empty"),
        (b"code,name\r\n", "s.csv", "the file has a header row but no data rows"),
        (b"code,name\n,\n\n", "s.csv", "the file has a header row but no data rows"),
        (b"code,name\n1,A\n", "s.json", "unknown file type .json"),
        (b"code,name\n1,A\n", "stations", "unknown file type (none)"),
        (b"PK\x03\x04 not really", "s.xlsx", "cannot be read as an Excel workbook"),
        (b"\xd0\xcf\x11\xe0", "s.xls", "old Excel .xls files cannot be read"),
        (b"", "s.xlsx", "the file is empty"),
    ],
)
def test_file_errors(data, filename, message):
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_table(data, filename)


def test_xlsx_cells_become_text():
    data = xlsx_bytes(
        [
            ["code", "name", "voters", "lat", "opened", "at"],
            ["04/01", "School", 512.0, 5.968252, dt.date(2027, 2, 25), dt.datetime(2027, 2, 25, 8)],
            [None, None, None, None, None, None],
            [17, "  Hall  ", 3, None, None, None],
        ]
    )
    table = read_table(data, "Stations.XLSX")
    assert table.headers == ["code", "name", "voters", "lat", "opened", "at"]
    assert table.rows == [
        (2, ["04/01", "School", "512", "5.968252", "2027-02-25", "2027-02-25T08:00:00"]),
        (4, ["17", "Hall", "3", "", "", ""]),
    ]


def test_xlsx_header_only_and_extra_sheets():
    with pytest.raises(ImportFileError, match="header row but no data rows"):
        read_table(xlsx_bytes([["code", "name"]]), "s.xlsx")
    table = read_table(xlsx_bytes([["code", "name"], ["1", "A"]], sheets=2), "s.xlsx")
    assert table.notes == ["only the first sheet, 'stations', was read"]


def test_xlsx_values_beyond_the_header_are_a_line_error():
    table = read_table(xlsx_bytes([["code", "name"], ["1", "A", "stray"]]), "s.xlsx")
    assert table.errors == [LineError(2, None, "has 3 fields but the header has 2")]
