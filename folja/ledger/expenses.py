"""Which part of each expense claim draws on the pooled allowance, which is covered by
costly-activity money and which waits for a caseworker's decision (DESIGN.md "Expenses").

The one place this split is made. The bridge gives the engine only the pool parts
(`pool_expenses`, through `bridge.expense_items`), so `folja calc`, the scenario export and every
balance agree; the claim services ask `claim_needs_decision` whether a new claim would overdraw
the pool; the pages ask `period_money` what waits and what activity money pays.

The rule, per period of the pooled allowance (the engine's periods and allowances), claims taken
in order of date, then id:

- a rejected claim counts nowhere;
- a claim linked to an approved costly activity draws on the pool first, up to what is left of
  it; the rest is covered by the activity's approved amount (never more than approved, never
  beyond the guideline's yearly ceiling across the person's activities in the year). What is
  beyond that waits for the caseworker, unless the caseworker approved the claim as a whole:
  then the municipality pays it, and it draws on the pool beyond the allowance;
- any other claim waits while it is `pending` (it would have overdrawn the pool when it came
  in, so the caseworker decides), and otherwise draws on the pool in full.

All amounts are whole öre and the arithmetic is exact (sums, differences and minima only), so
nothing is rounded here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from folja.delivery.models import ClaimStatus
from folja.rules.model import Expense
from folja.rules.periods import period_index

ZERO = Decimal("0.00")


class AllowancePeriod(Protocol):
    """A period of the pooled allowance, as the engine lists it (`PeriodResult`)."""

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...

    @property
    def allowance(self) -> Decimal: ...


@dataclass(frozen=True)
class ClaimRow:
    """What the split reads of a claim."""

    id: int
    date: date
    amount: Decimal
    status: str
    activity_id: int | None = None


@dataclass(frozen=True)
class ActivityMoney:
    """An approved costly activity: its approved amount and the yearly ceiling it falls under
    (the guideline's, in force on the activity's date)."""

    id: int
    year: int
    approved: Decimal
    ceiling: Decimal


@dataclass(frozen=True)
class ClaimSplit:
    id: int
    date: date
    amount: Decimal
    pool: Decimal  # drawn on the pooled allowance
    activity: Decimal  # covered by an approved costly activity's money
    waiting: Decimal  # waits for the caseworker's decision


@dataclass(frozen=True)
class PeriodMoney:
    """The money of one period as the person reads it."""

    start: date
    end: date
    allowance: Decimal
    pool: Decimal  # what the claims of the period draw on the pool
    activity: Decimal = ZERO
    waiting: Decimal = ZERO

    @property
    def left(self) -> Decimal:
        """What is left of the pool; negative only when the caseworker approved more."""
        return self.allowance - self.pool

    @property
    def left_to_use(self) -> Decimal:
        """What the person can still claim within the pool: never below zero."""
        return max(ZERO, self.left)

    @property
    def approved_beyond(self) -> Decimal:
        """What the caseworker approved beyond the pool."""
        return max(ZERO, -self.left)


# --- the split (pure) -------------------------------------------------------------------------


def split_claims(
    claims: Iterable[ClaimRow],
    *,
    periods: Sequence[AllowancePeriod],
    activities: Mapping[int, ActivityMoney],
) -> list[ClaimSplit]:
    """Split each claim that is not rejected into pool, activity and waiting parts.

    `periods` are the engine's periods (sorted, not overlapping) with their allowances; a claim
    on a day outside every period has no pool to draw on. `activities` holds the approved
    costly activities only: a claim linked to an activity that is not (yet) approved is judged
    like any other claim.
    """
    drawn: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
    covered_by_activity: dict[int, Decimal] = defaultdict(lambda: ZERO)
    covered_in_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    splits: list[ClaimSplit] = []
    for claim in sorted(claims, key=lambda c: (c.date, c.id)):
        if claim.status == ClaimStatus.REJECTED:
            continue
        index = period_index(periods, claim.date)
        activity = activities.get(claim.activity_id) if claim.activity_id else None
        pool = activity_part = waiting = ZERO
        if activity is None:
            if claim.status == ClaimStatus.PENDING:
                waiting = claim.amount  # it would overdraw: nothing is drawn until approved
            else:
                pool = claim.amount
        else:
            allowance = periods[index].allowance if index is not None else ZERO
            pool = min(claim.amount, max(ZERO, allowance - drawn[index]))
            rest = claim.amount - pool
            activity_part = min(
                rest,
                max(ZERO, activity.approved - covered_by_activity[activity.id]),
                max(ZERO, activity.ceiling - covered_in_year[activity.year]),
            )
            covered_by_activity[activity.id] += activity_part
            covered_in_year[activity.year] += activity_part
            beyond = rest - activity_part
            if claim.status == ClaimStatus.APPROVED:
                pool += beyond  # the caseworker approved the whole claim
            else:
                waiting = beyond
        drawn[index] += pool
        splits.append(
            ClaimSplit(
                id=claim.id,
                date=claim.date,
                amount=claim.amount,
                pool=pool,
                activity=activity_part,
                waiting=waiting,
            )
        )
    return splits


def overdraws(
    splits: Sequence[ClaimSplit], claim_id: int, *, periods: Sequence[AllowancePeriod]
) -> bool:
    """Whether claim `claim_id`, as split among the others, would overdraw the pool: part of it
    waits, or what it draws takes its period's pool below zero (or it lies outside every
    period, where there is no pool at all)."""
    mine = next(s for s in splits if s.id == claim_id)
    if mine.waiting > 0:
        return True
    if mine.pool == 0:
        return False
    index = period_index(periods, mine.date)
    if index is None:
        return True
    period = periods[index]
    drawn = sum((s.pool for s in splits if period.start <= s.date <= period.end), ZERO)
    return drawn > period.allowance


# --- reading the rows ---------------------------------------------------------------------


def claim_row(claim: Any) -> ClaimRow:
    """A claim as the split reads it, from a model instance, a named tuple or the seed's row
    view (which has no activity link)."""
    return ClaimRow(
        id=claim.id,
        date=claim.date,
        amount=claim.amount_sek,
        status=claim.status,
        activity_id=getattr(claim, "costly_activity_id", None),
    )


def approved_activities(activity_ids: Iterable[int]) -> dict[int, ActivityMoney]:
    """The approved costly activities among `activity_ids`, with their yearly ceilings."""
    from folja.delivery.models import CostlyActivityApplication
    from folja.ledger.guidelines import GuidelineVersions

    ids = {i for i in activity_ids if i}
    if not ids:
        return {}
    rows = list(
        CostlyActivityApplication.objects.filter(
            pk__in=ids, status=ClaimStatus.APPROVED, approved_amount_sek__isnull=False
        ).values_list("pk", "date", "approved_amount_sek", named=True)
    )
    if not rows:
        return {}
    versions = GuidelineVersions()
    activities = {}
    for row in rows:
        version = versions.on(row.date)
        ceiling = version.costly_activity_yearly_ceiling if version else row.approved_amount_sek
        activities[row.pk] = ActivityMoney(
            id=row.pk, year=row.date.year, approved=row.approved_amount_sek, ceiling=ceiling
        )
    return activities


def allowance_periods(person_id: int) -> tuple[AllowancePeriod, ...]:
    """The engine's periods of the person with their allowances (sessions play no part in
    them, so none are read)."""
    from folja.cases.models import Decision
    from folja.ledger import bridge
    from folja.ledger.guidelines import guideline_schedule
    from folja.rules.engine import evaluate
    from folja.rules.payment import RateTable

    decisions = Decision.objects.filter(person_id=person_id).only(*bridge.DECISION_FIELDS)
    grants = bridge.decision_grants(decisions)
    if not grants:
        return ()
    return evaluate(guideline_schedule(), RateTable(()), grants, ()).periods


def split_person_claims(
    claims: Iterable[Any], *, periods: Sequence[AllowancePeriod] | None = None
) -> list[ClaimSplit]:
    """The split of one person's claims (rows as `claim_row` reads them). The periods are read
    only when some claim is linked to an approved activity: otherwise no claim's split depends
    on them, and the bulk paths stay free of extra reads."""
    claims = list(claims)
    rows = [claim_row(c) for c in claims]
    linked = {r.activity_id for r in rows if r.activity_id and r.status != ClaimStatus.REJECTED}
    activities = approved_activities(linked) if linked else {}
    if activities and periods is None:
        person_ids = {getattr(c, "person_id", None) for c in claims}
        if len(person_ids) != 1 or None in person_ids:
            raise ValueError("split_person_claims needs the claims of one person")
        periods = allowance_periods(person_ids.pop())
    return split_claims(rows, periods=periods or (), activities=activities)


def pool_expenses(claims: Iterable[Any]) -> list[Expense]:
    """The engine's expenses: the pool part of each claim, for claims of one or more persons."""
    by_person: dict[Any, list[Any]] = defaultdict(list)
    for claim in claims:
        by_person[getattr(claim, "person_id", None)].append(claim)
    expenses: list[Expense] = []
    for person_claims in by_person.values():
        expenses.extend(
            Expense(id=str(s.id), date=s.date, amount=s.pool)
            for s in split_person_claims(person_claims)
            if s.pool > 0
        )
    return expenses


