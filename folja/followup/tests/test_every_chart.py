"""Every chart on the follow-up pages (issue 14, item 6), found by walking the pages rather than
by a list of chart names: each comes with its data table and a CSV download of its figures,
its value axis starts at zero (the equality chart, a deviation around the city mean, is centred
on its reference line instead), a chart of counts has whole-number ticks, and a period without
data says so, in the chart and on the page. The clock is frozen."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from folja.accounts.models import Role
from folja.followup.slices import BY
from folja.testing.factories import DistrictFactory, make_user
from folja.testing.factories_followup import build_small_city

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 1, 10, 12, 0)
DATA_YEAR, EMPTY_YEAR = 2024, 2012
FIGURE = re.compile(r'<figure class="chart">\s*<img src="([^"]+)"', re.S)
# Charts of counts (decisions): their ticks are whole numbers.
COUNTS = ("/diagram/fordelning.svg", "/oversikt/diagram/beslut.svg")
# Deviations from the city mean: centred on the reference line, not started at zero.
CENTRED = ("/likvardighet/diagram.svg",)
NO_DATA = ("Inga uppgifter", "inga uppgifter", "Inga beslut", "Inga beställningar")


def _texts(svg: str) -> list[str]:
    pairs = re.findall(r"<!-- (.*?) -->|<text[^>]*>([^<]*)<", svg)
    return [part.strip() for pair in pairs for part in pair if part]


def _pages(year: int) -> list[str]:
    q = f"?year={year}"
    pages = [
        reverse("followup:dashboard") + q,
        reverse("followup:district") + q,
        reverse("followup:equality") + q,
    ]
    pages += [reverse("followup:slices") + f"{q}&by={by}" for by in BY]
    return pages


def _csv_for(chart: str) -> str:
    """The download that holds the chart's figures."""
    path, _sep, query = chart.partition("?")
    if path == reverse("followup:equality_chart"):
        return reverse("followup:equality_csv") + "?" + query
    return path.removesuffix(".svg") + ".csv" + ("?" + query if query else "")


def _sections(html: str) -> list[tuple[str, str]]:
    """Each chart with the part of the page from it to the next heading (where its table
    and download belong)."""
    out = []
    for match in FIGURE.finditer(html):
        rest = html[match.end() :]
        end = min((i for i in (rest.find("<h2"), rest.find("</main>")) if i >= 0), default=None)
        out.append((unescape(match[1]), rest[:end]))
    return out


def _check_page(client, url: str, *, empty: bool) -> int:
    page = client.get(url)
    assert page.status_code == 200, url
    html = page.content.decode()
    charts = _sections(html)
    for chart, section in charts:
        where = f"{url}: {chart}"
        assert "<table" in section, f"{where} has no data table"
        csv_url = _csv_for(chart)
        assert f'href="{csv_url}"'.replace("&", "&amp;") in section or (
            f'href="{csv_url}"' in section
        ), f"{where} has no CSV download ({csv_url})"
        download = client.get(csv_url)
        assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
        svg = client.get(chart)
        assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml", where
        labels = _texts(svg.content.decode())
        if empty:
            assert "Inga uppgifter" in labels, f"{where} draws an empty year"
            assert any(text in section for text in NO_DATA), f"{where}: no 'no data' text"
            continue
        if "Inga uppgifter" in labels:
            continue
        if not any(chart.split("?")[0].endswith(c) for c in CENTRED):
            assert "0" in labels, f"{where}: the value axis does not start at zero"
        if any(chart.split("?")[0].endswith(c) for c in COUNTS):
            fractions = [t for t in labels if re.fullmatch(r"\d+,\d+", t)]
            assert not fractions, f"{where}: counts ticked as {fractions}"
    return len(charts)


@pytest.fixture
def city():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        return build_small_city()


@pytest.mark.parametrize("year", [DATA_YEAR, EMPTY_YEAR])
def test_every_chart_on_the_follow_up_pages_has_its_table_csv_axis_and_no_data_text(
    client, city, year
):
    client.force_login(make_user(Role.ANALYST))
    with time_machine.travel(NOW, tick=False), translation.override("sv"):
        found = sum(_check_page(client, url, empty=year == EMPTY_YEAR) for url in _pages(year))
    # Four on each dashboard, one per slice page, the equality chart.
    assert found == 4 + 4 + len(BY) + 1


def test_every_chart_a_unit_manager_sees_has_its_table_csv_axis_and_no_data_text(client, city):
    with time_machine.travel(NOW, tick=False), translation.override("sv"):
        client.force_login(make_user(Role.UNIT_MANAGER, district=city["south"]))
        found = _check_page(client, reverse("cases:manager_dashboard"), empty=False)
        found += sum(_check_page(client, url, empty=False) for url in _pages(DATA_YEAR)[1:2])
        assert found >= 4
        # A district without any decision: every chart and its table say there is nothing.
        client.force_login(make_user(Role.UNIT_MANAGER, district=DistrictFactory()))
        _check_page(client, reverse("cases:manager_dashboard"), empty=True)
        _check_page(client, reverse("followup:district") + f"?year={DATA_YEAR}", empty=True)
