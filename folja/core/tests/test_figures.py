"""The one place numbers are written: rounded half-up, never truncated, grouped in thousands,
in the active locale, with no "−0"."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from folja.core.templatetags.figures import (
    amount,
    format_number,
    hours,
    money,
    number,
    percent,
    percent_points,
)

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def test_a_percentage_is_rounded_not_truncated() -> None:
    assert percent(Decimal("0.6993")) == "70 %"  # number_format truncated this to 69 %
    assert percent(Decimal("0.6950")) == "70 %"  # widthratio's float round gave 69 %
    assert percent(Decimal("0.6949")) == "69 %"
    assert percent(0.12345, 1) == "12,3 %"
    assert percent(None) == "–"
    assert percent(float("nan")) == "–"


def test_hours_are_rounded_half_up_from_minutes() -> None:
    assert hours(15) == "0,3"  # 0.25 h: truncation and half-even both said 0,2
    assert hours(13299) == "221,7"  # 221.65 h
    assert hours(1440) == "24,0"
    assert hours(-15) == "−0,3"  # a true minus sign, as percent_points writes it
    assert hours(None) == "–"


def test_a_difference_of_shares_reads_in_percentage_points() -> None:
    assert percent_points(-0.053) == "−5"
    assert percent_points(0.125) == "13"
    assert percent_points(None) == "–"


def test_templates_use_the_filters_by_name() -> None:
    template = Template("{% load figures %}{{ s|percent }} {{ m|hours }} {{ s|percent:1 }}")
    assert template.render(Context({"s": Decimal("0.6993"), "m": 1007})) == "70 % 16,8 69,9 %"


def test_money_reads_as_a_swede_writes_it() -> None:
    assert money(Decimal("2671040")) == f"2{NBSP}671{NBSP}040,00{NBSP}kr"
    assert amount(Decimal("1234.565")) == f"1{NBSP}234,57"  # half-up, not half-even 1 234,56
    assert amount(Decimal("0.125")) == "0,13"
    assert money(None) == "–"


def test_nothing_that_rounds_to_zero_has_a_minus_sign() -> None:
    assert number(Decimal("-0.04"), 1) == "0,0"
    assert amount(Decimal("-0.004")) == "0,00"
    assert percent_points(-0.004) == "0"
    assert hours(-1) == "0,0"
    assert number(Decimal("-1234.5"), 1) == f"−1{NBSP}234,5"


def test_large_figures_are_grouped_in_thousands() -> None:
    assert number(12345) == f"12{NBSP}345"
    assert hours(123456) == f"2{NBSP}057,6"
    assert percent(Decimal("12.5")) == f"1{NBSP}250 %"


def test_up_to_places_drops_trailing_zeros_as_a_person_writes_hours() -> None:
    assert number(Decimal("10.00"), "-2") == "10"
    assert number(Decimal("10.50"), "-2") == "10,5"
    assert number(Decimal("10.25"), "-2") == "10,25"
    assert number(Decimal("10.249"), "-2") == "10,25"


def test_english_pages_write_numbers_the_english_way() -> None:
    with translation.override("en"):
        assert money(Decimal("2671040.5")) == f"2,671,040.50{NBSP}SEK"
        assert format_number(Decimal("-0.25"), 1) == "−0.3"


def test_templates_write_money_and_numbers_through_the_filters() -> None:
    template = Template("{% load figures %}{{ a|money }} {{ h|number:'-2' }}")
    rendered = template.render(Context({"a": Decimal("1250.5"), "h": Decimal("7.50")}))
    assert rendered == f"1{NBSP}250,50{NBSP}kr 7,5"


def test_no_page_writes_a_figure_past_the_filters() -> None:
    # floatformat rounds half-even and groups nothing, widthratio rounds a float: a page that
    # used them would read differently from the others (see the module docstring of figures).
    from pathlib import Path

    import folja

    root = Path(folja.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("*/templates/**/*.html")
        if any(word in path.read_text(encoding="utf-8") for word in ("floatformat", "widthratio"))
    ]
    assert offenders == []
