"""Reads about delivery: balances and per-period results, always the rules engine's via the
ledger — never computed here. Pages read the periods the ledger stored at the last
verification (`PeriodBalance`), so their cost does not grow with the length of a history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet

from folja.delivery.models import ClaimStatus, CostlyActivityApplication
from folja.ledger.store import stored_periods
from folja.people.models import Person
from folja.rules.engine import PeriodResult, period_containing
from folja.rules.followup import execution_rate


@dataclass(frozen=True)
class Balance:
    """What is left of the current period, as a person and a caseworker see it."""

    on: date
    period_start: date
    period_end: date
    model: str
    granted_minutes: int
    used_minutes: int
    remaining_minutes: int
    allowance_sek: Decimal
    expenses_sek: Decimal
    allowance_left_sek: Decimal

    @property
    def lapses_on(self) -> date:
        """Unused time lapses when the period ends: the last day it can be used."""
        return self.period_end

    @property
    def days_left(self) -> int:
        return (self.period_end - self.on).days + 1

    def lapses_within(self, days: int) -> bool:
        return self.remaining_minutes > 0 and self.period_end - self.on < timedelta(days=days)

    @property
    def used_share(self) -> Decimal | None:
        return execution_rate(self.used_minutes, self.granted_minutes)


@dataclass(frozen=True)
class PeriodSummary:
    start: date
    end: date
    model: str
    granted_minutes: int
    used_minutes: int
    remaining_minutes: int
    execution_rate: Decimal | None
    allowance_sek: Decimal
    expenses_sek: Decimal


def _balance(periods: list[PeriodResult], on: date) -> Balance | None:
    period = period_containing(periods, on)
    if period is None:
        return None
    return Balance(
        on=on,
        period_start=period.start,
        period_end=period.end,
        model=period.model,
        granted_minutes=period.granted_minutes,
        used_minutes=period.used_minutes,
        remaining_minutes=period.remaining_minutes,
        allowance_sek=period.allowance,
        expenses_sek=period.expenses,
        allowance_left_sek=period.allowance_left,
    )


def _periods(periods: list[PeriodResult]) -> list[PeriodSummary]:
    return [
        PeriodSummary(
            start=p.start,
            end=p.end,
            model=p.model,
            granted_minutes=p.granted_minutes,
            used_minutes=p.used_minutes,
            remaining_minutes=p.remaining_minutes,
            execution_rate=execution_rate(p.used_minutes, p.granted_minutes),
            allowance_sek=p.allowance,
            expenses_sek=p.expenses,
        )
        for p in periods
    ]


def person_balance(*, person: Person, on: date) -> Balance | None:
    """The balance of the period containing `on`, or None when no decision covers it."""
    return _balance(stored_periods(person=person, on=on), on)


def person_periods(*, person: Person, on: date) -> list[PeriodSummary]:
    """Every period of the person's decisions with its execution rate (used / granted)."""
    return _periods(stored_periods(person=person, on=on))


def person_overview(*, person: Person, on: date) -> tuple[Balance | None, list[PeriodSummary]]:
    """Balance and periods from one read, for pages that show both."""
    periods = stored_periods(person=person, on=on)
    return _balance(periods, on), _periods(periods)


def claimable_costly_activities(*, persons) -> QuerySet[CostlyActivityApplication]:
    """The approved costly activities a provider's expense claim can be for: those of the
    persons it serves (`persons`, a queryset of person ids from the provider's own accepted
    orders). The provider sees what the activity is and when, never the amounts."""
    return (
        CostlyActivityApplication.objects.filter(person__in=persons, status=ClaimStatus.APPROVED)
        .select_related("person")
        .order_by("-date", "-id")
    )
