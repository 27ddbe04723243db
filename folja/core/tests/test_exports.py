"""One export convention (issue 17, 7): every CSV Följa writes has the same encoding, separator,
line ending, decimal mark and timestamp form (docs/exports.md), its columns are those of the
data dictionary (docs/data-dictionary.md, read here so it cannot drift), and Excel files carry
number formats."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from folja.accounts.models import Role
from folja.audit.models import AccessLog
from folja.audit.services import log_access
from folja.audit.views import EXPORT_COLUMNS
from folja.core.csv_writer import cell, csv_bytes, timestamp
from folja.core.xlsx import DATE, DATETIME, MONEY, WHOLE, write_table
from folja.followup.management.commands.report import REJECTIONS_COLUMNS
from folja.followup.opendata import COLUMNS as OPEN_DATA_COLUMNS
from folja.followup.opendata import open_data_csv
from folja.payments.exports import SUMMARY_HEADER, payment_csv, payment_xlsx
from folja.payments.selectors import EXPORT_HEADER
from folja.providers.views_upload import ERROR_REPORT_COLUMNS
from folja.reports.kpb import DISTRICT_HEADER, PERSON_HEADER
from folja.testing.factories import DecisionFactory, make_user
from folja.testing.factories_providers import february_paid, provider_world

DICTIONARY = Path(settings.BASE_DIR) / "docs" / "data-dictionary.md"
# Each table of the data dictionary, by its marker, and the header the code writes.
WRITTEN = {
    "payment": EXPORT_HEADER,
    "payment_summary": SUMMARY_HEADER,
    "access_log": EXPORT_COLUMNS,
    "open_data": OPEN_DATA_COLUMNS,
    "upload_errors": ERROR_REPORT_COLUMNS,
    "rejections": REJECTIONS_COLUMNS,
    "kpb_persons": PERSON_HEADER,
    "kpb_districts": DISTRICT_HEADER,
}
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
NOW = datetime(2024, 3, 2, 9, 0)


def dictionary_tables() -> dict[str, list[str]]:
    tables: dict[str, list[str]] = {}
    key = None
    for line in DICTIONARY.read_text("utf-8").splitlines():
        marker = re.match(r"<!-- columns: (\w+) -->", line)
        if marker:
            key = marker.group(1)
            tables[key] = []
        elif key and line.startswith("| ") and not line.startswith("| column "):
            tables[key].append(line.split("|")[1].strip())
    return tables


def test_the_data_dictionary_lists_the_columns_of_every_file_in_the_files_order():
    assert dictionary_tables() == {k: list(v) for k, v in WRITTEN.items()}


def records(data: bytes) -> list[list[str]]:
    """The file read back strictly by the convention: BOM, UTF-8, `;`, CRLF after every record."""
    assert data.startswith(b"\xef\xbb\xbf"), data[:10]
    text = data.decode("utf-8")[1:]
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", ""), "a bare LF outside quoted fields"
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True))


@pytest.fixture
def paid_run(db):
    with time_machine.travel(NOW, tick=False):
        world = provider_world()
        run = february_paid(world, external_id="konv-1")
    return world, run


def test_the_payment_file_follows_the_convention(paid_run):
    _world, run = paid_run
    rows = records(payment_csv(run))
    assert rows[0] == EXPORT_HEADER
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["start"] == "2024-02-20T18:00:00+01:00"
    assert line["end"] == "2024-02-20T21:30:00+01:00"
    assert re.fullmatch(r"\d+,\d\d", line["amount_sek"]), line["amount_sek"]
    assert line["excluded"] in ("0", "1")


def test_the_access_log_export_follows_the_convention(client, db):
    admin = make_user(Role.ADMINISTRATOR)
    person = DecisionFactory().person
    with time_machine.travel(datetime(2024, 7, 1, 10, 30), tick=False):
        log_access(user=make_user(Role.CASEWORKER), person=person, what="test", path="/x/")
    client.force_login(admin)
    response = client.get(
        reverse("audit:export"), {"format": "csv", "since": "2024-06-01", "until": "2024-07-14"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = records(b"".join(response.streaming_content))
    assert rows[0] == EXPORT_COLUMNS
    entry = dict(zip(rows[0], rows[1], strict=True))
    stored = AccessLog.objects.get(what="test").at  # Stockholm wall-clock time, in July
    assert entry["at"] == f"{stored:%Y-%m-%dT%H:%M:%S}+02:00"  # summer time: the offset says so
    assert RFC3339.match(entry["at"])
    assert entry["protected"] in ("0", "1") and entry["in_caseload"] in ("0", "1")


def test_open_data_follows_the_convention(db):
    DecisionFactory(decided_on=date(2024, 3, 1))
    data = open_data_csv(years=[2024]).encode("utf-8")
    rows = records(data)
    assert rows[0] == list(OPEN_DATA_COLUMNS)
    assert rows[-1][1] == "Hela staden"


def test_the_rejections_report_follows_the_convention(db):
    out = StringIO()
    call_command("report", "rejections", "--year", "2024", "--format", "csv", stdout=out)
    rows = records(out.getvalue().encode("utf-8"))
    assert rows[0] == list(REJECTIONS_COLUMNS)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2024, 1, 15, 8, 5), "2024-01-15T08:05:00+01:00"),
        (datetime(2024, 7, 15, 8, 5), "2024-07-15T08:05:00+02:00"),
        (date(2024, 2, 29), "2024-02-29"),
        (Decimal("2671040.00"), "2671040,00"),
        (Decimal("0.248"), "0,248"),
        (True, "1"),
        (False, "0"),
        (None, ""),
        (12, "12"),
        ("..", ".."),
    ],
)
def test_each_kind_of_value_is_written_one_way(value, text):
    assert cell(value) == text


def test_a_field_with_the_separator_or_a_quote_is_quoted_as_rfc_4180_says():
    data = csv_bytes(["a", "b"], [['Ek; "Lillan"', "rad\nbrytning"]])
    assert data == b'\xef\xbb\xbfa;b\r\n"Ek; ""Lillan""";"rad\nbrytning"\r\n'


