"""The period grid (CALC.md rule 1) and what each period grants (rule 2).

A period is always a run of whole calendar months: monthly and free decisions use calendar
months, flex3 decisions three-month periods anchored either on the decision chain's first
month or on calendar quarters. Because every boundary falls on the 1st of a month, a month
belongs to exactly one period, which lets grants and allowances be computed per month and
summed per period.
"""

from __future__ import annotations

import bisect
import calendar
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol, TypeVar

from folja.rules.model import CALENDAR_QUARTER, FLEX3, DecisionGrant
from folja.rules.money import ore_to_sek, round_half_up_ratio, to_ore

ONE_DAY = timedelta(days=1)


class Span(Protocol):
    """Anything with inclusive `start` and `end` dates: a `Period` or an engine result."""

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...


SpanT = TypeVar("SpanT", bound=Span)


@dataclass(frozen=True)
class Period:
    """A period of the grid: `start..end` inclusive, with the model of the chain that made it."""

    start: date
    end: date
    model: str

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def months(self) -> Iterator[date]:
        """The first day of each month in the period."""
        return iter_months(self.start, self.end)


@dataclass(frozen=True)
class Chain:
    """An unbroken run of decisions under one model: each starts at the latest the day after
    the run so far ends. The grid of a flex3 chain is anchored on its first month."""

    model: str
    start: date
    end: date
    decisions: tuple[DecisionGrant, ...]


# --- calendar helpers ---------------------------------------------------------------------


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    # calendar.monthrange also works out the weekday of the 1st, which nothing here needs.
    if month == 2 and calendar.isleap(year):
        return 29
    return _DAYS[month - 1]


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=days_in_month(day.year, day.month))


def add_months(first: date, months: int) -> date | None:
    """The 1st of the month `months` after (or before) `first`'s month; None outside the years
    `date` can hold."""
    index = first.year * 12 + first.month - 1 + months
    year, month = divmod(index, 12)
    if not date.min.year <= year <= date.max.year:
        return None
    return date(year, month + 1, 1)


def iter_months(start: date, end: date) -> Iterator[date]:
    """The 1st of every month that has a day in `start..end`."""
    current: date | None = month_start(start)
    while current is not None and current <= end:
        yield current
        current = add_months(current, 1)


def _span_end(first: date, months: int) -> date:
    following = add_months(first, months)
    return date.max if following is None else following - ONE_DAY


# --- chains and the grid -------------------------------------------------------------------


def find_chains(decisions: Iterable[DecisionGrant]) -> list[Chain]:
    """Group decisions into chains, ordered by start (CALC.md "Rulings on mixed histories").

    Decisions are taken in order of start. A decision continues the current chain when it has
    the chain's model and starts no later than the day after the latest `valid_to` so far: a
    renewal (valid_from = previous valid_to + 1), a decision replacing another mid-way and an
    overlapping decision of the same model all keep the grid. A gap or a change of model starts
    a new chain with a grid of its own, since the grid's shape (one or three months) changes.
    """
    chains: list[Chain] = []
    current: list[DecisionGrant] = []
    start = end = date.min
    for decision in sorted(decisions, key=lambda d: (d.valid_from, d.valid_to, str(d.id))):
        if current and decision.model == current[0].model and decision.valid_from <= end + ONE_DAY:
            current.append(decision)
            end = max(end, decision.valid_to)
            continue
        if current:
            chains.append(Chain(current[0].model, start, end, tuple(current)))
        current = [decision]
        start, end = decision.valid_from, decision.valid_to
    if current:
        chains.append(Chain(current[0].model, start, end, tuple(current)))
    return chains


