"""Follow-up measures: free-model review (CALC.md rule 6), execution rate, flexible use."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from folja.rules.model import FREE, DecisionGrant
from folja.rules.periods import add_months, granted_minutes_by_month, iter_months
from folja.rules.stats import share

RATE_PLACES = 4


def free_follow_up(
    decisions: Sequence[DecisionGrant],
    charged_by_month: Mapping[date, int],
    threshold: Decimal | Callable[[date], Decimal],
) -> list[date]:
    """Months (as their 1st day) that call for a caseworker's review under the free model.

    Under `free` nothing is blocked ("from control to trust"); instead, for each month M with a
    day under a free decision, if the charged minutes of M and the two months before exceed
    `threshold` × the granted minutes of those months, M is listed. The rolling window uses all
    grants and all charged time of the person, also from months under another model, because
    the question is whether usage has outgrown the planning figure, whatever it was called.
    `threshold` is a number, or a function giving the threshold in force on a month's 1st day.
    """
    threshold_on = threshold if callable(threshold) else (lambda _month: threshold)
    months: set[date] = set()
    for decision in decisions:
        if decision.model == FREE:
            months.update(iter_months(decision.valid_from, decision.valid_to))
    granted = granted_minutes_by_month(decisions)
    listed = []
    for month in sorted(months):
        window = [month] + [m for m in (add_months(month, -1), add_months(month, -2)) if m]
        charged = sum(charged_by_month.get(m, 0) for m in window)
        allowed = threshold_on(month) * sum(granted.get(m, 0) for m in window)
        if charged > allowed:
            listed.append(month)
    return listed


def execution_rate(executed_minutes: int, granted_minutes: int) -> Decimal | None:
    """Utförandegrad = executed / granted, to four decimals; None when nothing was granted
    (a rate of 0/0 is not 0 %, and must not drag averages down)."""
    return share(executed_minutes, granted_minutes, RATE_PLACES)


def used_flexibly(month_grants: Iterable[int], month_used: Iterable[int]) -> bool:
    """Whether a flex3 period was used flexibly: in some month the person used more than that
    month's own grant (DESIGN.md "Flexible use"), which the monthly model would have refused."""
    return any(used > grant for grant, used in zip(month_grants, month_used, strict=True))
