"""Today and now, in local wall-clock time.

Följa stores local times (USE_TZ = False: sessions are wall-clock times, as in CALC.md), so
Django's `timezone.localdate()` — which refuses naive datetimes — cannot be used. Tests freeze
the clock with time_machine, which these functions respect.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def today() -> date:
    return timezone.now().date()
