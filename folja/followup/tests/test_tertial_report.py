"""The tertial report: the PDF (rendered by WeasyPrint, read back with pypdf), the Excel file
and the dashboard show the same figures, all from the one roll-up (`dashboards.overview`);
an ongoing tertial is preliminary and its execution rate counts passed months only; a year
without session data says "inga uppgifter"."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from folja.accounts.models import Role
from folja.core.templatetags.figures import amount, hours, percent
from folja.followup.dashboards import overview
from folja.followup.reports import COLUMNS, XLSX_FORMATS, write_tertial_report
from folja.followup.selectors import Slice
from folja.ledger.changed import person_figures_changed
from folja.rules.stats import AGE_BAND_KEYS
from folja.testing.factories import DecisionFactory, PersonFactory, make_user
from folja.testing.factories_followup import build_small_city

pytestmark = pytest.mark.django_db

AFTER = datetime(2025, 1, 10, 12, 0)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def city():
    with time_machine.travel(AFTER, tick=False):
        return build_small_city()


def _pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _summary(path) -> dict:
    ws = load_workbook(path)["Sammanfattning"]
    return {row[0].value: row[1] for row in ws.iter_rows(min_row=2)}


def test_the_tertial_pdf_the_excel_and_the_dashboard_agree_on_every_figure(city, tmp_path, client):
    with time_machine.travel(AFTER, tick=False):
        pdf, xlsx = write_tertial_report(year=2024, tertial=1, district=None, out=tmp_path)
        client.force_login(make_user(Role.ANALYST))
        page = client.get(reverse("followup:dashboard"), {"year": 2024, "tertial": 1})
    assert page.status_code == 200
    shown = page.context["data"]["total"]
    cells = _summary(xlsx)
    # Every figure of the Excel summary is the dashboard's, with its number format.
    for key, label in COLUMNS[1:]:
        cell = cells[label]
        expected = shown[key]
        if expected is None:
            assert cell.value is None, label
        else:
            assert Decimal(str(cell.value)) == Decimal(expected), label
    assert cells["Utförandegrad"].number_format == "0.0%"
    assert cells["Använd omkostnadsersättning (kr)"].number_format == "#,##0.00"
    assert cells["Utförda timmar"].number_format == "#,##0.0"
    assert [cells[c].value for c in ("Avbokade i tid", "Avbokade sent", "Uteblivna")] == [1, 1, 1]
    assert cells["Inställda av utföraren"].value == 1
    # T1 2024 by hand: granted 1800 + 155 + 300 + 240 (P4 in April), executed 960.
    assert shown["execution_rate"] == Decimal("0.3848")
    # The PDF writes the same figures in Swedish: 38 %, 16,0 timmar, 250,00 kr.
    text = _pdf_text(pdf).replace("\xa0", " ")
    assert "Preliminär" not in text
    for figure in (
        percent(shown["execution_rate"]),
        percent(shown["rejection_share"]),
        hours(shown["granted_minutes"]),
        hours(shown["executed_minutes"]),
        hours(shown["lapsed_minutes"]),
        amount(shown["expenses_sek"]),
    ):
        assert figure.replace("\xa0", " ") in text, figure
    assert "38 %" in text
    assert "250,00" in text
    assert "1 / 1 / 1 / 1" in text  # cancellations in time / late / no-show / by provider
    # Frozen header rows on every sheet of figures.
    wb = load_workbook(xlsx)
    assert all(wb[name].freeze_panes == "B2" for name in ("Månader", "Stadsdelar", "Kön"))


def test_an_ongoing_tertial_is_preliminary_and_counts_passed_months_only(city, tmp_path):
    with time_machine.travel(datetime(2024, 3, 15, 12, 0), tick=False):
        data = overview(Slice.tertial(2024, 1))
        pdf, xlsx = write_tertial_report(year=2024, tertial=1, district=None, out=tmp_path)
    assert data["preliminary"] is True
    # January and February have passed: executed 780 + 180 of granted 755 + 900.
    assert data["total"]["execution_rate"] == Decimal("0.5801")
    march, april = data["months"][2:]
    assert march["execution_rate"] is None and april["execution_rate"] is None
    text = _pdf_text(pdf)
    assert "Preliminär" in text
    assert "58 %" in text
    assert "feb. 2024" in text or "feb 2024" in text  # the last month counted is named
    cells = _summary(xlsx)
    assert cells["Preliminär"].value
    assert Decimal(str(cells["Utförandegrad"].value)) == Decimal("0.5801")


def test_a_year_without_session_data_says_inga_uppgifter(tmp_path):
    with time_machine.travel(AFTER, tick=False):
        person = PersonFactory(birth_date=date(1970, 1, 1))
        DecisionFactory(
            person=person,
            decided_on=date(2019, 1, 2),
            hours_per_month=Decimal("10"),
            valid_from=date(2019, 1, 1),
            valid_to=date(2019, 12, 31),
        )
        person_figures_changed(person_ids=[person.pk])
        data = overview(Slice.tertial(2019, 1))
        pdf, xlsx = write_tertial_report(year=2019, tertial=1, district=None, out=tmp_path)
    assert data["total"]["granted_minutes"] > 0
    assert data["total"]["execution_rate"] is None
    text = _pdf_text(pdf)
    assert "Utförandegrad inga uppgifter" in text
    assert "Utförandegrad 0 %" not in text
    assert _summary(xlsx)["Utförandegrad"].value == "inga uppgifter"


def test_applications_by_gender_and_age_are_counted(city):
    data = overview(Slice.year(2024))
    assert data["total"]["applications"] == 1  # P3, a girl of 13
    by_sex = {r["label"]: r["applications"] for r in data["sexes"]}
    assert by_sex["Kvinnor"] == 1
    assert sum(by_sex.values()) == 1
    by_age = {r["label"]: r["applications"] for r in data["ages"]}
    assert by_age[AGE_BAND_KEYS[0]] == 1
    assert sum(by_age.values()) == 1


SHEETS = {"Månader": "months", "Stadsdelar": "districts", "Kön": "sexes", "Åldersgrupper": "ages"}


def test_every_sheet_of_the_tertial_excel_is_the_dashboards_with_number_formats(
    city, tmp_path, client
):
    with time_machine.travel(AFTER, tick=False):
        pdf, xlsx = write_tertial_report(year=2024, tertial=1, district=None, out=tmp_path)
        client.force_login(make_user(Role.ANALYST))
        page = client.get(reverse("followup:dashboard"), {"year": 2024, "tertial": 1})
    shown = page.context["data"]
    wb = load_workbook(xlsx)
    labels = [label for _key, label in COLUMNS[1:]]
    for name, key in SHEETS.items():
        ws = wb[name]
        assert ws.freeze_panes == "B2", name
        header = [c.value for c in ws[1]]
        assert header[1:] == labels, name
        rows = {row[0].value: row for row in ws.iter_rows(min_row=2)}
        assert list(rows) == [r["label"] for r in shown[key]], name
        for r in shown[key]:
            cells = dict(zip(header[1:], rows[r["label"]][1:], strict=True))
            for column, label in COLUMNS[1:]:
                cell, expected = cells[label], r[column]
                if column == "execution_rate" and not r["has_sessions"]:
                    assert cell.value == "inga uppgifter", (name, r["label"])
                elif expected is None:
                    assert cell.value is None, (name, r["label"], label)
                else:
                    assert Decimal(str(cell.value)) == Decimal(expected), (name, label)
                    # Percent, hours and kronor as Excel formats, not text.
                    assert cell.number_format == XLSX_FORMATS[column], (name, label)
    # Cancellations by month sum to the summary's; applications by gender and by age are
    # the applications made (P3's), not zero.
    months = shown["months"]
    for column in ("cancelled_in_time", "cancelled_late", "no_shows", "cancelled_by_provider"):
        assert sum(m[column] for m in months) == shown["total"][column] == 1
    applications = shown["total"]["applications"]
    assert applications > 0
    for name in ("Kön", "Åldersgrupper"):
        column = labels.index("Ansökningar") + 1
        values = [row[column].value for row in wb[name].iter_rows(min_row=2)]
        assert sum(values) == applications, name
    # The PDF names the same applications by gender and age band.
    text = _pdf_text(pdf).replace("\xa0", " ")
    assert "Åldersgrupper" in text
    for r in shown["sexes"] + shown["ages"]:
        if r["applications"]:
            row = re.compile(rf"{re.escape(r['label'])} (\d+) .*")
            line = next(m for x in text.splitlines() if (m := row.fullmatch(x)))
            assert line[1] == str(r["persons"]), line[0]
            assert f" {r['applications']} " in line[0], line[0]
