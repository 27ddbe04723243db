"""The inputs of the rules as frozen dataclasses.

The Django side builds these from the database (a guideline version, the LOV rate table, a
person's decisions, session reports and expense claims); `scenario.py` builds them from a
`folja calc` JSON file. Keeping them plain makes every rule testable without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

# Allocation models (DESIGN.md "Allocation models").
MONTHLY = "monthly"
FLEX3 = "flex3"
FREE = "free"
MODELS = (MONTHLY, FLEX3, FREE)

# Period grid anchors for flex3.
DECISION_START = "decision_start"
CALENDAR_QUARTER = "calendar_quarter"
PERIOD_ANCHORS = (DECISION_START, CALENDAR_QUARTER)

# Session statuses as reported by a provider. Whether a person's cancellation was in time or
# late is not reported but derived from the guideline's cut-off (`cancellation_kind`), so one
# city-wide rule decides it rather than each provider's own.
EXECUTED = "executed"
CANCELLED_BY_PERSON = "cancelled_by_person"
NO_SHOW = "no_show"
CANCELLED_BY_PROVIDER = "cancelled_by_provider"
STATUSES = (EXECUTED, CANCELLED_BY_PERSON, NO_SHOW, CANCELLED_BY_PROVIDER)

CANCELLED_BY_PERSON_IN_TIME = "cancelled_by_person_in_time"
CANCELLED_BY_PERSON_LATE = "cancelled_by_person_late"

MUNICIPAL = "municipal"
PRIVATE = "private"
REGIS = (MUNICIPAL, PRIVATE)

# LOV time bands, in priority order (highest first) as DESIGN.md and CALC.md rule 5 give it.
STORHELG = "storhelg"
WEEKEND = "weekend"
NIGHT = "night"
EVENING = "evening"
DAY = "day"
BANDS = (DAY, EVENING, NIGHT, WEEKEND, STORHELG)


@dataclass(frozen=True)
class Guideline:
    """The parameters of a dated guideline version (riktlinjeversion) that the rules read."""

    period_anchor: str = DECISION_START
    late_cancellation_cutoff_hours: Decimal = Decimal(24)
    late_cancellation_charged: bool = True
    no_show_charged: bool = True
    expense_allowance_per_month: Decimal = Decimal(0)
    free_review_threshold: Decimal = Decimal(2)
    storhelg: frozenset[date] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Rate:
    """LOV payment in SEK per hour for one year and regi, per time band."""

    year: int
    regi: str
    day: Decimal
    evening: Decimal
    night: Decimal
    weekend: Decimal
    storhelg: Decimal

    def for_band(self, band: str) -> Decimal:
        return getattr(self, band)


@dataclass(frozen=True)
class DecisionGrant:
    """What a decision grants: hours per month over `valid_from..valid_to` (inclusive)."""

    id: str
    valid_from: date
    valid_to: date
    hours_per_month: Decimal
    model: str
    double_staffing: bool = False

    def covers(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to


@dataclass(frozen=True)
class SessionReport:
    """A booked or executed escort session as the provider reported it."""

    id: str
    start: datetime
    end: datetime
    status: str
    escorts: int = 1
    regi: str = PRIVATE
    cancelled_at: datetime | None = None
    # A caseworker approved this session's excess over the grant (DESIGN.md: flagged excess is
    # not payable "until a caseworker approves it"). The flag stays; the minutes become payable.
    excess_approved: bool = False

    @property
    def duration_minutes(self) -> int:
        # Whole minutes between the minute marks, the unit of all time in the rules.
        start, end = self.start, self.end
        if start.second or start.microsecond:
            start = start.replace(second=0, microsecond=0)
        if end.second or end.microsecond:
            end = end.replace(second=0, microsecond=0)
        return int((end - start).total_seconds()) // 60


@dataclass(frozen=True)
class Expense:
    """An expense claim (omkostnad) drawing on the pooled allowance."""

    id: str
    date: date
    amount: Decimal


def is_late_cancellation(session: SessionReport, guideline: Guideline) -> bool:
    """A cancellation is late when it came less than the cut-off before the start.

    Exactly at the cut-off counts as in time: the person did what the guideline asked. A
    cancellation after the start (negative notice) is late; one without a time is treated as
    late because nothing shows it was in time.
    """
    if session.cancelled_at is None:
        return True
    notice = session.start - session.cancelled_at
    notice_minutes = Decimal(int(notice.total_seconds())) / 60
    return notice_minutes < guideline.late_cancellation_cutoff_hours * 60


def cancellation_kind(session: SessionReport, guideline: Guideline) -> str:
    """The status as the UI and the glossary name it, splitting a person's cancellation into
    `cancelled_by_person_in_time` or `cancelled_by_person_late`; other statuses unchanged."""
    if session.status != CANCELLED_BY_PERSON:
        return session.status
    if is_late_cancellation(session, guideline):
        return CANCELLED_BY_PERSON_LATE
    return CANCELLED_BY_PERSON_IN_TIME
