"""An ongoing year in the execution-rate slices (issue 14, item 8 with item 5's rule): only the
months that have passed count towards the execution rate, through the dashboards' one rule
(`dashboards.passed_slice` and `passed_rate`), so the slices page, its CSV file, `folja report
slices` and the dashboard give the same rate for the same group."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from folja.accounts.models import Role
from folja.followup.dashboards import overview
from folja.followup.selectors import Slice
from folja.followup.slices import execution_slices, rate_percent
from folja.testing.factories import make_user
from folja.testing.factories_followup import build_small_city

pytestmark = pytest.mark.django_db

BUILT = datetime(2025, 1, 10, 12, 0)
MID_YEAR = datetime(2024, 3, 15, 12, 0)  # January and February of 2024 have passed


@pytest.fixture
def city():
    cache.clear()
    with time_machine.travel(BUILT, tick=False):
        return build_small_city()


def _by_label(rows: list[dict]) -> dict[str, Decimal | None]:
    return {r["label"]: r["execution_rate"] for r in rows}


@pytest.mark.parametrize(
    ("by", "dashboard_key"),
    [("district", "districts"), ("sex", "sexes"), ("act", "acts"), ("age_band", "ages")],
)
def test_slices_and_dashboard_give_the_same_rate_for_an_ongoing_year(city, by, dashboard_key):
    with time_machine.travel(MID_YEAR, tick=False):
        dashboard = overview(Slice.year(2024))
        slices = execution_slices(Slice.year(2024), by)
    assert dashboard["preliminary"] is True
    expected = _by_label(dashboard[dashboard_key])
    assert _by_label(slices) == expected
    assert any(rate is not None for rate in expected.values())


def test_the_ongoing_years_rate_counts_passed_months_only(city):
    with time_machine.travel(MID_YEAR, tick=False):
        by_act = execution_slices(Slice.year(2024), "act")
        by_month = {r["key"]: r for r in execution_slices(Slice.year(2024), "month")}
        total = overview(Slice.year(2024))["total"]
    # The whole year's grant is shown, but the rate is January and February's: executed
    # 780 + 180 of granted 755 + 900 (the tertial report's test counts the same by hand).
    assert total["execution_rate"] == Decimal("0.5801")
    granted = sum(r["granted_minutes"] for r in by_act)
    executed = sum(r["executed_minutes"] for r in by_act)
    assert Decimal(executed) / Decimal(granted) != Decimal("0.5801")
    assert by_month["2024-01-01"]["execution_rate"] is not None
    assert by_month["2024-03-01"]["execution_rate"] is None  # still running


def test_a_finished_year_counts_every_month(city):
    with time_machine.travel(BUILT, tick=False):
        dashboard = overview(Slice.year(2024))
        slices = execution_slices(Slice.year(2024), "district")
    assert dashboard["preliminary"] is False
    assert _by_label(slices) == _by_label(dashboard["districts"])


def test_the_page_the_csv_and_the_cli_agree_and_say_preliminary(city, client):
    client.force_login(make_user(Role.ANALYST))
    with time_machine.travel(MID_YEAR, tick=False), translation.override("sv"):
        page = client.get(reverse("followup:slices"), {"year": 2024, "by": "district"})
        download = client.get(
            reverse("followup:chart_csv", args=["utforandegrad"]),
            {"year": 2024, "by": "district"},
        )
        out = io.StringIO()
        call_command("report", "slices", "--year", "2024", "--by", "district", stdout=out)
        dashboard = overview(Slice.year(2024))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Preliminär" in html
    assert "till och med feb" in html
    expected = {r["label"]: str(rate_percent(r["execution_rate"])) for r in dashboard["districts"]}
    body = download.content.decode("utf-8").lstrip("\ufeff")
    in_csv = {row[1]: row[5] for row in list(csv.reader(io.StringIO(body), delimiter=";"))[1:]}
    cli = out.getvalue().lstrip("\ufeff")
    in_cli = {row[1]: row[5] for row in list(csv.reader(io.StringIO(cli), delimiter=";"))[1:]}
    expected_cells = {k: ("" if v == "None" else v.replace(".", ",")) for k, v in expected.items()}
    assert in_csv == expected_cells
    assert in_cli == expected_cells
