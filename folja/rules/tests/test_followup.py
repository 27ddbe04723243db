"""Free-model follow-up (CALC.md rule 6), execution rate and flexible use."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from folja.rules.engine import evaluate
from folja.rules.followup import execution_rate, free_follow_up, used_flexibly

from .builders import RATES, decision, guideline, session

FREE_2024H1 = decision("2024-01-01", "2024-06-30", "10", "free")


def test_it_lists_a_month_whose_rolling_usage_exceeds_the_threshold() -> None:
    # January alone: 1300 charged > 2.0 × 600 granted (nothing granted before January).
    sessions = [
        session("s", "2024-01-08T08:00", "2024-01-08T22:00"),  # 840 minutes
        session("t", "2024-01-09T08:00", "2024-01-09T15:40"),  # 460 minutes
    ]
    evaluation = evaluate(guideline(), RATES, [FREE_2024H1], sessions)
    assert evaluation.follow_up == (date(2024, 1, 1),)


def test_it_does_not_list_usage_exactly_at_the_threshold() -> None:
    assert free_follow_up([FREE_2024H1], {date(2024, 1, 1): 1200}, Decimal(2)) == []


def test_it_uses_the_two_months_before_as_a_rolling_window() -> None:
    charged = {date(2024, 1, 1): 1000, date(2024, 2, 1): 1000, date(2024, 3, 1): 1700}
    # Jan: 1000 ≤ 1200; Feb: 2000 ≤ 2400; Mar: 3700 > 3600; Apr: 2700 ≤ 3600.
    assert free_follow_up([FREE_2024H1], charged, Decimal(2)) == [date(2024, 3, 1)]


def test_it_follows_up_only_months_under_a_free_decision() -> None:
    flex = decision("2024-01-01", "2024-06-30", "10", "flex3")
    assert free_follow_up([flex], {date(2024, 1, 1): 10_000}, Decimal(2)) == []


def test_it_computes_the_execution_rate() -> None:
    assert execution_rate(64, 100) == Decimal("0.6400")
    assert execution_rate(1, 3) == Decimal("0.3333")
    assert execution_rate(5, 0) is None


def test_it_calls_a_period_flexible_when_a_month_used_more_than_its_own_grant() -> None:
    assert used_flexibly([600, 600, 600], [0, 900, 300]) is True
    assert used_flexibly([600, 600, 600], [600, 600, 0]) is False