def test_an_aware_time_is_written_in_stockholm_time_with_its_offset():
    from zoneinfo import ZoneInfo

    utc = datetime(2024, 3, 31, 1, 30, tzinfo=ZoneInfo("UTC"))  # after the switch to summer
    assert timestamp(utc) == "2024-03-31T03:30:00+02:00"


def test_the_payment_workbook_has_number_formats_and_typed_cells(paid_run):
    _world, run = paid_run
    wb = load_workbook(io.BytesIO(payment_xlsx(run)))
    rows = wb["Rader"]
    header = [c.value for c in rows[1]]
    assert header == EXPORT_HEADER
    first = {name: rows.cell(row=2, column=i + 1) for i, name in enumerate(header)}
    assert first["amount_sek"].number_format == MONEY == "#,##0.00"
    assert isinstance(first["amount_sek"].value, float)
    assert first["payable_minutes"].number_format == WHOLE
    assert isinstance(first["start"].value, datetime)
    assert first["start"].number_format == DATETIME
    summary = wb["Summering"]
    assert [c.value for c in summary[1]] == SUMMARY_HEADER
    total = next(r for r in summary.iter_rows() if r[0].value == "total_sek")
    assert total[1].number_format == MONEY


def test_write_table_formats_dates_and_named_columns(tmp_path):
    wb = Workbook()
    write_table(
        wb.active,
        ["dag", "belopp", "text"],
        [[date(2024, 1, 2), Decimal("1250.5"), "x"]],
        formats={"belopp": MONEY},
    )
    path = tmp_path / "t.xlsx"
    wb.save(path)
    ws = load_workbook(path).active
    assert ws["A2"].number_format == DATE
    assert ws["B2"].number_format == MONEY and ws["B2"].value == 1250.5
    assert ws["C2"].number_format == "General"
    assert ws["A1"].font.bold


def test_the_tertial_reports_workbook_formats_shares_hours_and_money(tmp_path, db):
    from folja.core.xlsx import DECIMAL, SHARE
    from folja.followup.reports import COLUMNS

    DecisionFactory(decided_on=date(2024, 2, 1))
    call_command("report", "tertial", "--year", "2024", "--tertial", "1", "--out", str(tmp_path))
    wb = load_workbook(tmp_path / "tertialrapport-2024-T1-stad.xlsx")
    ws = wb["Stadsdelar"]
    labels = dict(COLUMNS)
    header = [c.value for c in ws[1]]
    formats = {
        key: ws.cell(row=2, column=header.index(labels[key]) + 1)
        for key in ("rejection_share", "granted_hours", "expenses_sek", "decisions")
    }
    assert formats["decisions"].number_format == WHOLE
    for key, code in (("rejection_share", SHARE), ("granted_hours", DECIMAL)):
        if formats[key].value is not None:
            assert formats[key].number_format == code
    if formats["expenses_sek"].value is not None:
        assert formats["expenses_sek"].number_format == MONEY
