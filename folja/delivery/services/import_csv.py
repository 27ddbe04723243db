"""The session import's file format: its columns, what each holds (shown on the upload page, in
`folja import sessions --help` and in the OpenAPI document), and reading a CSV file of it
through the one reader of every import (`folja.core.csv_reader`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from folja.core.csv_reader import UnreadableCsv, read_table
from folja.delivery.models import SessionStatus
from folja.delivery.services.imports import IMPORT_COLUMNS, ImportRejected, RowError

REQUIRED_COLUMNS = ("external_id", "personnummer", "start", "end", "status")

# One line per column, in the file's order: (column, required, what it holds).
COLUMN_HELP = (
    ("external_id", True, _("ert eget id för passet; samma id igen uppdaterar passet")),
    ("personnummer", True, _("ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN")),
    ("order_id", False, _("beställningens nummer i Följa; tomt: den beställning som gäller")),
    ("escort_id", False, _("ledsagarens nummer i Följa; får vara tomt")),
    ("start", True, _("starttid, ÅÅÅÅ-MM-DD TT:MM (svensk tid)")),
    ("end", True, _("sluttid, ÅÅÅÅ-MM-DD TT:MM")),
    ("status", True, _("passets status, en av koderna nedan")),
    ("cancelled_at", False, _("när personen avbokade, ÅÅÅÅ-MM-DD TT:MM (krävs vid avbokning)")),
    ("escorts", False, _("antal ledsagare, 1 eller 2; tomt betyder 1")),
)

FILE_HELP = _(
    "Filen: CSV från Excel (”CSV (semikolonavgränsad)” eller ”CSV UTF-8”) eller annan CSV i "
    "UTF-8; teckenkodning (UTF-8 eller Windows-1252) och avgränsare (semikolon, komma eller "
    "tabb) känns igen. Allt eller inget: en enda felaktig rad och ingenting sparas."
)

# For systems reading the OpenAPI document (English, as the API's own texts are).
IMPORT_FORMAT_TEXT = (
    "CSV with a header row: "
    + ",".join(IMPORT_COLUMNS)
    + " (required: "
    + ", ".join(REQUIRED_COLUMNS)
    + "). UTF-8 (with or without a byte-order mark) or Windows-1252; the separator ; , or TAB "
    "is read from the header row (Swedish Excel's 'CSV (semikolonavgränsad)' and 'CSV UTF-8' "
    "files are accepted as saved). Times are local: YYYY-MM-DD HH:MM or YYYY-MM-DDTHH:MM. "
    "An error's row counts the data rows from 1 (row 0: the file or its header)."
)


def column_help() -> list[dict]:
    """The columns for a page or a help text, each with its (translated) description."""
    return [{"name": c, "required": r, "help": h} for c, r, h in COLUMN_HELP]


def status_help() -> list[tuple[str, str]]:
    """The codes the status column takes, each with its label (the file holds the code)."""
    return [(str(value), str(label)) for value, label in SessionStatus.choices]


def format_help_text() -> str:
    """The format as plain text, for `--help`."""
    lines = [
        str(_("Kolumner (rubrikraden; * = krävs):")),
        *(f"  {c}{'*' if r else ''}: {h}" for c, r, h in COLUMN_HELP),
        str(_("Status:")),
        *(f"  {code} = {label}" for code, label in status_help()),
    ]
    return "\n".join(lines)


@dataclass
class CsvRows:
    rows: list[dict[str, str]]
    # Each row's number in the file as a spreadsheet shows it (the header is row 1).
    row_numbers: list[int]


def import_rows_from_csv(data: bytes | str) -> CsvRows:
    """The rows of a session file, for `sessions_import`. A file that cannot be read raises
    ImportRejected with a Swedish message: row 0 for the file or its header, else the row's
    number as `sessions_import` counts them (the first data row is 1)."""
    try:
        table = read_table(data, required=REQUIRED_COLUMNS)
    except UnreadableCsv as exc:
        raise ImportRejected(
            [RowError(0, p.field, p.code, p.message) for p in exc.problems]
        ) from None
    if table.extra:
        # Cells to the right of the header: the row's fields do not line up with the header.
        index = {n: i for i, n in enumerate(table.row_numbers, start=1)}
        raise ImportRejected(
            [RowError(index.get(p.row, 0), p.field, p.code, p.message) for p in table.extra]
        )
    return CsvRows(rows=table.rows, row_numbers=table.row_numbers)
