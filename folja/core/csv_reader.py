"""Reading the CSV files people send: the one reader behind every import (the providers' session
import in the API and the web, and the history import on the command line).

A Swedish office's CSV is whatever Excel wrote: "CSV (semikolonavgränsad)" is Windows-1252 with
`;` between fields (Swedish Excel's list separator, because the comma is the decimal mark),
"CSV UTF-8" is UTF-8 with a byte-order mark, also with `;`, and other systems write plain UTF-8
with commas. Lines end in CRLF or LF. So the reader:

- decodes: a UTF-8 (or UTF-16, Excel's "Unicode text") byte-order mark says so; otherwise strict
  UTF-8, and if that fails strict Windows-1252. Every other byte sequence is a plain Swedish
  error, never a codec message. Telling the two apart needs no guessing library: Swedish text in
  Windows-1252 is never valid UTF-8 (å is the lone byte E5, which UTF-8 only allows as the
  start of a three-byte sequence), and the five bytes Windows-1252 leaves undefined, NUL bytes
  and a zip file's signature (an .xlsx workbook sent as it is) are what an unreadable file has;
- finds the separator on the header row: the one of `;`, `,` and TAB it holds most often
  (outside quotes). `csv.Sniffer` looks at the data rows too, and a file with one decimal-comma
  amount per row has as consistent a count of `,` as of `;`, and it then prefers the comma;
  the header row has no numbers. Excel's `sep=;` first line is honoured;
- reads the header case- and space-insensitively, and skips the all-empty rows Excel leaves at
  the end of a sheet, keeping each row's number as a spreadsheet shows it (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

SEPARATORS = (";", ",", "\t")
SEPARATOR_NAMES = {";": "semikolon", ",": "komma", "\t": "tabb"}
# Thousands separators Excel and people write in Swedish numbers: space, no-break space,
# narrow no-break space.
THOUSANDS = (" ", "\u00a0", "\u202f")


@dataclass(frozen=True)
class CsvProblem:
    """Why a file could not be read at all (row 0: the file; row 1: the header)."""

    row: int
    field: str
    code: str
    message: str


class UnreadableCsv(Exception):
    def __init__(self, problems: list[CsvProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass
class CsvTable:
    header: list[str]
    rows: list[dict[str, str]]
    # The spreadsheet row number of each row in `rows` (header = 1; skipped empty rows count).
    row_numbers: list[int]
    encoding: str
    separator: str
    extra: list[CsvProblem] = field(default_factory=list)


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the name of its encoding (`utf-8-sig`, `utf-8`, `utf-16`,
    `cp1252`); raises UnreadableCsv naming the problem."""
    if data.startswith(b"PK\x03\x04"):
        raise UnreadableCsv(
            [
                CsvProblem(
                    0,
                    "file",
                    "not_csv",
                    _(
                        "Filen är en Excel-arbetsbok (.xlsx), inte CSV. Spara den i Excel som "
                        "”CSV (semikolonavgränsad)” eller ”CSV UTF-8” och skicka den igen."
                    ),
                )
            ]
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise _encoding_error() from None
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise UnreadableCsv(
                [
                    CsvProblem(
                        0,
                        "file",
                        "encoding",
                        _(
                            "Filen börjar som UTF-8 men har tecken som inte är UTF-8 "
                            "(byte %(position)s)."
                        )
                        % {"position": exc.start + 1},
                    )
                ]
            ) from None
    if b"\x00" in data:
        raise _encoding_error()
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise _encoding_error() from None


def _encoding_error() -> UnreadableCsv:
    return UnreadableCsv(
        [
            CsvProblem(
                0,
                "file",
                "encoding",
                _(
                    "Filen är inte i UTF-8 eller Windows-1252. Spara den i Excel som "
                    "”CSV (semikolonavgränsad)” eller ”CSV UTF-8”."
                ),
            )
        ]
    )


def _separator(header_line: str) -> str:
    counts = {sep: 0 for sep in SEPARATORS}
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(SEPARATORS, key=lambda s: counts[s])  # ties: the order of SEPARATORS
    return best if counts[best] else ";"


def normalize_header(name: str) -> str:
    return " ".join(name.split()).lower()


def read_table(
    data: bytes | str, *, required: Sequence[str], allowed: Sequence[str] | None = None
) -> CsvTable:
    """Read a CSV file with a header row naming at least `required` (and, when `allowed` is
    given, nothing outside it). Values are stripped; empty cells are "". Raises UnreadableCsv
    with every problem that stops the file from being read at all."""
    if isinstance(data, bytes):
        text, encoding = decode(data)
    else:
        text, encoding = data.removeprefix("\ufeff"), "text"
    if not text.strip():
        raise UnreadableCsv([CsvProblem(0, "file", "empty", _("Filen är tom."))])
    lines = text.splitlines(keepends=True)
    first_row = 1
    forced = None
    first = lines[0].strip().lower()
    if first.startswith("sep=") and len(first) == 5:
        # Excel's hint line: "sep=;" says the separator and is not the header.
        forced = lines[0].strip()[4]
        lines = lines[1:]
        first_row = 2
    separator = forced or _separator(lines[0] if lines else "")
    reader = csv.reader(io.StringIO("".join(lines), newline=""), delimiter=separator)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise UnreadableCsv(
            [
                CsvProblem(
                    reader.line_num,
                    "file",
                    "invalid_csv",
                    _("Rad %(row)s går inte att läsa som CSV (%(reason)s).")
                    % {"row": reader.line_num + first_row - 1, "reason": str(exc)[:80]},
                )
            ]
        ) from None
    if not records:
        raise UnreadableCsv([CsvProblem(0, "file", "empty", _("Filen är tom."))])
    header = [normalize_header(h) for h in records[0]]
    problems: list[CsvProblem] = []
    for name in required:
        if name not in header:
            problems.append(
                CsvProblem(
                    first_row,
                    name,
                    "missing_column",
                    _("Hittar ingen kolumnrubrik '%(name)s'.") % {"name": name},
                )
            )
    if problems and len(header) == 1:
        problems.append(
            CsvProblem(
                first_row,
                "file",
                "separator",
                _(
                    "Rubrikraden har bara en kolumn: fälten ska skiljas åt med semikolon, "
                    "komma eller tabb."
                ),
            )
        )
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            problems.append(
                CsvProblem(
                    first_row,
                    name,
                    "duplicate_column",
                    _("Kolumnrubriken '%(name)s' finns två gånger.") % {"name": name},
                )
            )
        seen.add(name)
    if problems:
        raise UnreadableCsv(problems)
    extra: list[CsvProblem] = []
    if allowed is not None:
        for name in header:
            if name and name not in allowed:
                extra.append(
                    CsvProblem(
                        first_row,
                        name,
                        "unknown_column",
                        _("Kolumnen '%(name)s' ingår inte i formatet.") % {"name": name},
                    )
                )
    rows: list[dict[str, str]] = []
    numbers: list[int] = []
    for offset, record in enumerate(records[1:], start=1):
        cells = [c.strip() for c in record]
        if not any(cells):
            continue  # an empty line, or Excel's ";;;;" row at the end of a sheet
        row: dict[str, str] = {}
        for i, value in enumerate(cells):
            name = header[i] if i < len(header) else ""
            if not name:
                if value:
                    extra.append(
                        CsvProblem(
                            first_row + offset,
                            "row",
                            "extra_fields",
                            _("Raden har fler fält än rubrikraden."),
                        )
                    )
                continue
            row[name] = value
        for name in header[len(cells) :]:
            if name:
                row[name] = ""
        rows.append(row)
        numbers.append(first_row + offset)
    return CsvTable(
        header=header,
        rows=rows,
        row_numbers=numbers,
        encoding=encoding,
        separator=separator,
        extra=extra,
    )


def parse_decimal(text: str) -> Decimal:
    """A number as Swedes and Excel write it: decimal comma or point, spaces between the
    thousands (`1 250,50`), a minus sign or a hyphen. Raises ValueError."""
    value = text.strip().replace("\u2212", "-")
    for sep in THOUSANDS:
        value = value.replace(sep, "")
    if value.count(",") + value.count(".") > 1 or not value:
        raise ValueError(text)
    if not value.isascii():
        raise ValueError(text)
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number
