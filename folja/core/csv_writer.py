"""Writing CSV: the one convention of every CSV file Följa produces (docs/exports.md says why).

- UTF-8 with a byte-order mark: Excel, which the city's offices open these files in, reads a
  UTF-8 file without one as Windows-1252 and shows "SkÃ¤rholmen"; every CSV library worth the
  name (Python's utf-8-sig, pandas, R's readr, Frictionless) skips it.
- `;` between fields and a decimal comma in numbers, as Swedish Excel writes and reads CSV
  (with `,` it puts a whole row in one cell and reads "7.5" as a date or text). Följa's own
  imports read the same (folja.core.csv_reader), so an export can be edited and sent back.
- CRLF after every record and quoting only where needed (RFC 4180).
- Timestamps in RFC 3339 with the offset (`2024-02-20T10:00:00+01:00`), Stockholm time; dates
  as `YYYY-MM-DD`; true/false as `1`/`0`; nothing as an empty field.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse

BOM = "\ufeff"
SEPARATOR = ";"
LINE_END = "\r\n"
CONTENT_TYPE = "text/csv; charset=utf-8"


def timestamp(value: datetime) -> str:
    """RFC 3339 with the offset. Följa stores Stockholm wall-clock time (USE_TZ is off), so a
    naive time is Stockholm's; an aware one is converted to it."""
    zone = ZoneInfo(settings.TIME_ZONE)
    value = value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
    return value.isoformat(timespec="seconds")


def decimal_text(value: Decimal | float) -> str:
    """A number with a decimal comma and no thousands separator (a separator would make it
    text to a program reading the file)."""
    text = format(value, "f") if isinstance(value, Decimal) else repr(float(value))
    return text.replace(".", ",")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (Decimal, float)):
        return decimal_text(value)
    return str(value)


class _Line:
    def write(self, value: str) -> str:
        return value


def _writer(out) -> Any:
    return csv.writer(out, delimiter=SEPARATOR, lineterminator=LINE_END)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The whole file as text, the byte-order mark first."""
    buffer = io.StringIO()
    writer = _writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return BOM + buffer.getvalue()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    return csv_text(header, rows).encode("utf-8")


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The file a record at a time, for a streamed response of many rows."""
    writer = _writer(_Line())
    yield BOM + writer.writerow(header)
    for row in rows:
        yield writer.writerow([cell(v) for v in row])


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, stream: bool = False
) -> HttpResponse | StreamingHttpResponse:
    if stream:
        response = StreamingHttpResponse(
            (line.encode("utf-8") for line in csv_lines(header, rows)), content_type=CONTENT_TYPE
        )
    else:
        response = HttpResponse(csv_bytes(header, rows), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
