"""Charts people can trust (issue 14, item 6): the value axis from zero, whole-number ticks for
counts, Swedish numbers ("2,5 mnkr", grouped thousands, a true minus) read from the SVG's own
text, and "Inga uppgifter" where there is nothing to draw; and `folja report slices` (item 8)
writing the follow-up computation's own figures."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from folja.cases import charts as case_charts
from folja.core.templatetags.figures import kronor_short
from folja.followup import charts
from folja.followup.selectors import Slice
from folja.followup.slices import BY, COLUMNS, execution_slices
from folja.rules.stats import percent
from folja.testing.factories_followup import build_small_city

NBSP = "\u00a0"


def _texts(svg: bytes | str) -> list[str]:
    """The words a chart draws: as <text>, or (drawn as paths) in the comment before them."""
    text = svg.decode() if isinstance(svg, bytes) else svg
    pairs = re.findall(r"<!-- (.*?) -->|<text[^>]*>([^<]*)<", text)
    return [part.strip() for pair in pairs for part in pair if part]


def _csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # the one CSV convention (folja.core.csv_writer)
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


# ------------------------------------------------------------------ the chart functions


def test_a_time_series_of_large_values_starts_its_axis_at_zero():
    with translation.override("sv"):
        svg = charts.time_series("T", ["jan", "feb", "mar"], [("A", [400.0, 420.0, 410.0])], "h")
    labels = _texts(svg)
    # Matplotlib would start the axis near 400; the first tick must be 0.
    assert "0" in labels
    assert "400" in labels


def test_counts_are_ticked_in_whole_numbers_only():
    with translation.override("sv"):
        svg = case_charts.grouped_bars(("jan", "feb"), (("Beslut", (1.0, 3.0)),), "n", counts=True)
    labels = set(_texts(svg))
    assert {"0", "1", "2", "3"} <= labels
    assert not {t for t in labels if re.fullmatch(r"\d+,\d+", t)}  # no 0,5 decisions


def test_a_histogram_counts_decisions_on_whole_ticks_from_zero():
    with translation.override("sv"):
        svg = charts.histogram("T", [3.0, 7.0, 7.5], "h", [0, 5, 10])
    labels = set(_texts(svg))
    assert {"0", "1", "2"} <= labels
    assert "0,5" not in labels and "1,5" not in labels


def test_grouped_bars_of_large_hours_start_at_zero_with_swedish_thousands():
    with translation.override("sv"):
        svg = case_charts.grouped_bars(("jan", "feb"), (("h", (1900.0, 2100.0)),), "h")
    labels = set(_texts(svg))
    assert "0" in labels and f"2{NBSP}000" in labels


def test_a_chart_with_nothing_to_draw_says_so():
    with translation.override("sv"):
        assert "Inga uppgifter" in _texts(charts.time_series("T", ["jan"], [("A", [0.0])], "h"))
        assert "Inga uppgifter" in _texts(charts.bars("T", [], [], "{:.0f} %", "x"))
        assert "Inga uppgifter" in _texts(charts.histogram("T", [], "h", [0, 5]))
        assert "Inga uppgifter" in _texts(case_charts.horizontal_bars((), (), "x"))
        assert "Inga uppgifter" in _texts(charts.intervals("T", ["A"], [None], [None], [None], "h"))
    with translation.override("en"):
        assert "No data" in _texts(charts.time_series("T", ["jan"], [("A", [0.0])], "h"))


def test_large_sums_are_written_in_millions_and_thousands_of_kronor():
    with translation.override("sv"):
        assert kronor_short(Decimal("2500000")) == "2,5 mnkr"
        assert kronor_short(3_000_000) == "3 mnkr"
        assert kronor_short(12_500) == "12,5 tkr"
        assert kronor_short(950) == f"950{NBSP}kr"
        assert kronor_short(None) == "–"
    with translation.override("en"):
        assert kronor_short(Decimal("2500000")) == "SEK 2.5 m"


def test_an_equality_chart_draws_negative_deviations_with_a_decimal_comma():
    with translation.override("sv"):
        svg = charts.intervals(
            "T", ["Norrby", "Söderby"], [-1.5, 1.5], [-2.5, 0.5], [-0.5, 2.5], "h"
        )
    labels = _texts(svg)
    assert "Norrby" in labels and "Söderby" in labels
    assert any(re.fullmatch(r"−\d+(,\d+)?", label) for label in labels)  # a true minus sign
    assert not any(re.fullmatch(r"-\d.*|\d+\.\d+", label) for label in labels)


pytestmark_db = pytest.mark.django_db


@pytestmark_db
@pytest.mark.parametrize("by", list(BY))
def test_the_cli_writes_each_slice_from_the_follow_up_computation(by):
    cache.clear()
    build_small_city()
    expected = execution_slices(Slice.year(2024), by)
    assert expected
    out = io.StringIO()
    with translation.override("sv"):
        call_command("report", "slices", "--year", "2024", "--by", by, stdout=out)
    cli = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff")), delimiter=";"))
    assert cli[0] == list(COLUMNS)
    assert [r[1] for r in cli[1:]] == [r["label"] for r in expected]
    for row, r in zip(cli[1:], expected, strict=True):
        assert row[2] == str(r["persons"])
        if r["execution_rate"] is not None:
            assert row[5] == str(percent(r["execution_rate"]))  # rounded half-up, once


@pytestmark_db
def test_the_execution_rate_by_model_is_the_ledgers():
    cache.clear()
    build_small_city()
    rows = {r["key"]: r for r in execution_slices(Slice.year(2024), "model")}
    # P2 monthly: 155 + 300 minutes granted; P1 and P4 flex3: 3 × 600 and 3 × 240.
    assert rows["monthly"]["granted_minutes"] == 455
    assert rows["flex3"]["granted_minutes"] == 1800 + 720
    everything = execution_slices(Slice.year(2024), "act")
    assert sum(r["granted_minutes"] for r in everything) == 2975
