"""LOV time bands (CALC.md rule 5): which band each minute of a session falls in.

Within a day the band can only change at 00:00, 07:00, 19:00 and 22:00 (the weekend starts
Friday 19:00 and ends Monday 07:00, storhelg and the year change at midnight), so the walk goes
from boundary to boundary rather than minute by minute: a few steps per day of session, which
matters when a payment run prices hundreds of thousands of sessions.
"""

from __future__ import annotations

from collections.abc import Container
from datetime import date, datetime
from itertools import pairwise

from folja.rules.model import BANDS, DAY, EVENING, NIGHT, STORHELG, WEEKEND

MINUTES_PER_DAY = 24 * 60
_MORNING = 7 * 60  # 07:00: night ends, day starts; the weekend ends on Monday
_EVENING = 19 * 60  # 19:00: evening starts; the weekend starts on Friday
_NIGHT = 22 * 60  # 22:00: night starts
_BOUNDARIES = (0, _MORNING, _EVENING, _NIGHT, MINUTES_PER_DAY)

FRIDAY, SATURDAY, SUNDAY, MONDAY = 4, 5, 6, 0


def _band_of(weekday: int, minute: int) -> str:
    """Band of a minute of a non-storhelg day, by the priority weekend > night > evening > day."""
    if (
        weekday in (SATURDAY, SUNDAY)
        or (weekday == FRIDAY and minute >= _EVENING)
        or (weekday == MONDAY and minute < _MORNING)
    ):
        return WEEKEND
    if minute >= _NIGHT or minute < _MORNING:
        return NIGHT
    if minute >= _EVENING:
        return EVENING
    return DAY


# For each weekday: the constant-band segments (start minute, end minute, band) of the day,
# and the minutes per band of a whole day. Computed once at import.
_SEGMENTS: tuple[tuple[tuple[int, int, str], ...], ...] = tuple(
    tuple((lo, hi, _band_of(weekday, lo)) for lo, hi in pairwise(_BOUNDARIES))
    for weekday in range(7)
)


def _whole_day(weekday: int) -> tuple[tuple[str, int], ...]:
    totals: dict[str, int] = {}
    for lo, hi, band in _SEGMENTS[weekday]:
        totals[band] = totals.get(band, 0) + hi - lo
    return tuple(totals.items())


_WHOLE_DAY = tuple(_whole_day(weekday) for weekday in range(7))


def band_at(moment: datetime, storhelg: Container[date]) -> str:
    """The band of the minute starting at `moment`."""
    if moment.date() in storhelg:
        return STORHELG
    return _band_of(moment.weekday(), moment.hour * 60 + moment.minute)


def band_minutes_by_year(
    start: datetime, end: datetime, storhelg: Container[date]
) -> dict[tuple[int, str], int]:
    """Minutes of `start..end` (end exclusive) per (year, band); rates are per year, so a
    session over New Year is priced with each year's rate. Seconds are ignored."""
    totals: dict[tuple[int, str], int] = {}
    ordinal, minute = start.toordinal(), start.hour * 60 + start.minute
    end_ordinal, end_minute = end.toordinal(), end.hour * 60 + end.minute
    while ordinal < end_ordinal or (ordinal == end_ordinal and minute < end_minute):
        day = date.fromordinal(ordinal)
        year = day.year
        limit = MINUTES_PER_DAY if ordinal < end_ordinal else end_minute
        if day in storhelg:
            key = (year, STORHELG)
            totals[key] = totals.get(key, 0) + limit - minute
        elif minute == 0 and limit == MINUTES_PER_DAY:
            for band, count in _WHOLE_DAY[day.weekday()]:
                totals[(year, band)] = totals.get((year, band), 0) + count
        else:
            for lo, hi, band in _SEGMENTS[day.weekday()]:
                overlap = min(hi, limit) - max(lo, minute)
                if overlap > 0:
                    totals[(year, band)] = totals.get((year, band), 0) + overlap
        ordinal += 1
        minute = 0
    return totals


def band_minutes(start: datetime, end: datetime, storhelg: Container[date]) -> dict[str, int]:
    """Minutes of `start..end` per band, in the order day, evening, night, weekend, storhelg,
    omitting bands with no minutes."""
    per_band: dict[str, int] = {}
    for (_year, band), count in band_minutes_by_year(start, end, storhelg).items():
        per_band[band] = per_band.get(band, 0) + count
    return {band: per_band[band] for band in BANDS if per_band.get(band)}