CLAIM_READ_FIELDS = ("id", "person_id", "date", "amount_sek", "status", "costly_activity_id")


def _person_claims(person_id: int, *, start: date | None = None, end: date | None = None):
    from folja.delivery.models import ExpenseClaim

    qs = ExpenseClaim.objects.filter(person_id=person_id)
    if start is not None and end is not None:
        qs = qs.filter(date__gte=start, date__lte=end)
    return list(qs.values_list(*CLAIM_READ_FIELDS, named=True))


def claim_needs_decision(*, person_id: int, claim_id: int) -> bool:
    """Whether the person's (saved, not yet decided) claim `claim_id` would overdraw the pool
    and is not covered by an approved activity: then the caseworker decides it."""
    claims = _person_claims(person_id)
    periods = allowance_periods(person_id)
    splits = split_person_claims(claims, periods=periods)
    return overdraws(splits, claim_id, periods=periods)


def period_money(
    *, person_id: int, start: date, end: date, allowance: Decimal, pool: Decimal
) -> PeriodMoney:
    """The period's money for the person's pages: the pool figures are the engine's (as the
    balance shows them); what waits and what activity money pays comes from the split. Only
    the period's claims are read unless one of them waits or is linked to an activity."""
    in_period = _person_claims(person_id, start=start, end=end)
    if not any(c.status == ClaimStatus.PENDING or c.costly_activity_id for c in in_period):
        return PeriodMoney(start=start, end=end, allowance=allowance, pool=pool)
    splits = [s for s in split_person_claims(_person_claims(person_id)) if start <= s.date <= end]
    return PeriodMoney(
        start=start,
        end=end,
        allowance=allowance,
        pool=pool,
        activity=sum((s.activity for s in splits), ZERO),
        waiting=sum((s.waiting for s in splits), ZERO),
    )


def balance_money(*, person_id: int, balance: Any) -> PeriodMoney | None:
    """`period_money` for a page's balance (`folja.delivery.selectors.Balance`, or anything with
    its period and allowance fields); None when there is no balance."""
    if balance is None:
        return None
    return period_money(
        person_id=person_id,
        start=balance.period_start,
        end=balance.period_end,
        allowance=balance.allowance_sek,
        pool=balance.expenses_sek,
    )
