"""Shared by the delivery writes: reason codes decided from database context, limits, the
error type every write raises, and the checks that need the database (order cover, reporting
deadline, duplicates)."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from folja.delivery.models import Session, SessionStatus
from folja.guidelines.models import GuidelineVersion
from folja.providers.models import Order, OrderStatus

NO_ORDER = "no_order"
LATE_REPORT = "late_report"
DUPLICATE = "duplicate"
CONTEXT_FLAGS = (NO_ORDER, LATE_REPORT, DUPLICATE)

REPORTED_STATUSES = (
    SessionStatus.EXECUTED,
    SessionStatus.CANCELLED_BY_PERSON,
    SessionStatus.NO_SHOW,
    SessionStatus.CANCELLED_BY_PROVIDER,
)
MAX_SESSION = timedelta(hours=24)


class DeliveryError(Exception):
    """A write refused for a reason the caller shows next to `field`."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


# --- database-context checks -------------------------------------------------------------------


def order_covers(order: Order | None, day: date) -> bool:
    """An order is active on a day when it was accepted and had not ended by then. Whether a
    decision covers the day is the engine's `outside_decision`, not checked here: a session
    given `no_order` is kept from the engine, so checking validity here would hide that flag."""
    if order is None or order.status not in (OrderStatus.ACCEPTED, OrderStatus.ENDED):
        return False
    if order.status == OrderStatus.ENDED and order.ended_on is None:
        return False
    return order.ended_on is None or day <= order.ended_on


class GuidelineCache:
    """The guideline version in force on a day, looked up once per month touched."""

    def __init__(self) -> None:
        self._versions = list(GuidelineVersion.objects.order_by("valid_from"))
        self._by_month: dict[tuple[int, int], GuidelineVersion | None] = {}

    def on(self, day: date) -> GuidelineVersion | None:
        key = (day.year, day.month)
        if key not in self._by_month:
            found = None
            for version in self._versions:
                if version.valid_from <= day:
                    found = version
            self._by_month[key] = found or (self._versions[0] if self._versions else None)
        return self._by_month[key]


def reporting_deadline(start: datetime, guidelines: GuidelineCache) -> date:
    """The last day a session may be reported: the guideline's number of days after the end
    of the month in which it took place."""
    version = guidelines.on(start.date())
    days = version.reporting_deadline_days if version is not None else 5
    last = calendar.monthrange(start.year, start.month)[1]
    return date(start.year, start.month, last) + timedelta(days=days)


def context_flags(
    *,
    order: Order | None,
    start: datetime,
    status: str,
    reported_at: datetime | None,
    duplicate: bool,
    guidelines: GuidelineCache,
) -> list[str]:
    flags: list[str] = []
    if not order_covers(order, start.date()):
        flags.append(NO_ORDER)
    if (
        status in REPORTED_STATUSES
        and reported_at is not None
        and reported_at.date() > reporting_deadline(start, guidelines)
    ):
        flags.append(LATE_REPORT)
    if duplicate:
        flags.append(DUPLICATE)
    return flags


def is_duplicate(
    *, person_id: int, provider_id: int, start: datetime, end: datetime, exclude_pk: int | None
) -> bool:
    """Another session of the same person and provider at exactly the same times that is not
    itself a duplicate: the second report of the same visit under another external_id."""
    rows = Session.objects.filter(
        person_id=person_id, provider_id=provider_id, start=start, end=end
    ).values_list("pk", "flags")
    # Filtered in Python: `contains` on a JSON list is not supported on SQLite.
    return any(pk != exclude_pk and DUPLICATE not in (flags or []) for pk, flags in rows)
