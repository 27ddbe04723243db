"""The one reader of every import reads the CSV that Swedish Excel writes (issue 17, 5): the
encoding and separator are found, and a file it cannot read gets a plain Swedish reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from folja.core.csv_reader import UnreadableCsv, parse_decimal, read_table
from folja.testing.excel_csv import FLAVOURS, excel_semicolon_cp1252

ROWS = [
    ["Namn", "Stadsdel", "Belopp"],
    ["Åsa Öberg", "Hägersten-Älvsjö", "1 250,50"],
    ['Märta; "Lillan" Ek', "Skärholmen", "7,5"],
]


@pytest.mark.parametrize("flavour", sorted(FLAVOURS))
def test_each_way_a_swedish_office_saves_a_sheet_reads_the_same(flavour):
    data = FLAVOURS[flavour](ROWS)
    table = read_table(data, required=("namn", "stadsdel", "belopp"))
    assert table.rows == [
        {"namn": "Åsa Öberg", "stadsdel": "Hägersten-Älvsjö", "belopp": "1 250,50"},
        {"namn": 'Märta; "Lillan" Ek', "stadsdel": "Skärholmen", "belopp": "7,5"},
    ]
    assert table.row_numbers == [2, 3]


def test_the_windows_1252_file_really_holds_single_byte_swedish_letters():
    data = excel_semicolon_cp1252(ROWS)
    assert b"\xc5sa \xd6berg" in data and b"\r\n" in data  # Å, Ö as Excel writes them
    table = read_table(data, required=("namn",))
    assert (table.encoding, table.separator) == ("cp1252", ";")


def test_a_utf8_file_with_a_byte_order_mark_and_semicolons_is_read_as_utf8():
    table = read_table(FLAVOURS["excel-utf8-bom"](ROWS), required=("namn",))
    assert (table.encoding, table.separator) == ("utf-8-sig", ";")
    assert "namn" in table.header  # the BOM is not part of the first column's name


def test_the_separator_comes_from_the_header_even_when_every_row_has_one_decimal_comma():
    # csv.Sniffer would see one "," per data row as consistently as one ";" and pick ",".
    data = excel_semicolon_cp1252([["a", "b"], ["7,5", "x"], ["8,25", "y"], ["1,0", "z"]])
    table = read_table(data, required=("a", "b"))
    assert table.separator == ";"
    assert [r["a"] for r in table.rows] == ["7,5", "8,25", "1,0"]


def test_excels_sep_line_and_trailing_empty_rows_are_not_data():
    data = b"sep=;\r\na;b\r\n1;2\r\n;\r\n;\r\n"
    table = read_table(data, required=("a", "b"))
    assert table.rows == [{"a": "1", "b": "2"}]
    assert table.row_numbers == [3]


def test_a_header_in_capitals_with_spaces_still_names_its_columns():
    table = read_table(b" Datum ;BELOPP\r\n2024-01-01;5\r\n", required=("datum", "belopp"))
    assert table.rows == [{"datum": "2024-01-01", "belopp": "5"}]


def test_a_missing_column_is_named_in_swedish():
    with pytest.raises(UnreadableCsv) as exc:
        read_table(b"namn;belopp\r\nx;1\r\n", required=("datum", "namn"))
    assert [(p.field, p.code, p.message) for p in exc.value.problems] == [
        ("datum", "missing_column", "Hittar ingen kolumnrubrik 'datum'.")
    ]


def test_a_file_in_neither_utf8_nor_windows_1252_says_so_not_a_codec_message():
    # 0x81 and 0x9D are undefined in Windows-1252 and not UTF-8 either.
    with pytest.raises(UnreadableCsv) as exc:
        read_table(b"namn;belopp\r\n\x81\x9d;1\r\n", required=("namn",))
    (problem,) = exc.value.problems
    assert problem.code == "encoding"
    assert problem.message.startswith("Filen är inte i UTF-8 eller Windows-1252")
    assert "codec" not in problem.message and "byte 0x" not in problem.message


def test_an_excel_workbook_sent_instead_of_csv_is_told_how_to_save_it():
    with pytest.raises(UnreadableCsv) as exc:
        read_table(b"PK\x03\x04\x14\x00\x06\x00binary", required=("namn",))
    assert exc.value.problems[0].code == "not_csv"
    assert "CSV (semikolonavgränsad)" in exc.value.problems[0].message


def test_a_broken_utf8_file_with_a_byte_order_mark_names_where_it_breaks():
    with pytest.raises(UnreadableCsv) as exc:
        read_table(b"\xef\xbb\xbfnamn\r\n\xe5sa\r\n", required=("namn",))
    assert exc.value.problems[0].message.startswith("Filen börjar som UTF-8")


def test_an_empty_file_and_a_file_of_one_column_are_explained():
    with pytest.raises(UnreadableCsv) as exc:
        read_table(b"\r\n  \r\n", required=("namn",))
    assert exc.value.problems[0].message == "Filen är tom."
    with pytest.raises(UnreadableCsv) as exc:
        read_table(b"namn|belopp\r\nx|1\r\n", required=("namn", "belopp"))
    assert "separator" in {p.code for p in exc.value.problems}


def test_a_row_with_more_fields_than_the_header_is_reported_on_its_row():
    table = read_table(b"a;b\r\n1;2\r\n1;2;3\r\n", required=("a", "b"))
    assert [(p.row, p.code) for p in table.extra] == [(3, "extra_fields")]


def test_utf16_unicode_text_from_excel_is_read_too():
    data = "a\tb\r\nå\tä\r\n".encode("utf-16")
    assert read_table(data, required=("a", "b")).rows == [{"a": "å", "b": "ä"}]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 250,50", Decimal("1250.50")),
        ("1\u00a0250,50", Decimal("1250.50")),
        ("7,5", Decimal("7.5")),
        ("7.5", Decimal("7.5")),
        ("\u22123,25", Decimal("-3.25")),
        ("12", Decimal("12")),
    ],
)
def test_numbers_are_read_as_swedes_write_them(text, value):
    assert parse_decimal(text) == value


@pytest.mark.parametrize("text", ["", "1,2,3", "1.250,50", "NaN", "Infinity", "٣", "abc"])
def test_what_is_not_a_number_is_refused(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=200).map(lambda t: t.encode("utf-8")))
def test_any_bytes_are_read_or_refused_with_a_reason_never_an_exception(data):
    try:
        table = read_table(data, required=("a",))
    except UnreadableCsv as exc:
        assert exc.problems and all(p.message for p in exc.problems)
    else:
        assert "a" in table.header
        assert len(table.rows) == len(table.row_numbers)
