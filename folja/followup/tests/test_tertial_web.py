"""The tertial report from the follow-up pages: asked for in a form, written by the background
job (the CLI's `write_tertial_report`), followed on a progress page through its JSON status,
and downloaded as PDF and Excel with the dashboard's figures; a unit manager's report is their
own district's."""

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
from folja.followup.dashboards import overview
from folja.followup.models import ReportStatus, TertialReportRun
from folja.followup.selectors import Slice
from folja.testing.factories import make_user
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


def _ask(client, captured, data: dict):
    with captured(execute=True):
        return client.post(reverse("followup:tertial"), data)


def test_an_analyst_asks_for_the_report_and_downloads_the_pdf_and_the_excel_file(
    city, client, django_capture_on_commit_callbacks, tmp_path
):
    client.force_login(make_user(Role.ANALYST))
    with time_machine.travel(AFTER, tick=False):
        assert client.get(reverse("followup:tertial")).status_code == 200
        response = _ask(client, django_capture_on_commit_callbacks, {"year": 2024, "tertial": 1})
        assert response.status_code == 302
        assert response["Location"] == "/uppfoljning/tertialrapport/2024-T1/"
        run = TertialReportRun.objects.get()
        assert run.status == ReportStatus.DONE and run.district is None
        state = client.get(reverse("followup:tertial_status", args=["2024-T1"])).json()
        assert state["finished"] is True and state["step"] == state["steps"]
        page = client.get(response["Location"])
        assert "Rapporten är klar" in page.content.decode()
        pdf = client.get(reverse("followup:tertial_pdf", args=["2024-T1"]))
        xlsx = client.get(reverse("followup:tertial_xlsx", args=["2024-T1"]))
        total = overview(Slice.tertial(2024, 1))["total"]
    assert pdf["Content-Type"] == "application/pdf"
    assert 'filename="tertialrapport-2024-T1-stad.pdf"' in pdf["Content-Disposition"]
    (tmp_path / "r.pdf").write_bytes(pdf.content)
    (tmp_path / "r.xlsx").write_bytes(xlsx.content)
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "r.pdf").pages)
    assert "38 %" in text  # the roll-up's 0.3848
    cells = {r[0].value: r[1].value for r in load_workbook(tmp_path / "r.xlsx")["Sammanfattning"]}
    assert Decimal(str(cells["Utförandegrad"])) == total["execution_rate"]
    assert cells["Personer med insatsen"] == total["persons"]


def test_a_unit_manager_gets_their_own_districts_report_only(
    city, client, django_capture_on_commit_callbacks
):
    manager = make_user(Role.UNIT_MANAGER, district=city["north"])
    client.force_login(manager)
    # The form has no district for a unit manager; a smuggled one is ignored.
    data = {"year": 2024, "tertial": 1, "district": city["south"].pk}
    response = _ask(client, django_capture_on_commit_callbacks, data)
    assert response.status_code == 302
    run = TertialReportRun.objects.get()
    assert run.district == city["north"]
    assert run.stem == "tertialrapport-2024-T1-norrby"
    assert client.get(reverse("followup:tertial_pdf", args=["2024-T1"])).status_code == 200
    # Söderby's unit manager sees no report for the period, and gets no file.
    client.force_login(make_user(Role.UNIT_MANAGER, district=city["south"]))
    page = client.get(reverse("followup:tertial_detail", args=["2024-T1"]))
    assert "Ingen rapport är beställd" in page.content.decode()
    assert client.get(reverse("followup:tertial_status", args=["2024-T1"])).json()["status"] == (
        "none"
    )
    download = client.get(reverse("followup:tertial_pdf", args=["2024-T1"]))
    assert download.status_code == 302 and download["Location"].endswith("/2024-T1/")


@pytest.mark.parametrize("period", ["2024-T4", "24-T1", "2024-t1", "1999-T1", "2024-T1x"])
def test_a_period_that_is_not_a_tertial_is_not_found(client, period):
    client.force_login(make_user(Role.ANALYST))
    assert client.get(f"/uppfoljning/tertialrapport/{period}/").status_code == 404


def test_a_bad_form_gets_swedish_field_errors_and_queues_nothing(client):
    client.force_login(make_user(Role.ANALYST))
    response = client.post(reverse("followup:tertial"), {"year": "x", "tertial": 9})
    assert response.status_code == 200
    assert TertialReportRun.objects.count() == 0
    assert "Välj ett giltigt alternativ" in response.content.decode()


def test_the_dashboards_analysts_and_unit_managers_see_link_to_the_tertial_report(client, city):
    tertial = reverse("followup:tertial")
    client.force_login(make_user(Role.ANALYST))
    for name in ("followup:dashboard", "followup:district"):
        page = client.get(reverse(name), {"year": 2024}).content.decode()
        assert f'<a href="{tertial}">Tertialrapport (PDF och Excel)</a>' in page, name
    client.force_login(make_user(Role.UNIT_MANAGER, district=city["south"]))
    page = client.get(reverse("followup:district"), {"year": 2024}).content.decode()
    assert f'<a href="{tertial}">Tertialrapport (PDF och Excel)</a>' in page
