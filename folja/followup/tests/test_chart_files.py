"""Every follow-up chart comes with its data (issue 14, items 6 and 8): its CSV file (through
folja.core.csv_writer) holds exactly the figures the chart draws and the page's table shows; the
execution rate by every dimension is equal on the page, in the download and in the CLI; the
case-mix-adjusted equality comparison has a chart and an export."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from folja.accounts.models import Role
from folja.followup.selectors import Slice
from folja.followup.slices import BY, COLUMNS, execution_slices
from folja.testing.factories import make_user
from folja.testing.factories_followup import build_small_city


def _texts(svg: bytes | str) -> list[str]:
    """The words a chart draws: as <text>, or (drawn as paths) in the comment before them."""
    text = svg.decode() if isinstance(svg, bytes) else svg
    pairs = re.findall(r"<!-- (.*?) -->|<text[^>]*>([^<]*)<", text)
    return [part.strip() for pair in pairs for part in pair if part]


def _csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # the one CSV convention (folja.core.csv_writer)
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


pytestmark_db = pytest.mark.django_db


@pytest.fixture
def city():
    cache.clear()
    return build_small_city()


@pytestmark_db
@pytest.mark.parametrize("name", ["tidsserie", "stadsdelar", "avslag", "fordelning"])
def test_each_follow_up_chart_has_a_csv_of_the_figures_it_draws(client, city, name):
    client.force_login(make_user(Role.ANALYST))
    query = "?year=2024"
    with translation.override("sv"):
        rows = _csv(client.get(reverse("followup:chart_csv", args=[name]) + query))
        svg = client.get(reverse("followup:chart", args=[name]) + query).content
    header, body = rows[0], rows[1:]
    assert len(header) >= 2 and body
    labels = _texts(svg)
    for row in body:
        if name == "fordelning":
            continue  # bins are the axis; their counts are checked below
        assert row[0] in labels or (name == "tidsserie" and row[0] in " ".join(labels)), row
    if name == "stadsdelar":
        # The CSV's figure is the bar's label: Norrby 960 of 2520 → 38 %.
        rates = {r[0]: r[1] for r in body}
        for district, rate in rates.items():
            assert f"{rate} %" in labels, (district, rate)
    if name == "fordelning":
        total = sum(int(r[1]) for r in body)
        assert total == 3  # three granting decisions in 2024 (P1, P2, P4)


@pytestmark_db
def test_the_dashboard_table_holds_the_same_months_as_the_time_series_csv(client, city):
    client.force_login(make_user(Role.ANALYST))
    rows = _csv(client.get(reverse("followup:chart_csv", args=["tidsserie"]) + "?year=2024"))
    assert len(rows) == 13  # a header and twelve months
    january = rows[1]
    assert january[1:] == ["12,6", "13,0"]  # (600 + 155) / 60 granted, (720 + 60) / 60 executed
    page = client.get(reverse("followup:dashboard") + "?year=2024").content.decode()
    for row in rows[1:]:
        assert row[0] in page


@pytestmark_db
@pytest.mark.parametrize("by", list(BY))
def test_a_slice_reads_the_same_on_the_page_in_the_csv_and_in_the_cli(client, city, by):
    client.force_login(make_user(Role.ANALYST))
    expected = execution_slices(Slice.year(2024), by)
    assert expected  # every dimension has at least one group in the small city
    with translation.override("sv"):
        page = client.get(reverse("followup:slices") + f"?year=2024&by={by}").content.decode()
        rows = _csv(
            client.get(
                reverse("followup:chart_csv", args=["utforandegrad"]) + f"?year=2024&by={by}"
            )
        )
        out = io.StringIO()
        call_command("report", "slices", "--year", "2024", "--by", by, stdout=out)
    cli = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff")), delimiter=";"))
    assert cli[0] == list(COLUMNS)
    assert cli[1:] == rows[1:]  # the CLI and the download are the same file
    for row, r in zip(rows[1:], expected, strict=True):
        assert row[1] == r["label"]
        if r["execution_rate"] is not None:
            rate = row[5]
            assert f'<td class="num">{rate} %</td>' in page, (by, row)


@pytestmark_db
def test_the_equality_export_and_chart_carry_the_pages_districts(client, city):
    client.force_login(make_user(Role.ANALYST))
    rows = _csv(client.get(reverse("followup:equality_csv") + "?year=2024"))
    assert rows[0] == ["measure", "district", "decisions", "raw", "adjusted", "ci_low", "ci_high"]
    assert {r[0] for r in rows[1:]} <= {"hours", "rejection"}
    districts = {r[1] for r in rows[1:]}
    assert districts <= {"Norrby", "Söderby"} and districts
    svg = client.get(reverse("followup:equality_chart") + "?year=2024")
    assert svg["Content-Type"] == "image/svg+xml"
    page = client.get(reverse("followup:equality") + "?year=2024").content.decode()
    assert reverse("followup:equality_csv") in page and reverse("followup:equality_chart") in page


@pytestmark_db
def test_a_unit_manager_slices_their_own_district_only(client, city):
    client.force_login(make_user(Role.UNIT_MANAGER, district=city["south"]))
    rows = _csv(
        client.get(reverse("followup:chart_csv", args=["utforandegrad"]) + "?year=2024&by=district")
    )
    assert [r[1] for r in rows[1:]] == ["Söderby"]


@pytestmark_db
def test_an_unknown_dimension_is_not_found(client, city):
    client.force_login(make_user(Role.ANALYST))
    assert client.get(reverse("followup:slices") + "?by=nonsense").status_code == 404
