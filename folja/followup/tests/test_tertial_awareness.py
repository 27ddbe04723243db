"""Awareness trends in the tertial report (issue 15, item 7): the Excel file holds the PDF's
awareness section — the same rows, the same figures, suppressed the same way — both from the
one selector (`surveys.selectors.awareness_trend`)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from openpyxl import load_workbook
from pypdf import PdfReader

from folja.accounts.models import Role
from folja.followup.opendata import SUPPRESSED
from folja.followup.reports import AWARENESS_COLUMNS, AWARENESS_SHEET, write_tertial_report
from folja.surveys.models import Question
from folja.surveys.services import question_bank_ensure, survey_answer, survey_create
from folja.testing.factories import DistrictFactory, PersonFactory, make_user

pytestmark = pytest.mark.django_db

KEYS = ("flex-three-months", "expense-allowance")


@pytest.fixture(autouse=True)
def _bank():
    cache.clear()
    question_bank_ensure()


def _survey(title: str, opens_on: date, closes_on: date):
    return survey_create(
        user=make_user(Role.ANALYST),
        title=title,
        audience="persons",
        opens_on=opens_on,
        closes_on=closes_on,
        questions=list(Question.objects.filter(key__in=KEYS)),
    )


def _answer(survey, district, values: dict, n: int) -> None:
    for _ in range(n):
        person = PersonFactory(district=district)
        survey_answer(
            user=make_user(Role.PERSON, person=person), survey=survey, person=person, values=values
        )


@pytest.fixture
def surveys():
    north, south = DistrictFactory(name="Norra"), DistrictFactory(name="Södra")
    with time_machine.travel("2024-02-10 10:00 +01:00", tick=False):
        spring = _survey("Enkät vintern 2024", date(2024, 2, 1), date(2024, 2, 29))
        yes_no = {"flex-three-months": "yes", "expense-allowance": "no"}
        _answer(spring, north, yes_no, 6)
        _answer(spring, north, {"flex-three-months": "no", "expense-allowance": "no"}, 5)
        _answer(spring, south, yes_no, 2)
    with time_machine.travel("2024-06-10 10:00 +02:00", tick=False):
        summer = _survey("Enkät sommaren 2024", date(2024, 6, 1), date(2024, 6, 30))
        _answer(summer, north, {"flex-three-months": "yes", "expense-allowance": "yes"}, 9)
        _answer(summer, south, {"flex-three-months": "yes"}, 3)
    return north, south


def _sheet_rows(xlsx) -> list[list]:
    ws = load_workbook(xlsx)[AWARENESS_SHEET]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == [label for _key, label in AWARENESS_COLUMNS]
    return rows[1:]


def _pdf_awareness(pdf) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    section = text.split("Kännedom om modellen i enkäterna", 1)[1]
    # A period wraps after its dash in the table's narrow column.
    return re.sub(r"–\s+", "–", re.sub(r"\s+", " ", section.replace("\xa0", " ")))


def _as_pdf_writes(value) -> str:
    if isinstance(value, float):  # the share as a whole percentage, as the PDF writes it
        return f"{Decimal(str(value)) * 100:.0f} %"
    return str(value)


def _report(tmp_path, district):
    with time_machine.travel("2024-09-10 10:00 +02:00", tick=False):
        return write_tertial_report(year=2024, tertial=2, district=district, out=tmp_path)


def test_the_excel_holds_the_pdfs_awareness_figures_for_the_city(surveys, tmp_path):
    pdf, xlsx = _report(tmp_path, None)
    rows = _sheet_rows(xlsx)
    text = _pdf_awareness(pdf)
    # Two surveys × two awareness questions, in the order of the PDF.
    assert [(r[0], r[2]) for r in rows] == [
        (title, Question.objects.get(key=key).text)
        for title in ("Enkät vintern 2024", "Enkät sommaren 2024")
        for key in KEYS
    ]
    for row in rows:
        assert " ".join(_as_pdf_writes(v) for v in row) in text, row
    winter_flex = rows[0]
    assert winter_flex[3] == 13 and winter_flex[4] == pytest.approx(8 / 13, abs=0.005)
    assert _as_pdf_writes(winter_flex[4]) == "62 %"
    ws = load_workbook(xlsx)[AWARENESS_SHEET]
    assert ws["D2"].number_format == "#,##0" and ws["E2"].number_format == "0%"


def test_a_suppressed_district_is_suppressed_in_both_files(surveys, tmp_path):
    _north, south = surveys
    pdf, xlsx = _report(tmp_path, south)
    rows = _sheet_rows(xlsx)
    text = _pdf_awareness(pdf)
    assert rows and all(r[3] == SUPPRESSED and r[4] == SUPPRESSED for r in rows)
    for row in rows:
        assert " ".join(_as_pdf_writes(v) for v in row) in text, row


def test_a_report_without_surveys_says_so_in_both_files(tmp_path):
    pdf, xlsx = _report(tmp_path, None)
    assert _sheet_rows(xlsx) == [["Inga enkäter ännu.", None, None, None, None]]
    assert "Inga enkäter ännu." in _pdf_awareness(pdf)
