"""A CSV mixing UTF-8 and cp1252 is refused with the line where the encoding changes; one
encoding throughout is read as before. No app needed."""

import pytest

from observer_suite.imports.encoding import CHUNK, detect_encoding
from observer_suite.imports.tabular import ImportFileError, read_table

HEADER = "code,name\n"


def refused(data: bytes) -> str:
    with pytest.raises(ImportFileError) as caught:
        read_table(data, "s.csv")
    return str(caught.value)


def test_utf8_lines_then_a_cp1252_line():
    data = (HEADER + "1,Été\n2,Nord\n").encode() + "3,Côte\n".encode("cp1252") + b"4,Sud\n"
    assert refused(data) == (
        "line 4: this line is not UTF-8 but line 2 is; the file mixes two encodings: save it "
        "again as “CSV UTF-8” and upload that"
    )


def test_cp1252_lines_then_a_utf8_line():
    cp1252 = (HEADER + "".join(f"{n},École – Nord {n}\n" for n in range(5000))).encode("cp1252")
    table = read_table(cp1252, "s.csv")  # one encoding throughout is read as before
    assert table.rows[-1] == (5001, ["4999", "École – Nord 4999"])
    assert table.notes == ["the file is not UTF-8; it was read as cp1252"]
    assert refused(cp1252 + "x,Été\n".encode()).startswith(
        "line 5002: this line is UTF-8 but line 2 is not;"
    )
    assert detect_encoding("a,Ã©".encode("cp1252")) == "utf-8-sig"  # that is UTF-8 for "é"


def test_both_encodings_in_one_line():
    data = HEADER.encode() + "1,Été ".encode() + "Côte\n".encode("cp1252")
    assert refused(data).startswith("line 2: this line is not UTF-8 but line 2 is;")


def test_a_utf8_byte_order_mark_then_cp1252():
    data = "\ufeffcode,name\n".encode() + "1,Côte\n".encode("cp1252")
    assert refused(data).startswith("line 2: this line is not UTF-8 but line 1 is;")


def test_the_change_is_found_past_the_first_chunk():
    lines = [f"{n},Été {n}\n" for n in range(CHUNK // 10)]
    data = (HEADER + "".join(lines)).encode() + "x,Côte\n".encode("cp1252")
    assert refused(data).startswith(f"line {len(lines) + 2}: this line is not UTF-8 but line 2")
