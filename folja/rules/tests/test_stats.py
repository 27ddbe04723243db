"""One rounding rule, one share/percentile helper and one age-band scheme (no database)."""

from __future__ import annotations

import statistics
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from folja.rules.stats import (
    AGE_BAND_KEYS,
    age_band,
    age_band_sql,
    hours,
    percent,
    percent_of,
    percentile,
    quartiles,
    round_half_up,
    share,
)


def test_it_rounds_ties_up_where_python_and_decimal_round_to_even() -> None:
    assert round(0.5) == 0 and round(2.5) == 2  # what it replaces
    assert round_half_up(Decimal("0.5")) == 1
    assert round_half_up(Decimal("2.5")) == 3
    assert round_half_up(Decimal("0.125"), 2) == Decimal("0.13")
    assert round_half_up(Decimal("-2.5")) == -3  # ties away from zero, as money.to_ore
    assert round_half_up(Fraction(1, 3), 3) == Decimal("0.333")
    assert str(round_half_up(7, 1)) == "7.0"


def test_it_reads_a_float_as_its_shortest_decimal_spelling() -> None:
    # 0.695 is stored as 0.69499999…; the figure meant is 0.695, and it rounds up.
    assert round_half_up(0.695, 2) == Decimal("0.70")
    assert round_half_up(2.675, 2) == Decimal("2.68")
    with pytest.raises(ValueError):
        round_half_up(float("nan"))


def test_a_share_rounds_half_up_to_three_decimals() -> None:
    assert share(26, 105) == Decimal("0.248")  # the seed report's Enskede-Årsta-Vantör row
    assert share(1, 8) == Decimal("0.125")
    assert share(1, 16) == Decimal("0.063")  # 0.0625: half-even would give 0.062
    assert share(3, 0) is None


def test_a_percentage_and_hours_are_rounded_not_truncated() -> None:
    assert percent(Decimal("0.6996")) == 70  # truncation showed 69
    assert percent(Decimal("0.695")) == 70  # half-even on a float showed 69
    assert percent(Decimal("0.6949")) == 69
    assert percent(None) is None
    assert percent_of(419, 600) == 70  # 69.83
    assert percent_of(417, 600) == 70  # 69.5 exactly
    assert percent_of(1, 0) is None
    assert hours(15) == Decimal("0.3")  # 0.25 h: truncation and half-even both said 0.2
    assert hours(13299) == Decimal("221.7")  # 221.65 h
    assert hours(-15) == Decimal("-0.3")
    assert hours(None) is None


def test_percentiles_interpolate_between_ranks() -> None:
    values = [Decimal(v) for v in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)]
    assert percentile(values, 50, places=1) == Decimal("5.5")
    assert percentile(values, 10, places=1) == Decimal("1.9")
    assert percentile(values, 90, places=1) == Decimal("9.1")
    assert percentile(reversed(values), 90, places=1) == Decimal("9.1")  # sorts itself
    assert percentile([], 50, places=1) is None
    assert quartiles([4, 8, 10, 20]) == {
        "q1": Decimal("7.00"),
        "median": Decimal("9.00"),
        "q3": Decimal("12.50"),
    }
    assert quartiles([]) is None


@given(st.lists(st.integers(min_value=0, max_value=20000), min_size=2, max_size=40))
def test_quartiles_agree_with_the_inclusive_method_of_the_standard_library(values) -> None:
    expected = statistics.quantiles([Fraction(v, 100) for v in values], n=4, method="inclusive")
    got = quartiles([Decimal(v) / 100 for v in values], places=4)
    assert got is not None
    assert [got["q1"], got["median"], got["q3"]] == [round_half_up(q, 4) for q in expected]


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (date(2003, 6, 2), "0-20"),  # 20 the day before the 21st birthday
        (date(2003, 6, 1), "21-64"),  # 21 today
        (date(1959, 6, 2), "21-64"),
        (date(1959, 6, 1), "65+"),
        (date(2024, 6, 1), "0-20"),
    ],
)
def test_age_bands_are_0_20_21_64_and_65_plus(born, band) -> None:
    assert age_band(born, date(2024, 6, 1)) == band


def test_a_birthday_on_29_february_is_reached_on_1_march() -> None:
    assert age_band(date(2003, 2, 28), date(2024, 2, 28)) == "21-64"
    assert age_band(date(2004, 2, 29), date(2025, 2, 28)) == "0-20"
    assert age_band(date(2004, 2, 29), date(2025, 3, 1)) == "21-64"


def test_the_sql_bands_are_built_from_the_same_table() -> None:
    sql = age_band_sql("a")
    assert sql == "CASE WHEN a <= 20 THEN '0-20' WHEN a <= 64 THEN '21-64' ELSE '65+' END"
    assert AGE_BAND_KEYS == ("0-20", "21-64", "65+")
