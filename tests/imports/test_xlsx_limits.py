"""Workbooks that unpack to far more than was uploaded are refused before they are parsed,
and a sheet longer than the row limit as soon as the limit is passed (a 300 kB file used
to take 103 s and 1 GB). No app needed except for the setting."""

import io
import zipfile

import pytest

from observer_suite.imports import Limits, read_table, run_import
from observer_suite.imports.tabular import MB, ImportFileError
from tests.imports.files import (
    SHEET,
    declare_size,
    inline_row,
    rezip,
    sheet_xml,
    station_rows,
    streamed_member,
    xlsx,
)

SMALL = xlsx(station_rows(3))


def refused(data: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(ImportFileError) as caught:
        read_table(data, "s.xlsx", limits)
    return str(caught.value)


def test_declared_sizes_far_beyond_the_upload_limit_are_refused_before_parsing():
    bomb = declare_size(SMALL, SHEET, 3_000_000_000)
    assert refused(bomb) == (
        "the workbook unpacks to 2,861 MB, more than the 250 MB a workbook may unpack to: "
        "save the sheet as CSV and upload that"
    )


def test_a_real_compression_bomb_is_refused_from_its_zip_directory():
    padding = (b" " * MB for _ in range(40))  # 40 MB of whitespace between two rows
    rows = [inline_row(1, "code", "name"), None, inline_row(2, "1", "A")]
    chunks = [rows[0].encode(), *padding, rows[2].encode()]
    body = sheet_xml("{}").split(b"{}")
    bomb = streamed_member(SMALL, SHEET, [body[0], *chunks, body[1]])
    assert len(bomb) < 200_000
    limits = Limits.for_upload(4 * MB, 500_000)  # a workbook may unpack to 20 MB
    assert "unpacks to 40 MB, more than the 20 MB" in refused(bomb, limits)


def test_sizes_that_lie_bound_what_is_read():
    """The zip says 300 kB, the sheet is 5 MB: zipfile stops at the declared size, so the
    sheet reads as damaged where the lie is found instead of being unpacked in full."""
    data = xlsx(station_rows(50_000))
    liar = declare_size(data, SHEET, 300_000)
    message = refused(liar)
    assert "the workbook is damaged and its first sheet cannot be read from here on" in message
    assert "(BadZipFile: Bad CRC-32 for file 'xl/worksheets/sheet1.xml')" in message


def test_compression_methods_excel_does_not_use_are_refused():
    message = refused(rezip(SMALL, method=zipfile.ZIP_BZIP2))
    assert "is encrypted or compressed in a way Excel does not use" in message


def test_shared_strings_are_bounded_by_the_upload_limit():
    strings = rezip(SMALL, {"xl/sharedStrings.xml": b"<sst/>"})
    bomb = declare_size(strings, "xl/sharedStrings.xml", 60 * MB)
    limits = Limits.for_upload(50 * MB, 500_000)
    assert "the workbook's text unpacks to 60 MB, more than the 50 MB allowed" in refused(
        bomb, limits
    )


def test_a_declared_million_rows_are_refused_at_once():
    sheet = sheet_xml(inline_row(1, "code", "name") + inline_row(2, "1", "A"), "A1:B1048576")
    message = refused(rezip(SMALL, {SHEET: sheet}))
    assert message == (
        "the sheet 'Sheet' declares 1,048,576 rows; at most 500,000 can be imported from a "
        "workbook: delete the rows below the data or save the sheet as CSV and upload that"
    )


@pytest.mark.parametrize(
    "rows",
    [
        [inline_row(n, "code", "name") if n == 1 else inline_row(n, str(n), "A") for n in (1, 2)]
        + [inline_row(5000, "5000", "far below")],  # rows far apart, no dimension
        [inline_row(1, "code", "name")] + [inline_row(n, str(n), "A") for n in range(2, 150)],
    ],
    ids=["sparse", "dense"],
)
def test_rows_past_the_limit_are_counted_while_streaming(rows):
    data = rezip(SMALL, {SHEET: sheet_xml("".join(rows))})
    message = refused(data, Limits(max_rows=100))
    assert message == (
        "the sheet has more than 100 rows, the most that can be imported from a workbook: "
        "save the sheet as CSV and upload that"
    )
    table = read_table(xlsx(station_rows(100)), "s.xlsx", Limits(max_rows=100))
    assert len(table.rows) == 100  # exactly the limit is fine


def test_a_cell_at_column_xfd_does_not_make_every_row_16384_cells_wide():
    rows = inline_row(1, "code", "name") + inline_row(2, "1", "A")
    stray = '<row r="3"><c r="A3" t="inlineStr"><is><t>2</t></is></c>'
    stray += '<c r="B3" t="inlineStr"><is><t>B</t></is></c>'
    stray += '<c r="XFD3" t="inlineStr"><is><t>far</t></is></c></row>'
    table = read_table(rezip(SMALL, {SHEET: sheet_xml(rows + stray, "A1:XFD3")}), "s.xlsx")
    assert table.rows == [(2, ["1", "A"]), (3, ["2", "B"])] and table.errors == []
    assert "only the first 512 columns of the sheet were read" in table.notes


def test_the_row_limit_is_a_setting_with_a_default(app, mission_factory, monkeypatch):
    assert app.config["IMPORT_MAX_ROWS"] == 500_000
    mission = mission_factory(slug="limits")
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 20)
    result = run_import("stations", mission, xlsx(station_rows(25)), "s.xlsx", dry_run=True)
    assert result.file_error == (
        "the sheet 'Sheet' declares 26 rows; at most 20 can be imported from a workbook: "
        "delete the rows below the data or save the sheet as CSV and upload that"
    )
    csv_rows = "\n".join(["state,lga,ward,code,name", *(f"A,B,C,{n},N" for n in range(25))])
    assert run_import("stations", mission, csv_rows.encode(), "s.csv", dry_run=True).ok


def test_a_workbook_cannot_hide_its_size_in_many_members():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for n in range(10_001):
            archive.writestr(f"x/{n}", "")
    assert "the archive has 10,002 members" in refused(out.getvalue())
