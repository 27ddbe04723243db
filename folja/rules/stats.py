"""Figures shared by every page, report and file: one age-band scheme, one rounding rule and
one share/percentile helper. Pure Python, no Django.

Rounding is half-up (ties away from zero) everywhere, as DESIGN.md requires for minutes and
money, and a figure is rounded once, from its exact value. Python's `round()` and Decimal's
default context round half-even, Django's `number_format` and `int()` truncate; none of them
is used for a figure that is shown, so the same month cannot read 69 % on one page and 70 % on
another.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from fractions import Fraction

from folja.rules.money import round_half_up_ratio

Number = Decimal | Fraction | int | float

# Places of the figures every page shows: a share is kept to three decimals (26 of 105 →
# 0.248), a percentage is shown whole (25 %), hours with one decimal (221,7).
SHARE_PLACES = 3
PERCENT_PLACES = 0
HOURS_PLACES = 1


def _exact(value: Number) -> Fraction:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("cannot round a value that is not a finite number")
        return Fraction(value)
    if isinstance(value, Fraction | int):
        return Fraction(value)
    # A float (or a NumPy number) is taken at its shortest decimal spelling (0.695, not
    # 0.69499999…), which is the number the program that produced it meant.
    as_float = float(value)
    if not math.isfinite(as_float):
        raise ValueError("cannot round a value that is not a finite number")
    return Fraction(repr(as_float))


def round_half_up(value: Number, places: int = 0) -> Decimal:
    """`value` rounded half-up (ties away from zero) to `places` decimals, exactly."""
    scaled = _exact(value) * Fraction(10) ** places
    return Decimal(round_half_up_ratio(scaled.numerator, scaled.denominator)).scaleb(-places)


def share(part: Number, whole: Number, places: int = SHARE_PLACES) -> Decimal | None:
    """part / whole rounded half-up (26 of 105 → 0.248); None when there is no whole, since
    a share of nothing is not 0 % and must not drag averages down."""
    if whole <= 0:
        return None
    return round_half_up(_exact(part) / _exact(whole), places)


def percent(value: Number | None, places: int = PERCENT_PLACES) -> Decimal | None:
    """A share (0.6996) as a percentage (70), rounded half-up."""
    if value is None:
        return None
    return round_half_up(_exact(value) * 100, places)


def percent_of(part: Number, whole: Number, places: int = PERCENT_PLACES) -> Decimal | None:
    """part / whole as a percentage, rounded once from the exact ratio (419 of 600 → 70)."""
    if whole <= 0:
        return None
    return round_half_up(_exact(part) * 100 / _exact(whole), places)


def hours(minutes: Number | None, places: int = HOURS_PLACES) -> Decimal | None:
    """Minutes as hours, rounded half-up (15 min → 0.3 h, 13 299 min → 221.7 h)."""
    if minutes is None:
        return None
    return round_half_up(_exact(minutes) / 60, places)


def percentile(values: Iterable[Number], q: Number, *, places: int) -> Decimal | None:
    """The q-th percentile (0–100) by linear interpolation between order statistics (the
    common "type 7", spreadsheets' PERCENTILE and QUARTILE, PostgreSQL's percentile_cont),
    computed exactly and rounded half-up: for 4, 8, 10, 20 the median is 9 and Q3 12.5."""
    return _percentile(sorted(values), q, places)


def _percentile(data: list[Number], q: Number, places: int) -> Decimal | None:
    # Only the two order statistics used are made exact: a city's decisions are many.
    if not data:
        return None
    position = (len(data) - 1) * _exact(q) / 100
    low = int(position)
    high = min(low + 1, len(data) - 1)
    below, above = _exact(data[low]), _exact(data[high])
    return round_half_up(below + (above - below) * (position - low), places)


def quartiles(values: Iterable[Number], *, places: int = 2) -> dict[str, Decimal] | None:
    """Lower quartile, median and upper quartile (see `percentile`)."""
    data = sorted(values)
    if not data:
        return None
    return {
        name: _percentile(data, q, places)  # type: ignore[misc]
        for name, q in (("q1", 25), ("median", 50), ("q3", 75))
    }


# --- age bands ---------------------------------------------------------------------------
#
# One scheme for follow-up, reports, open data, equality analysis and decision support.
# The seed documents define no age bands. The city's follow-up already stores and reports
# 0–20 / 21–64 / 65+ (the roll-up rows, the tertial report and the open-data file), and the
# only age split the sources give is at 21 (FACTS.md: Värmdö's pilot took five users under
# and five over 21). Decision support had its own 0–17 / 18–64 / 65+; it stores nothing, so
# moving it to this scheme changes no stored row, and the roll-up needs no rebuild for it
# (seeding rebuilds the roll-up anyway).

# (key, youngest age, oldest age or None for no upper end), youngest band first.
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-20", 0, 20),
    ("21-64", 21, 64),
    ("65+", 65, None),
)
AGE_BAND_KEYS = tuple(key for key, _, _ in AGE_BANDS)


def age_on(birth_date: date, on: date) -> int:
    """Whole years of age on `on` (a birthday on 29 February is reached on 1 March)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


# (oldest age, key) of every band with an upper end, and the open last band: the roll-up asks
# for a band per person and month, so the lookup is kept to a few comparisons.
_LIMITS = tuple((oldest, key) for key, _, oldest in AGE_BANDS if oldest is not None)
_OPEN_BAND = AGE_BANDS[-1][0]


def age_band(birth_date: date, on: date) -> str:
    """The age band of a person born `birth_date` on the day `on`."""
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    for oldest, key in _LIMITS:
        if age <= oldest:
            return key
    return _OPEN_BAND


def age_band_sql(age_sql: str) -> str:
    """The same bands as an SQL CASE over an expression giving whole years of age, for
    queries that group in the database; built from AGE_BANDS so the two cannot drift."""
    whens = " ".join(
        f"WHEN {age_sql} <= {oldest} THEN '{key}'"
        for key, _, oldest in AGE_BANDS
        if oldest is not None
    )
    return f"CASE {whens} ELSE '{AGE_BANDS[-1][0]}' END"
