"""The one way a page, a PDF or a chart writes a number: rounded half-up by `folja.rules.stats`
(never truncated), then written as the active language writes it — in Swedish with a decimal
comma and a non-breaking space between thousands (2 671 040,00 kr, 221,7, 70 %), in English
2,671,040.00. A negative figure has a true minus sign (−5); a figure that rounds to zero has
none, so no page shows "−0,0".

Django's `number_format` and `floatformat` and the `widthratio` tag are not used on their own
for these figures: the first truncates, the second rounds a float half-even and groups nothing
by default, the last rounds a float half-even; and a month must read the same on every page.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from folja.rules import stats

register = template.Library()

MISSING = "–"
MINUS = "−"  # U+2212, the minus sign Swedish typography (and a screen reader) expects
NBSP = "\u00a0"
MONEY_PLACES = 2
_CHART_FORMAT = re.compile(r"(.*)\{:\.(\d)f\}(.*)")


def _missing(value) -> bool:
    # None (or "") is "nothing to show" (a share of 0 of 0); a NaN from a statistical fit is too.
    if value is None or value == "":
        return True
    if isinstance(value, float) and not math.isfinite(value):
        return True
    return isinstance(value, Decimal) and not value.is_finite()


def _places(places) -> tuple[int, bool]:
    """(decimals, drop them when the figure is whole): "-2" keeps up to two decimals and
    writes 10 rather than 10,00, as `floatformat:"-2"` did."""
    n = int(places)
    return abs(n), n < 0


def format_number(value, places: int | str = 0) -> str:
    """`value` rounded half-up to `places` decimals, grouped in thousands, in the active
    language; "–" when there is none. A negative `places` ("-2") keeps up to that many
    decimals and drops trailing zeros (10, 10,5). Every filter here, and the charts, use it."""
    if _missing(value):
        return MISSING
    decimals, trim = _places(places)
    rounded = stats.round_half_up(value, decimals)
    if trim:
        # As a person writes it: 10 timmar, 10,5 timmar, 10,25 timmar.
        while decimals and rounded == round(rounded, decimals - 1):
            decimals -= 1
    text = number_format(abs(rounded), decimal_pos=decimals, force_grouping=True)
    return f"{MINUS}{text}" if rounded < 0 else text


@register.filter
def number(value, places: int | str = 0) -> str:
    """Any figure: `{{ n|number }}` (12 345), `{{ h|number:"-2" }}` (10 or 10,5)."""
    return format_number(value, places)


@register.filter
def amount(value, places: int | str = MONEY_PLACES) -> str:
    """Kronor without the unit, for a column whose heading says "(kr)": 2 671 040,00."""
    return format_number(value, places)


@register.filter
def money(value, places: int | str = MONEY_PLACES) -> str:
    """Kronor with the unit: 2 671 040,00 kr (in English 2,671,040.00 SEK)."""
    if _missing(value):
        return MISSING
    # The unit after a non-breaking space, so "kr" never starts a line of its own.
    return f"{format_number(value, places)}{NBSP}{_('kr')}"


@register.filter
def percent(share: Decimal | float | int | None, places: int = stats.PERCENT_PLACES) -> str:
    """A share (0.6996) as a percentage ("70 %"); "–" when there is none (0 of 0)."""
    if _missing(share):
        return MISSING
    return f"{format_number(stats.percent(share, int(places)), int(places))} %"


@register.filter
def percent_points(difference: Decimal | float | None, places: int = stats.PERCENT_PLACES) -> str:
    """A difference of two shares in percentage points (−0.053 → "−5"), rounded like
    `percent`; the column heading names the unit."""
    if _missing(difference):
        return MISSING
    return format_number(stats.percent(difference, int(places)), int(places))


@register.filter
def hours(minutes: Decimal | int | None, places: int = stats.HOURS_PLACES) -> str:
    """Minutes as hours ("221,7"); "–" when there are none to show."""
    if _missing(minutes):
        return MISSING
    return format_number(stats.hours(minutes, int(places)), int(places))


@register.filter
def kronor_short(value) -> str:
    """Large sums as a person says them: 2 500 000 → "2,5 mnkr", 12 500 → "12,5 tkr",
    below ten thousand in whole kronor ("950 kr"); for chart axes and headline figures, where
    the exact öre would only be noise (the tables keep them)."""
    if _missing(value):
        return MISSING
    size = abs(Decimal(str(value)))
    if size >= 1_000_000:
        return _("%(n)s mnkr") % {"n": format_number(Decimal(str(value)) / 1_000_000, "-1")}
    if size >= 10_000:
        return _("%(n)s tkr") % {"n": format_number(Decimal(str(value)) / 1_000, "-1")}
    return f"{format_number(value, 0)}{NBSP}{_('kr')}"


def chart_ticks(*axes, counts: bool = False, kronor: bool = False, from_zero: bool = True) -> None:
    """The tick labels of a chart's numeric axes (matplotlib `ax.xaxis`, `ax.yaxis`) written
    like every other figure: 1 000, 2,5, −0,5 on a Swedish page. Matplotlib's own formatter
    writes 2.5 and 1000 whatever the language.

    Call it after the data are drawn: a value axis of amounts and counts starts at zero (a
    chart whose axis starts at 40 makes 45 look twice 42), unless a value is negative or
    `from_zero` is False (a deviation from a mean, centred on its reference line).
    `counts` puts ticks on whole numbers only (there is no half decision); `kronor` writes
    the ticks as "2,5 mnkr"."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if kronor:
        formatter = FuncFormatter(lambda value, _position: kronor_short(value))
    elif counts:
        formatter = FuncFormatter(lambda value, _position: format_number(value, 0))
    else:
        formatter = FuncFormatter(lambda value, _position: format_number(value, "-2"))
    for axis in axes:
        if counts:
            axis.set_major_locator(MaxNLocator(integer=True))
        axis.set_major_formatter(formatter)
        if from_zero:
            _from_zero(axis)


def _from_zero(axis) -> None:
    ax = axis.axes
    if axis.axis_name == "y":
        low, high = ax.get_ylim()
        if high < low:  # an inverted axis (bars listed top-down)
            return
        if low > 0 or (low < 0 and _data_low(ax, "y") >= 0):
            ax.set_ylim(bottom=0)
    else:
        low, high = ax.get_xlim()
        if high < low:
            return
        if low > 0 or (low < 0 and _data_low(ax, "x") >= 0):
            ax.set_xlim(left=0)


def _data_low(ax, name: str) -> float:
    # The smallest value drawn; matplotlib's margins put the axis a little below a zero value.
    box = ax.dataLim
    return box.ymin if name == "y" else box.xmin


def chart_no_data(ax) -> None:
    """A chart with nothing to draw says so in words instead of showing an empty frame (or a
    flat line at zero that reads as "nothing was done")."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.text(
        0.5, 0.5, _("Inga uppgifter"), transform=ax.transAxes, ha="center", va="center", fontsize=14
    )


def chart_has_data(*value_lists) -> bool:
    """False when every value is missing or zero: a year without session data is "Inga
    uppgifter", not a line at 0 %."""
    return any(not _missing(v) and v != 0 for values in value_lists for v in values)


def chart_label(value, fmt: str) -> str:
    """A value label on a chart from a format such as "{:.0f} %" or "{:.1f}": the number
    written by `format_number` with that many decimals, the rest of the format kept."""
    match = _CHART_FORMAT.fullmatch(fmt)
    if match is None:
        raise ValueError(f"a chart label format is '{{:.Nf}}' with text around it: {fmt!r}")
    before, places, after = match.groups()
    return f"{before}{format_number(value, int(places))}{after}"
