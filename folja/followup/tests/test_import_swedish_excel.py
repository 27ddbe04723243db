"""The history import reads the files Swedish Excel saves (issue 17, 5): Windows-1252 or UTF-8
with a BOM, semicolons, CRLF and decimal commas, and an unreadable file is a Swedish reason."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from folja.cases.models import Decision
from folja.followup.imports import ImportFailed, import_decisions
from folja.testing.factories import DistrictFactory

pytestmark = pytest.mark.django_db

FILES = Path(__file__).resolve().parent / "files"


@pytest.fixture
def districts(db):
    DistrictFactory(code="SKH", name="Skärholmen")
    DistrictFactory(code="ALV", name="Älvsjö")


@pytest.mark.parametrize("name", ["beslut_excel_semikolon.csv", "beslut_excel_utf8.csv"])
def test_a_decisions_file_saved_by_swedish_excel_is_imported_with_its_decimal_hours(
    name, districts
):
    data = (FILES / name).read_bytes()
    assert b";" in data and b"\r\n" in data
    result = import_decisions(text=data)
    assert result.created == 3
    hours = dict(Decision.objects.values_list("district__name", "hours_per_month"))
    assert hours["Skärholmen"] in (Decimal("7.50"), None)
    granted = sorted(h for h in Decision.objects.values_list("hours_per_month", flat=True) if h)
    assert granted == [Decimal("7.50"), Decimal("8.50")]
    assert Decision.objects.get(hours_per_month=Decimal("8.50")).requested_hours_per_month == (
        Decimal("12.25")
    )


def test_the_cp1252_file_is_really_windows_1252():
    data = (FILES / "beslut_excel_semikolon.csv").read_bytes()
    assert "Skärholmen".encode("cp1252") in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert (FILES / "beslut_excel_utf8.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_command_imports_the_windows_1252_file_from_disk(districts):
    out = StringIO()
    call_command("import", "decisions", str(FILES / "beslut_excel_semikolon.csv"), stdout=out)
    assert "3 beslut importerade" in out.getvalue()


def test_the_command_names_a_missing_column_in_swedish_and_exits_2(tmp_path, capsys):
    path = tmp_path / "beslut.csv"
    path.write_bytes("person_ref;stadsdel\r\nx;Skärholmen\r\n".encode("cp1252"))
    with pytest.raises(SystemExit) as exc:
        call_command("import", "decisions", str(path))
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "1, district, missing_column: Hittar ingen kolumnrubrik 'district'." in err


def test_the_command_explains_a_file_in_another_encoding_without_a_codec_message(tmp_path, capsys):
    path = tmp_path / "beslut.csv"
    path.write_bytes("person_ref;district\r\nx;y\r\n".encode("utf-16-le") + b"\x81")
    with pytest.raises(SystemExit):
        call_command("import", "decisions", str(path))
    err = capsys.readouterr().err
    assert "Filen är inte i UTF-8 eller Windows-1252" in err
    assert "codec" not in err


def test_row_numbers_are_the_spreadsheets_even_after_an_empty_row(districts):
    data = (
        "person_ref;district;decided_on;legal_basis;outcome;requested_hours_per_month;"
        "granted_hours_per_month;valid_from;valid_to;model\r\n"
        ";;;;;;;;;\r\n"
        "ref-x;Skärholmen;2015-03-01;LSS;granted;10;sju;2015-03-10;2016-03-09;flex3\r\n"
    ).encode("cp1252")
    with pytest.raises(ImportFailed) as exc:
        import_decisions(text=data)
    assert [(e.row, e.field) for e in exc.value.errors] == [(3, "granted_hours_per_month")]


def test_the_help_documents_both_formats(capsys):
    with pytest.raises(SystemExit):
        call_command("import", "--help")
    out = capsys.readouterr().out
    for column in ("person_ref", "granted_hours_per_month", "external_id", "cancelled_at"):
        assert column in out
    assert "Windows-1252" in out and "semikolon" in out
    assert "executed = Utförd" in out
