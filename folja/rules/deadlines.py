"""The appeal deadline (förvaltningslagen 44 §, lagen (1930:173) om beräkning av lagstadgad tid).

An appeal must reach the authority within three weeks of the day the person was notified. When
the last day falls on a Saturday, a Sunday, a public holiday, midsommarafton, julafton or
nyårsafton, the appeal is in time if it arrives on the next day that is none of these.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

APPEAL_PERIOD = timedelta(weeks=3)
SATURDAY = 5


@lru_cache(maxsize=256)
def _public_holidays(year: int) -> frozenset[date]:
    # Only the public holidays proper: some versions of `holidays` list every Sunday as a
    # holiday in Sweden (include_sundays), which would be harmless here but wrong to rely on,
    # so Sundays are excluded from the package and handled by weekday below.
    try:
        calendar = holidays.Sweden(years=year, include_sundays=False)
    except TypeError:  # a version without the parameter
        calendar = holidays.Sweden(years=year)
    return frozenset(day for day in calendar if day.weekday() != 6)


def midsommarafton(year: int) -> date:
    """Midsummer Eve: the Friday between 19 and 25 June."""
    june_19 = date(year, 6, 19)
    return june_19 + timedelta(days=(4 - june_19.weekday()) % 7)


def is_swedish_non_working_day(day: date) -> bool:
    """Saturday, Sunday, public holiday, midsommarafton, julafton or nyårsafton: the days on
    which a statutory time limit cannot end."""
    if day.weekday() >= SATURDAY:
        return True
    if (day.month, day.day) in ((12, 24), (12, 31)):
        return True
    if day == midsommarafton(day.year):
        return True
    return day in _public_holidays(day.year)


def appeal_deadline(notified_on: date) -> date:
    """The last day an appeal is in time, given the day the person was notified."""
    deadline = notified_on + APPEAL_PERIOD
    while is_swedish_non_working_day(deadline):
        deadline += timedelta(days=1)
    return deadline
