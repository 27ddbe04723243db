"""Evaluate one person's decisions, sessions and expenses (CALC.md rules 1–6).

This is the single place where balances, verification flags and payments are computed; the
application, the payment run and `folja calc` all call `evaluate`, so any figure the system
shows can be reproduced by an auditor with a scenario file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from folja.rules.errors import UnknownRate
from folja.rules.followup import free_follow_up
from folja.rules.guidelines import GuidelineSchedule, as_schedule
from folja.rules.model import (
    CANCELLED_BY_PERSON,
    EXECUTED,
    FREE,
    NO_SHOW,
    DecisionGrant,
    Expense,
    Guideline,
    Rate,
    SessionReport,
    cancellation_kind,
    is_late_cancellation,
)
from folja.rules.money import to_ore
from folja.rules.payment import Payment, RateTable, session_payment
from folja.rules.periods import (
    Period,
    allowance_by_month,
    build_periods,
    granted_minutes_by_month,
    month_start,
    period_index,
)
from folja.rules.periods import period_containing as find_period

# Verification flags, in the order the rules introduce them (and the order they are listed).
OUTSIDE_DECISION = "outside_decision"
OVERLAP = "overlap"
DOUBLE_STAFFING_NOT_GRANTED = "double_staffing_not_granted"
EXCEEDS_GRANT = "exceeds_grant"
# Not a CALC.md flag: the application's hold on a session priced in a year without a LOV rate.
NO_RATE = "no_rate"
FLAGS = (OUTSIDE_DECISION, OVERLAP, DOUBLE_STAFFING_NOT_GRANTED, EXCEEDS_GRANT, NO_RATE)


@dataclass(frozen=True)
class PeriodResult:
    start: date
    end: date
    model: str
    granted_minutes: int
    used_minutes: int
    allowance: Decimal
    expenses: Decimal

    @property
    def remaining_minutes(self) -> int:
        # May be negative: time used beyond the grant is shown, not hidden.
        return self.granted_minutes - self.used_minutes

    @property
    def allowance_left(self) -> Decimal:
        return self.allowance - self.expenses

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class SessionResult:
    id: str
    period_start: date | None
    charged_minutes: int
    payable_minutes: int
    band_minutes: dict[str, int]
    payment: Decimal
    flags: tuple[str, ...]
    kind: str  # status with a person's cancellation split into in time / late
    decision_id: str | None  # the decision whose model governs the session
    paid_escorts: int


@dataclass(frozen=True)
class BalanceOn:
    date: date
    period_start: date
    period_end: date
    remaining_minutes: int
    allowance_left: Decimal


@dataclass(frozen=True)
class Evaluation:
    periods: tuple[PeriodResult, ...]
    sessions: tuple[SessionResult, ...]
    balance_on: BalanceOn | None
    follow_up: tuple[date, ...] = field(default=())  # 1st day of each month to review

    def period_containing(self, day: date) -> PeriodResult | None:
        index = period_index(self.periods, day)
        return None if index is None else self.periods[index]

    def session(self, session_id: str) -> SessionResult:
        for result in self.sessions:
            if result.id == session_id:
                return result
        raise KeyError(session_id)


def charged_by_status(session: SessionReport, guideline: Guideline) -> int:
    """Minutes a session would charge by its status alone (rule 3, before the flags)."""
    if session.status == EXECUTED:
        return session.duration_minutes
    if session.status == CANCELLED_BY_PERSON:
        late = is_late_cancellation(session, guideline)
        return session.duration_minutes if late and guideline.late_cancellation_charged else 0
    if session.status == NO_SHOW:
        return session.duration_minutes if guideline.no_show_charged else 0
    return 0  # cancelled_by_provider: the person must not lose time for the provider's failure


def governing_decision(
    decisions: Sequence[DecisionGrant], moment: datetime
) -> DecisionGrant | None:
    """The decision covering a session's start whose model governs it; of overlapping
    decisions the one that started last, being the most recent assessment."""
    day = moment.date()
    covering = [d for d in decisions if d.covers(day)]
    if not covering:
        return None
    return max(covering, key=lambda d: (d.valid_from, str(d.id)))


def double_staffing_granted(decisions: Sequence[DecisionGrant], moment: datetime) -> bool:
    day = moment.date()
    return any(d.double_staffing for d in decisions if d.covers(day))


def evaluate(
    guideline: Guideline | GuidelineSchedule,
    rates: RateTable | Iterable[Rate],
    decisions: Sequence[DecisionGrant],
    sessions: Iterable[SessionReport],
    expenses: Iterable[Expense] = (),
    on: date | None = None,
    *,
    hold_unknown_rate: bool = False,
) -> Evaluation:
    """Apply CALC.md rules 1–6 to one person (one service).

    `guideline` is one version in force on every day, or the dated versions; each rule asks the
    version in force on its own day (folja.rules.guidelines). Raises `UnknownRate` when a
    payable minute falls in a year/regi without a rate, unless `hold_unknown_rate`: then the
    session is flagged `no_rate` and pays nothing until the rate exists (the application holds
    it back; `folja calc` reports the missing rate as an error, as the contract says).
    """
    rate_table = rates if isinstance(rates, RateTable) else RateTable(rates)
    schedule = as_schedule(guideline)
    decisions = list(decisions)
    periods: list[Period] = build_periods(decisions, lambda day: schedule.on(day).period_anchor)
    granted_by_month = granted_minutes_by_month(decisions)
    allowance_month = allowance_by_month(
        decisions, lambda first: schedule.on(first).expense_allowance_per_month
    )
    storhelg = schedule.storhelg

    granted = [sum(granted_by_month.get(m, 0) for m in p.months()) for p in periods]
    used = [0] * len(periods)
    charged_by_month: dict[date, int] = {}
    results: list[SessionResult] = []
    charged_until: datetime | None = None  # latest end of any charged session so far

    for session in sorted(sessions, key=lambda s: (s.start, str(s.id))):
        flags: list[str] = []
        decision = governing_decision(decisions, session.start)
        version = schedule.on(session.start.date())  # the rules of the day it starts
        charged = charged_by_status(session, version)
        if decision is None:
            flags.append(OUTSIDE_DECISION)
            charged = 0
        elif charged > 0 and charged_until is not None and session.start < charged_until:
            # Sessions are taken in start order, so an earlier charged session overlaps this
            # one exactly when it ends after this one starts (touching is not overlapping).
            flags.append(OVERLAP)
            charged = 0
        if charged > 0:
            charged_until = max(charged_until or session.end, session.end)

        paid_escorts = 1
        if session.escorts >= 2:
            if double_staffing_granted(decisions, session.start):
                paid_escorts = session.escorts
            else:
                flags.append(DOUBLE_STAFFING_NOT_GRANTED)

        index = period_index(periods, session.start.date())
        payable = 0
        if charged > 0 and decision is not None:
            if decision.model == FREE or index is None:
                payable = charged
            else:
                payable = max(0, min(charged, granted[index] - used[index]))
                if payable < charged:
                    flags.append(EXCEEDS_GRANT)
                    if session.excess_approved:
                        payable = charged
        if index is not None:
            used[index] += charged
        month = month_start(session.start.date())
        charged_by_month[month] = charged_by_month.get(month, 0) + charged

        try:
            payment = session_payment(
                session.start,
                payable,
                regi=session.regi,
                paid_escorts=paid_escorts,
                rates=rate_table,
                storhelg=storhelg,
            )
        except UnknownRate:
            if not hold_unknown_rate:
                raise
            flags.append(NO_RATE)
            payment = Payment({}, to_ore(Decimal(0)))
        results.append(
            SessionResult(
                id=session.id,
                period_start=None if index is None else periods[index].start,
                charged_minutes=charged,
                payable_minutes=payable,
                band_minutes=payment.band_minutes,
                payment=payment.amount,
                flags=tuple(flags),
                kind=cancellation_kind(session, version),
                decision_id=None if decision is None else decision.id,
                paid_escorts=paid_escorts,
            )
        )

    spent = [Decimal(0)] * len(periods)
    for expense in expenses:
        index = period_index(periods, expense.date)
        if index is not None:
            spent[index] += expense.amount

    period_results = tuple(
        PeriodResult(
            start=p.start,
            end=p.end,
            model=p.model,
            granted_minutes=granted[i],
            used_minutes=used[i],
            allowance=to_ore(sum((allowance_month.get(m, Decimal(0)) for m in p.months()), 0)),
            expenses=to_ore(spent[i]),
        )
        for i, p in enumerate(periods)
    )
    follow_up = free_follow_up(
        decisions, charged_by_month, lambda month: schedule.on(month).free_review_threshold
    )
    return Evaluation(
        periods=period_results,
        sessions=tuple(results),
        balance_on=_balance(period_results, on),
        follow_up=tuple(follow_up),
    )


def _balance(periods: Sequence[PeriodResult], on: date | None) -> BalanceOn | None:
    if on is None:
        return None
    index = period_index(periods, on)
    if index is None:
        return None
    period = periods[index]
    return BalanceOn(
        date=on,
        period_start=period.start,
        period_end=period.end,
        remaining_minutes=period.remaining_minutes,
        allowance_left=period.allowance_left,
    )


def balance_on(
    guideline: Guideline | GuidelineSchedule,
    rates: RateTable | Iterable[Rate],
    decisions: Sequence[DecisionGrant],
    sessions: Iterable[SessionReport],
    expenses: Iterable[Expense],
    on: date,
) -> BalanceOn | None:
    """The balance of the period containing `on`: what remains of it once every session and
    expense of the period is counted, including those after `on` (booked time is spoken for)."""
    return evaluate(guideline, rates, decisions, sessions, expenses, on).balance_on


def period_containing(periods: Sequence[PeriodResult], day: date) -> PeriodResult | None:
    """The period (of an `Evaluation`) that contains `day`, if any."""
    return find_period(periods, day)
