"""The activity handbook in the follow-up (issue 15, items 3–4): the dashboard and the
tertial report (PDF and Excel) show the same handling time of tillämpningsfrågor and the same
grey-zone practice per district with its departure flag, from one composition
(`followup.handbook`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from folja.accounts.models import Role
from folja.followup.reports import write_tertial_report
from folja.testing.factories import make_user

pytestmark = pytest.mark.django_db

AT = datetime(2024, 6, 10, 12, 0)
MEDIAN = "Handläggningstid för tillämpningsfrågor, median (dagar)"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages).replace("\xa0", " ")


def test_the_dashboard_the_tertial_pdf_and_the_excel_show_the_same_handling_time_and_flags(
    handbook_city, tmp_path, client
):
    client.force_login(handbook_city["analyst"])
    with time_machine.travel(AT, tick=False):
        pdf, xlsx = write_tertial_report(year=2024, tertial=1, district=None, out=tmp_path)
        page = client.get(reverse("followup:dashboard"), {"year": 2024, "tertial": 1})
    handbook = page.context["handbook"]
    [row] = handbook["handling"]
    assert (row.label, row.asked, row.answered, row.median_days, row.open_at_end) == (
        "2024 T1",
        5,
        3,
        Decimal("4.0"),
        2,
    )
    html = page.content.decode()
    assert (
        '<th scope="row">2024 T1</th><td class="num">5</td><td class="num">3</td>'
        '<td class="num">4,0</td><td class="num">2</td>'
    ) in html
    wb = load_workbook(xlsx)
    sheet = list(wb["Tillämpningsfrågor"].iter_rows(values_only=True))
    assert sheet[1] == ("2024 T1", 5, 3, 4.0, 2)
    summary = {r[0].value: r[1].value for r in wb["Sammanfattning"].iter_rows(min_row=2)}
    assert summary[MEDIAN] == 4.0
    assert summary["Öppna tillämpningsfrågor vid periodens slut"] == 2
    text = _pdf_text(pdf)
    assert "2024 T1 5 3 4,0 2" in text
    # The grey-zone practice: the same district flagged on the page, in the PDF and the file.
    [activity] = [
        a for a in page.context["handbook"]["practice"] if a.activity == handbook_city["abroad"]
    ]
    assert activity.departing == ["Aström"]
    assert "Avviker från tillämpningen:</strong> Aström" in page.content.decode()
    rows = list(load_workbook(xlsx)["Gråzoner"].iter_rows(values_only=True))
    mine = [r for r in rows[1:] if r[0] == handbook_city["abroad"].name]
    assert (handbook_city["abroad"].name, "Ingår inte", "Aström", 6, 6, 1.0, "ja") in mine
    assert (handbook_city["abroad"].name, "Ingår inte", "Bergby", "..", "..", "..", "nej") in mine
    assert "Avviker från tillämpningen: Aström" in text


def test_a_unit_managers_dashboard_shows_their_own_districts_questions_and_practice(
    handbook_city, client
):
    client.force_login(make_user(Role.UNIT_MANAGER, district=handbook_city["b"]))
    with time_machine.travel(AT, tick=False):
        page = client.get(reverse("followup:district"), {"year": 2024, "tertial": 1})
    handbook = page.context["handbook"]
    assert [(r.asked, r.answered, r.open_at_end) for r in handbook["handling"]] == [(0, 0, 0)]
    assert {c.district for a in handbook["practice"] for c in a.cells} == {"Bergby"}
    assert "Aström" not in page.content.decode()
