"""The one template filter for percentages and hours: rounded half-up, never truncated, in
the active locale."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from folja.core.templatetags.figures import hours, percent, percent_points


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
    assert hours(-15) == "-0,3"
    assert hours(None) == "–"


def test_a_difference_of_shares_reads_in_percentage_points() -> None:
    assert percent_points(-0.053) == "−5"
    assert percent_points(0.125) == "13"
    assert percent_points(None) == "–"


def test_templates_use_the_filters_by_name() -> None:
    template = Template("{% load figures %}{{ s|percent }} {{ m|hours }} {{ s|percent:1 }}")
    assert template.render(Context({"s": Decimal("0.6993"), "m": 1007})) == "70 % 16,8 69,9 %"
