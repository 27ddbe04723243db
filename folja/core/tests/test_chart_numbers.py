"""Charts write their numbers like the pages: decimal comma and grouped thousands on a
Swedish page, rounded half-up, and a chart drawn in one language is not served in the other."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import translation

from folja.cases import charts as case_charts
from folja.core.templatetags.figures import chart_label
from folja.followup import charts as followup_charts

NBSP = "\u00a0"


def _texts(svg: str) -> set[str]:
    """The chart's words: matplotlib writes each as <text> or, drawn as paths, in a comment."""
    pairs = re.findall(r"<!-- (.*?) -->|<text[^>]*>([^<]*)<", svg)
    return {part.strip() for pair in pairs for part in pair if part}


def test_a_value_label_is_rounded_half_up_and_written_with_a_decimal_comma():
    with translation.override("sv"):
        assert chart_label(12.5, "{:.0f} %") == "13 %"  # Python's format said "12 %"
        assert chart_label(2.25, "{:.1f}") == "2,3"
        assert chart_label(Decimal("1234.5"), "{:.1f} h") == f"1{NBSP}234,5 h"
    with pytest.raises(ValueError):
        chart_label(1, "{}")


def test_the_axis_of_a_time_series_has_decimal_commas_on_a_swedish_page():
    with translation.override("sv"):
        svg = followup_charts.time_series("T", ["jan", "feb", "mar"], [("A", [0.5, 1.5, 2.5])], "h")
    labels = _texts(svg.decode())
    assert {"0,5", "1,5", "2,5"} <= labels
    assert not {"0.5", "1.5", "2.5"} & labels


def test_bar_labels_in_the_follow_up_charts_are_written_the_swedish_way():
    with translation.override("sv"):
        svg = followup_charts.bars("T", ["Farsta", "Bromma"], [69.5, 12.25], "{:.1f} %", "x")
    text = svg.decode()
    assert "69,5 %" in text and "12,3 %" in text


def test_a_cached_chart_is_drawn_again_for_the_other_language():
    labels, series = ("jan", "feb"), (("Beviljat", (1500.0, 2500.0)),)
    with translation.override("sv"):
        swedish = case_charts.grouped_bars(labels, series, "h")
    with translation.override("en"):
        english = case_charts.grouped_bars(labels, series, "h")
    assert f"2{NBSP}000" in swedish and "2,000" not in swedish
    assert "2,000" in english


def test_the_percent_at_the_end_of_a_bar_is_rounded_half_up():
    with translation.override("sv"):
        svg = case_charts.horizontal_bars(("Farsta",), (12.5,), "Andel")
    assert "13 %" in svg
