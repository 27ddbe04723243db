"""The case-mix-adjusted equality comparison as Excel (issue 14, item 8): the file opens with
openpyxl, holds the CSV file's figures cell for cell and the page's districts, with number
formats and a frozen header row (folja.core.xlsx)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from folja.accounts.models import Role
from folja.testing.factories import make_user
from folja.testing.factories_followup import build_small_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    cache.clear()
    return build_small_city()


def _number(text: str) -> float | None:
    return None if text == "" else float(text.replace(",", "."))


def test_the_equality_excel_has_the_csv_files_figures_with_number_formats(client, city):
    client.force_login(make_user(Role.ANALYST))
    with translation.override("sv"):
        response = client.get(reverse("followup:equality_xlsx"), {"year": 2024})
        csv_body = client.get(reverse("followup:equality_csv"), {"year": 2024})
        page = client.get(reverse("followup:equality"), {"year": 2024})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="folja-likvardighet-2024.xlsx"' in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Beviljade timmar", "Avslag och delavslag"]
    text = csv_body.content.decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
    assert rows
    for measure, sheet in (
        ("hours", wb["Beviljade timmar"]),
        ("rejection", wb["Avslag och delavslag"]),
    ):
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.bold
        expected = [r for r in rows if r[0] == measure]
        cells = [list(row) for row in sheet.iter_rows(min_row=2)]
        assert len(cells) == len(expected)
        for row, want in zip(cells, expected, strict=True):
            assert row[0].value == want[1]
            assert row[1].value == int(want[2]) and row[1].number_format == "#,##0"
            for cell, figure in zip(row[2:], want[3:], strict=True):
                assert (
                    cell.value == pytest.approx(_number(figure)) if figure else cell.value is None
                )
        formats = {c.number_format for row in cells for c in row[2:] if c.value is not None}
        if measure == "hours":
            assert formats == {"#,##0.0"}
        else:
            assert cells[0][2].number_format == "0.0%"
            assert {c.number_format for row in cells for c in row[3:] if c.value is not None} <= {
                "0.00"
            }
    html = page.content.decode()
    assert reverse("followup:equality_xlsx") in html
    for row in wb["Beviljade timmar"].iter_rows(min_row=2):
        assert f'<th scope="row">{row[0].value}</th>' in html
