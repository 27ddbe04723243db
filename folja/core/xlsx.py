"""Excel sheets: typed cells with number formats, the one way Följa writes a table to .xlsx.

A format code in the file is always written in Excel's invariant notation (`,` groups
thousands, `.` is the decimal mark); Excel shows it in the reader's locale, so MONEY appears as
`1 234,50` in Swedish Excel (`# ##0,00`) and `1,234.50` in English. Money stays a number the
finance system can sum, dates and times real Excel dates (not text).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

MONEY = "#,##0.00"  # shown as "# ##0,00" by Swedish Excel
WHOLE = "#,##0"  # minutes, counts
DECIMAL = "#,##0.0"  # hours
SHARE = "0.0%"  # a share 0..1 shown as a percentage
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"


def _by_type(value: Any) -> str | None:
    if isinstance(value, datetime):
        return DATETIME
    if isinstance(value, date):
        return DATE
    return None


def _value(value: Any) -> Any:
    # openpyxl writes Decimal as a number already; a float of it is what Excel holds anyway.
    return float(value) if isinstance(value, Decimal) else value


def write_table(
    ws: Worksheet,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    formats: Mapping[str, str] | None = None,
    freeze: str = "A2",
) -> None:
    """A header row in bold, then `rows` with each column's number format from `formats`
    (by column name), or DATE/DATETIME for dates and times."""
    formats = dict(formats or {})
    ws.append(list(header))
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    by_column = [formats.get(name) for name in header]
    for row in rows:
        ws.append([_value(v) for v in row])
        for cell, raw, fmt in zip(ws[ws.max_row], row, by_column, strict=False):
            code = fmt or _by_type(raw)
            if code and cell.value is not None and not isinstance(cell.value, str):
                cell.number_format = code
    if freeze:
        ws.freeze_panes = freeze
