"""Today and now, in local wall-clock time.

Följa stores local times (USE_TZ = False: sessions are wall-clock times, as in CALC.md), so
Django's `timezone.localdate()` — which refuses naive datetimes — cannot be used. Tests freeze
the clock with time_machine, which these functions respect.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

# The sane window of days anyone can mean (1900-01-01 to 2100-12-31): outside it a date is a
# typing mistake or a probe, and near year 9999 date arithmetic (the next day, the next month)
# overflows into a 500. Every door that takes a date refuses days outside it.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2100, 12, 31)


def in_window(day: date) -> bool:
    return EARLIEST_DAY <= day <= LATEST_DAY


# Set only while the demo seed replays history through the services (`replayed_at`).
_replayed: ContextVar[datetime | None] = ContextVar("folja_clock_replayed", default=None)


def now() -> datetime:
    replayed = _replayed.get()
    return replayed if replayed is not None else timezone.now()


def today() -> date:
    return now().date()


@contextmanager
def replayed_at(moment: datetime) -> Iterator[None]:
    """Inside, `now()` and `today()` read `moment` (a naive local time). The demo seed writes
    its history of tillämpningsfrågor through the same services the pages use, each question
    and answer at the time it happened; the services read the time only through this module,
    so nothing else needs to know it is a replay."""
    token = _replayed.set(moment)
    try:
        yield
    finally:
        _replayed.reset(token)


@functools.cache
def _offset_change_days(year: int, zone: str) -> frozenset[tuple[int, int]]:
    """(month, day) of the days in `year` on which the zone's UTC offset changes."""
    tz = ZoneInfo(zone)
    day, days = date(year, 1, 1), set()
    while day.year == year:
        start = datetime.combine(day, time(0), tzinfo=tz)
        if start.utcoffset() != datetime.combine(day, time(23, 59), tzinfo=tz).utcoffset():
            days.add((day.month, day.day))
        day = date.fromordinal(day.toordinal() + 1)
    return frozenset(days)


def does_not_exist(moment: datetime) -> bool:
    """True for a local wall-clock time that never happens: the hour skipped when the clocks
    go forward in spring (2025-03-30 02:30 in Stockholm). The database keeps times in the
    local zone and would silently move such a time an hour on, so it is refused at the door.
    Cheap for bulk imports: only the days whose UTC offset changes are examined."""
    zone = settings.TIME_ZONE
    if (moment.month, moment.day) not in _offset_change_days(moment.year, zone):
        return False
    tz = ZoneInfo(zone)
    aware = moment.replace(tzinfo=tz)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != moment
