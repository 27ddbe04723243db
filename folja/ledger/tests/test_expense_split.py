"""The split of expense claims into pool, costly-activity money and what waits for a decision
(folja.ledger.expenses.split_claims), worked out by hand. No database: the split is plain
arithmetic over the engine's period allowances."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from folja.delivery.models import ClaimStatus
from folja.ledger.expenses import (
    ActivityMoney,
    ClaimRow,
    PeriodMoney,
    overdraws,
    split_claims,
)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    allowance: Decimal


# Stockholm-like: 300 kr a month pooled over January–March, and April–June.
Q1 = Period(date(2024, 1, 1), date(2024, 3, 31), Decimal("900.00"))
Q2 = Period(date(2024, 4, 1), date(2024, 6, 30), Decimal("900.00"))
CONCERT = ActivityMoney(id=7, year=2024, approved=Decimal("1800.00"), ceiling=Decimal("3000.00"))


def claim(
    id: int, day: date, amount: str, status=ClaimStatus.SUBMITTED, activity_id=None
) -> ClaimRow:
    return ClaimRow(id=id, date=day, amount=Decimal(amount), status=status, activity_id=activity_id)


def parts(splits) -> dict[int, tuple[str, str, str]]:
    return {s.id: (f"{s.pool:.2f}", f"{s.activity:.2f}", f"{s.waiting:.2f}") for s in splits}


def test_an_approved_activity_covers_its_claim_above_what_is_left_of_the_pool():
    # 250 kr of the pool is used on 10 January; the concert ticket of 2,000 kr draws the
    # remaining 650 kr, and the activity's 1,800 kr covers the other 1,350 kr.
    splits = split_claims(
        [
            claim(1, date(2024, 1, 10), "250.00"),
            claim(2, date(2024, 2, 10), "2000.00", activity_id=CONCERT.id),
        ],
        periods=[Q1, Q2],
        activities={CONCERT.id: CONCERT},
    )
    assert parts(splits) == {
        1: ("250.00", "0.00", "0.00"),
        2: ("650.00", "1350.00", "0.00"),
    }


def test_activity_money_is_never_more_than_approved_and_the_rest_waits():
    # The pool is empty, the activity approved 1,800 kr: of two claims of 1,000 kr each, the
    # second gets the 800 kr that is left of the approval and 200 kr wait for the caseworker.
    splits = split_claims(
        [
            claim(1, date(2024, 1, 5), "900.00"),
            claim(2, date(2024, 2, 10), "1000.00", activity_id=CONCERT.id),
            claim(3, date(2024, 2, 10), "1000.00", activity_id=CONCERT.id),
        ],
        periods=[Q1],
        activities={CONCERT.id: CONCERT},
    )
    assert parts(splits)[2] == ("0.00", "1000.00", "0.00")
    assert parts(splits)[3] == ("0.00", "800.00", "200.00")


def test_activity_money_stops_at_the_yearly_ceiling_across_the_persons_activities():
    # Two activities of 2,000 kr each in 2024 (approved under an older, higher ceiling); the
    # ceiling in force is 3,000 kr, so the second activity covers only 1,000 kr.
    first = ActivityMoney(id=1, year=2024, approved=Decimal("2000.00"), ceiling=Decimal("3000"))
    second = ActivityMoney(id=2, year=2024, approved=Decimal("2000.00"), ceiling=Decimal("3000"))
    next_year = ActivityMoney(id=3, year=2025, approved=Decimal("2000.00"), ceiling=Decimal("3000"))
    splits = split_claims(
        [
            claim(1, date(2024, 5, 1), "2900.00", activity_id=1),
            claim(2, date(2024, 5, 20), "2000.00", activity_id=2),
            claim(3, date(2025, 5, 20), "2000.00", activity_id=3),
        ],
        periods=[Q2],
        activities={1: first, 2: second, 3: next_year},
    )
    assert parts(splits) == {
        1: ("900.00", "2000.00", "0.00"),
        2: ("0.00", "1000.00", "1000.00"),
        3: ("0.00", "2000.00", "0.00"),  # a new year, a new ceiling (and no pool that day)
    }


def test_a_pending_claim_draws_nothing_and_a_rejected_one_counts_nowhere():
    splits = split_claims(
        [
            claim(1, date(2024, 1, 5), "800.00"),
            claim(2, date(2024, 1, 6), "250.00", status=ClaimStatus.PENDING),
            claim(3, date(2024, 1, 7), "99.00", status=ClaimStatus.REJECTED),
        ],
        periods=[Q1],
        activities={},
    )
    assert parts(splits) == {1: ("800.00", "0.00", "0.00"), 2: ("0.00", "0.00", "250.00")}


def test_a_claim_for_an_activity_that_is_not_approved_is_judged_like_any_other():
    splits = split_claims(
        [claim(1, date(2024, 2, 10), "2000.00", status=ClaimStatus.PENDING, activity_id=9)],
        periods=[Q1],
        activities={},  # activity 9 is still waiting for its own decision
    )
    assert parts(splits) == {1: ("0.00", "0.00", "2000.00")}


def test_what_the_caseworker_approves_beyond_pool_and_activity_draws_on_the_pool():
    splits = split_claims(
        [claim(1, date(2024, 2, 10), "3000.00", ClaimStatus.APPROVED, activity_id=CONCERT.id)],
        periods=[Q1],
        activities={CONCERT.id: CONCERT},
    )
    assert parts(splits) == {1: ("1200.00", "1800.00", "0.00")}


def test_a_claim_overdraws_when_it_does_not_fit_in_what_is_left_of_its_period():
    periods = [Q1]
    fits = [claim(1, date(2024, 1, 5), "650.00"), claim(2, date(2024, 3, 1), "250.00")]
    assert not overdraws(split_claims(fits, periods=periods, activities={}), 2, periods=periods)
    over = [claim(1, date(2024, 1, 5), "650.00"), claim(2, date(2024, 3, 1), "250.01")]
    assert overdraws(split_claims(over, periods=periods, activities={}), 2, periods=periods)
    # No decision covers the day: there is no pool to draw on.
    outside = [claim(3, date(2024, 9, 1), "10.00")]
    assert overdraws(split_claims(outside, periods=periods, activities={}), 3, periods=periods)
    # Covered by an approved activity: nothing overdraws.
    covered = [
        claim(1, date(2024, 1, 5), "900.00"),
        claim(2, date(2024, 2, 10), "1800.00", activity_id=CONCERT.id),
    ]
    splits = split_claims(covered, periods=periods, activities={CONCERT.id: CONCERT})
    assert not overdraws(splits, 2, periods=periods)


def test_what_is_left_to_use_is_never_below_zero():
    money = PeriodMoney(
        start=Q1.start, end=Q1.end, allowance=Decimal("900.00"), pool=Decimal("5615.50")
    )
    assert money.left == Decimal("-4715.50")
    assert money.left_to_use == Decimal("0.00")
    assert money.approved_beyond == Decimal("4715.50")