def _chain_periods(chain: Chain, anchor: str) -> list[Period]:
    if chain.model != FLEX3:
        return [
            Period(first, month_end(first), chain.model)
            for first in iter_months(chain.start, chain.end)
        ]
    if anchor == CALENDAR_QUARTER:
        first: date | None = date(chain.start.year, (chain.start.month - 1) // 3 * 3 + 1, 1)
    else:
        first = month_start(chain.start)
    periods = []
    while first is not None and first <= chain.end:
        periods.append(Period(first, _span_end(first, 3), chain.model))
        first = add_months(first, 3)
    return periods


def merge_intervals(decisions: Iterable[DecisionGrant]) -> list[tuple[date, date]]:
    """The days covered by any decision, as sorted disjoint inclusive intervals."""
    merged: list[tuple[date, date]] = []
    for d in sorted(decisions, key=lambda d: d.valid_from):
        if merged and d.valid_from <= merged[-1][1] + ONE_DAY:
            if d.valid_to > merged[-1][1]:
                merged[-1] = (merged[-1][0], d.valid_to)
        else:
            merged.append((d.valid_from, d.valid_to))
    return merged


def build_periods(
    decisions: Sequence[DecisionGrant], anchor: str | Callable[[date], str]
) -> list[Period]:
    """The listed periods, sorted, never overlapping (CALC.md rule 1 and its rulings).

    `anchor` is the period anchor, or a function giving the anchor in force on a chain's first
    day (dated guideline versions). Chains are laid down in order of start and a later chain's
    period replaces every earlier period that starts inside it; an earlier period that starts
    before it ends on the day before. Only periods with a day under some decision are listed.
    """
    anchor_on = anchor if callable(anchor) else (lambda _day: anchor)
    periods: list[Period] = []
    for chain in find_chains(decisions):
        own = _chain_periods(chain, anchor_on(chain.start))
        kept = periods
        for new in own:
            survivors: list[Period] = []
            for p in kept:
                if new.start <= p.start <= new.end:
                    continue  # replaced by the later chain's period
                if p.start < new.start <= p.end:
                    survivors.append(replace(p, end=new.start - ONE_DAY))
                else:
                    survivors.append(p)
            kept = survivors
        periods = kept + own
    coverage = merge_intervals(decisions)
    listed = [p for p in periods if any(a <= p.end and p.start <= b for a, b in coverage)]
    listed.sort(key=lambda p: p.start)
    return listed


def period_containing(periods: Sequence[SpanT], day: date) -> SpanT | None:
    """The period (from a sorted, non-overlapping list) that contains `day`, if any."""
    index = period_index(periods, day)
    return None if index is None else periods[index]


def period_index(periods: Sequence[Span], day: date) -> int | None:
    """Index of the period containing `day` in a sorted, non-overlapping list, or None."""
    index = bisect.bisect_right(periods, day, key=lambda p: p.start) - 1
    if index >= 0 and periods[index].end >= day:
        return index
    return None


# --- grants and allowances (rule 2) ----------------------------------------------------------


def _days_in_month_within(first: date, start: date, end: date) -> int:
    last = month_end(first)
    return ((min(last, end) - max(first, start)).days) + 1


def decision_month_minutes(decision: DecisionGrant) -> dict[date, int]:
    """Granted minutes of one decision per month, prorated by its valid days in the month:
    round_half_up(hours_per_month × 60 × valid_days / days_in_month)."""
    # Exact integer arithmetic on hours = num/den (a Decimal is a ratio of integers).
    num, den = decision.hours_per_month.as_integer_ratio()
    result: dict[date, int] = {}
    for first in iter_months(decision.valid_from, decision.valid_to):
        days = _days_in_month_within(first, decision.valid_from, decision.valid_to)
        month_days = days_in_month(first.year, first.month)
        result[first] = round_half_up_ratio(num * 60 * days, den * month_days)
    return result


def granted_minutes_by_month(decisions: Iterable[DecisionGrant]) -> dict[date, int]:
    """Σ over decisions of their prorated minutes, per month: when a decision is replaced
    mid-month each contributes its own days, each rounded on its own as rule 2 says."""
    total: dict[date, int] = {}
    for decision in decisions:
        for first, minutes in decision_month_minutes(decision).items():
            total[first] = total.get(first, 0) + minutes
    return total


def covered_days_by_month(decisions: Iterable[DecisionGrant]) -> dict[date, int]:
    """Days per month covered by any decision (a day under two decisions counts once)."""
    covered: dict[date, int] = {}
    for start, end in merge_intervals(decisions):
        for first in iter_months(start, end):
            covered[first] = covered.get(first, 0) + _days_in_month_within(first, start, end)
    return covered


def allowance_by_month(
    decisions: Iterable[DecisionGrant], allowance_per_month: Decimal | Callable[[date], Decimal]
) -> dict[date, Decimal]:
    """Expense allowance per month, prorated by covered days and rounded to öre per month.

    `allowance_per_month` is the amount, or a function giving the amount of the guideline
    version in force on a month's first day. Unlike minutes, the allowance is the person's,
    not the decision's: two decisions covering the same month give one month's allowance.
    """
    amount_on = allowance_per_month if callable(allowance_per_month) else None
    result: dict[date, Decimal] = {}
    for first, days in covered_days_by_month(decisions).items():
        amount = amount_on(first) if amount_on else allowance_per_month
        num, den = Decimal(amount).as_integer_ratio()
        result[first] = ore_to_sek(
            round_half_up_ratio(num * days * 100, den * days_in_month(first.year, first.month))
        )
    return result


def period_granted_minutes(period: Period, decisions: Iterable[DecisionGrant]) -> int:
    by_month = granted_minutes_by_month(decisions)
    return sum(by_month.get(first, 0) for first in period.months())


def period_allowance(
    period: Period, decisions: Iterable[DecisionGrant], allowance_per_month: Decimal
) -> Decimal:
    by_month = allowance_by_month(decisions, allowance_per_month)
    return to_ore(sum((by_month.get(first, Decimal(0)) for first in period.months()), Decimal(0)))
