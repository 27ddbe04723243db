"""The one way a page shows a percentage or hours: rounded half-up by `folja.rules.stats`,
then written in the active locale (70 %, 221,7). Django's `number_format` and `floatformat`
and the `widthratio` tag are not used for these figures: the first truncates, the last
rounds a float half-even, and a month must read the same on every page.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django import template
from django.utils.formats import number_format

from folja.rules import stats

register = template.Library()

MISSING = "–"


def _missing(value) -> bool:
    # None is "nothing to show" (a share of 0 of 0); a NaN from a statistical fit is too.
    return value is None or (isinstance(value, float) and not math.isfinite(value))


@register.filter
def percent(share: Decimal | float | int | None, places: int = stats.PERCENT_PLACES) -> str:
    """A share (0.6996) as a percentage ("70 %"); "–" when there is none (0 of 0)."""
    if _missing(share):
        return MISSING
    return f"{number_format(stats.percent(share, int(places)), decimal_pos=int(places))} %"


@register.filter
def percent_points(difference: Decimal | float | None, places: int = stats.PERCENT_PLACES) -> str:
    """A difference of two shares in percentage points (−0.053 → "−5"), rounded like
    `percent`; the column heading names the unit."""
    if _missing(difference):
        return MISSING
    value = stats.percent(difference, int(places))
    text = number_format(abs(value), decimal_pos=int(places))
    return f"−{text}" if value < 0 else text


@register.filter
def hours(minutes: Decimal | int | None, places: int = stats.HOURS_PLACES) -> str:
    """Minutes as hours ("221,7"); "–" when there are none to show."""
    if _missing(minutes):
        return MISSING
    return number_format(stats.hours(minutes, int(places)), decimal_pos=int(places))
