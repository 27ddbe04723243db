"""Shared by the delivery writes: reason codes decided from database context, limits, the
error type every write raises, the one check of a session's times that every door calls
(`session_time_errors`), and the checks that need the database (order cover, reporting
deadline, duplicates)."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

from folja.core.clock import EARLIEST_DAY, LATEST_DAY, does_not_exist
from folja.delivery.models import Session, SessionStatus
from folja.ledger.guidelines import GuidelineVersions
from folja.ledger.payable import DUPLICATE, LATE_REPORT, NO_ORDER
from folja.providers.models import Order, OrderStatus

# The context reason codes are the ledger's (folja.ledger.payable): it decides what they mean
# for payment. These are the ones the delivery writes set.
CONTEXT_FLAGS = (NO_ORDER, LATE_REPORT, DUPLICATE)

REPORTED_STATUSES = (
    SessionStatus.EXECUTED,
    SessionStatus.CANCELLED_BY_PERSON,
    SessionStatus.NO_SHOW,
    SessionStatus.CANCELLED_BY_PROVIDER,
)
MAX_SESSION = timedelta(hours=24)
# The clock's sane window as moments (from 1900-01-01 00:00 up to, not including, the day
# after 2100-12-31), compared directly per row: near year 9999 the date arithmetic downstream
# (reporting deadlines, periods, the offset-change calendar) would overflow.
EARLIEST_MOMENT = datetime.combine(EARLIEST_DAY, time.min)
END_OF_WINDOW = datetime.combine(LATEST_DAY + timedelta(days=1), time.min)
# A status that says the session took place (or the person did not come): only once it began.
HAPPENED_STATUSES = frozenset({SessionStatus.EXECUTED, SessionStatus.NO_SHOW})


class DeliveryError(Exception):
    """A write refused for a reason the caller shows next to `field`."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


# --- the one check of a session's times ------------------------------------------------------


def session_time_errors(
    *,
    now: datetime,
    start: datetime | None = None,
    end: datetime | None = None,
    status: str | None = None,
    cancelled_at: datetime | None = None,
) -> list[DeliveryError]:
    """Every problem with a session's times, as field errors; empty when they are fine. The
    one check behind every door that lets sessions in: the provider's forms, the services
    (and so the API), and the bulk and history imports. Each given time must lie in the sane
    window and exist on the wall clock; the end must follow the start within 24 hours; an
    `executed` or `no_show` session must have begun by `now`; and a cancellation cannot be
    made later than `now`, the time of the report. Times not given are not checked. Cheap per
    row (comparisons; the summer-time check looks only at days the offset changes), as the
    import calls it 100,000 times."""
    errors: list[DeliveryError] = []
    fine: dict[str, datetime] = {}
    for name, moment in (("start", start), ("end", end), ("cancelled_at", cancelled_at)):
        if moment is None:
            continue
        # The window first: the summer-time check itself cannot handle year 9999.
        if not EARLIEST_MOMENT <= moment < END_OF_WINDOW:
            errors.append(
                DeliveryError(name, "out_of_range", _("Ange en tid mellan år 1900 och år 2100."))
            )
        elif does_not_exist(moment):
            errors.append(
                DeliveryError(
                    name,
                    "nonexistent_time",
                    _("Klockslaget finns inte den dagen: klockan ställdes fram en timme."),
                )
            )
        else:
            fine[name] = moment
    start, end, cancelled_at = fine.get("start"), fine.get("end"), fine.get("cancelled_at")
    if start is not None and end is not None:
        if end <= start:
            errors.append(
                DeliveryError(
                    "end", "end_before_start", _("Sluttiden måste vara efter starttiden.")
                )
            )
        elif end - start > MAX_SESSION:
            errors.append(DeliveryError("end", "too_long", _("Ett pass kan vara högst 24 timmar.")))
    if start is not None and status in HAPPENED_STATUSES and start > now:
        errors.append(
            DeliveryError(
                "start",
                "not_started",
                _(
                    "Passet har inte börjat än. Det kan rapporteras som utfört eller uteblivet "
                    "först när starttiden har passerat."
                ),
            )
        )
    if cancelled_at is not None and cancelled_at > now:
        errors.append(
            DeliveryError(
                "cancelled_at",
                "in_future",
                _("Avbokningen kan inte ha gjorts senare än nu, när den rapporteras."),
            )
        )
    return errors


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


# The versions read once for a run of writes; which one is in force is the ledger's lookup.
GuidelineCache = GuidelineVersions


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
