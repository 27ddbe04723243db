"""CSV bytes exactly as Swedish Excel saves a sheet, for the import tests.

"CSV (semikolonavgränsad)": Windows-1252, `;` between fields, CRLF after every row (the last
one too), a field quoted only when it holds `;`, `"` or a line break. "CSV UTF-8": the same
with UTF-8 and a byte-order mark. Decimal numbers are written as the sheet shows them, with a
decimal comma (the caller writes the cell text). Plain UTF-8 with commas and LF is what other
systems send.
"""

from __future__ import annotations

from collections.abc import Sequence


def _cell(value: object, separator: str) -> str:
    text = "" if value is None else str(value)
    if separator in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _text(rows: Sequence[Sequence[object]], separator: str, newline: str) -> str:
    return "".join(separator.join(_cell(v, separator) for v in row) + newline for row in rows)


def excel_semicolon_cp1252(rows: Sequence[Sequence[object]]) -> bytes:
    return _text(rows, ";", "\r\n").encode("cp1252")


def excel_utf8_bom(rows: Sequence[Sequence[object]]) -> bytes:
    return b"\xef\xbb\xbf" + _text(rows, ";", "\r\n").encode("utf-8")


def plain_utf8_comma(rows: Sequence[Sequence[object]]) -> bytes:
    return _text(rows, ",", "\n").encode("utf-8")


FLAVOURS = {
    "excel-semikolon-cp1252": excel_semicolon_cp1252,
    "excel-utf8-bom": excel_utf8_bom,
    "utf8-komma": plain_utf8_comma,
}
