"""CALC.md rules 1 and 2: the period grid, granted minutes and the allowance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from folja.rules.periods import (
    allowance_by_month,
    build_periods,
    find_chains,
    period_allowance,
    period_containing,
    period_granted_minutes,
)

from .builders import decision


def _spans(periods) -> list[tuple[str, str, str]]:
    return [(p.start.isoformat(), p.end.isoformat(), p.model) for p in periods]


def _granted(decisions, anchor: str = "decision_start") -> list[int]:
    return [period_granted_minutes(p, decisions) for p in build_periods(decisions, anchor)]


def test_it_uses_calendar_months_for_the_monthly_model() -> None:
    ds = [decision("2024-01-15", "2024-03-10", model="monthly")]
    assert _spans(build_periods(ds, "decision_start")) == [
        ("2024-01-01", "2024-01-31", "monthly"),
        ("2024-02-01", "2024-02-29", "monthly"),
        ("2024-03-01", "2024-03-31", "monthly"),
    ]


def test_it_uses_calendar_months_for_the_free_model() -> None:
    ds = [decision("2024-01-15", "2024-02-10", model="free")]
    assert [p.model for p in build_periods(ds, "calendar_quarter")] == ["free", "free"]


def test_it_starts_the_flex3_grid_in_the_month_the_decision_starts() -> None:
    ds = [decision("2024-02-14", "2025-02-13")]
    periods = build_periods(ds, "decision_start")
    assert _spans(periods)[0] == ("2024-02-01", "2024-04-30", "flex3")
    assert _spans(periods)[-1] == ("2025-02-01", "2025-04-30", "flex3")
    assert len(periods) == 5


def test_it_prorates_granted_minutes_by_valid_days_per_month() -> None:
    ds = [decision("2024-02-14", "2025-02-13")]
    assert _granted(ds) == [1531, 1800, 1800, 1800, 279]


def test_it_uses_calendar_quarters_with_that_anchor() -> None:
    ds = [decision("2024-02-14", "2024-08-10")]
    periods = build_periods(ds, "calendar_quarter")
    assert _spans(periods) == [
        ("2024-01-01", "2024-03-31", "flex3"),
        ("2024-04-01", "2024-06-30", "flex3"),
        ("2024-07-01", "2024-09-30", "flex3"),
    ]
    assert _granted(ds, "calendar_quarter") == [331 + 600, 1800, 600 + 194]


def test_it_keeps_the_grid_of_a_chain_across_a_renewal() -> None:
    ds = [
        decision("2024-02-14", "2024-06-30", id="d1"),
        decision("2024-07-01", "2024-12-31", "20", id="d2"),
    ]
    assert [p.start.isoformat() for p in build_periods(ds, "decision_start")] == [
        "2024-02-01",
        "2024-05-01",
        "2024-08-01",
        "2024-11-01",
    ]
    assert _granted(ds)[1] == 600 + 600 + 1200


def test_it_ends_an_earlier_period_the_day_before_a_new_chain_starts_after_a_gap() -> None:
    ds = [
        decision("2024-01-10", "2024-02-10", id="d1"),
        decision("2024-03-05", "2024-08-31", id="d2"),
    ]
    assert _spans(build_periods(ds, "decision_start")) == [
        ("2024-01-01", "2024-02-29", "flex3"),
        ("2024-03-01", "2024-05-31", "flex3"),
        ("2024-06-01", "2024-08-31", "flex3"),
    ]
    assert _granted(ds)[0] == 426 + 207


def test_it_merges_chains_that_start_in_the_same_month_into_one_period() -> None:
    ds = [
        decision("2024-01-10", "2024-01-20", id="d1"),
        decision("2024-01-25", "2024-03-31", id="d2"),
    ]
    periods = build_periods(ds, "decision_start")
    assert _spans(periods) == [("2024-01-01", "2024-03-31", "flex3")]
    assert _granted(ds) == [213 + 135 + 600 + 600]
    assert period_allowance(periods[0], ds, Decimal(300)) == Decimal("774.19")


def test_it_restarts_the_grid_after_a_long_gap() -> None:
    ds = [
        decision("2024-01-10", "2024-03-31", id="d1"),
        decision("2024-09-15", "2024-12-31", id="d2"),
    ]
    assert [p.start.isoformat() for p in build_periods(ds, "decision_start")] == [
        "2024-01-01",
        "2024-09-01",
        "2024-12-01",
    ]


def test_it_counts_each_decisions_own_days_when_one_replaces_another_mid_period() -> None:
    ds = [
        decision("2024-01-01", "2024-02-14", "10", id="d1"),
        decision("2024-02-15", "2024-06-30", "20", id="d2"),
    ]
    periods = build_periods(ds, "decision_start")
    assert _spans(periods) == [
        ("2024-01-01", "2024-03-31", "flex3"),
        ("2024-04-01", "2024-06-30", "flex3"),
    ]
    assert _granted(ds) == [600 + 290 + 621 + 1200, 3600]
    # The allowance is the person's: February counts once, in full.
    assert period_allowance(periods[0], ds, Decimal(300)) == Decimal("900.00")


def test_it_sums_the_grants_of_overlapping_decisions_but_counts_allowance_once() -> None:
    ds = [
        decision("2024-01-01", "2024-06-30", "10", id="d1"),
        decision("2024-04-01", "2024-12-31", "5", id="d2"),
    ]
    periods = build_periods(ds, "decision_start")
    assert len(periods) == 4
    assert _granted(ds) == [1800, 2700, 900, 900]
    assert period_allowance(periods[1], ds, Decimal(300)) == Decimal("900.00")


def test_it_switches_grid_when_the_model_changes_at_a_chain_boundary() -> None:
    ds = [
        decision("2017-03-01", "2017-12-31", model="monthly", id="d1"),
        decision("2018-01-01", "2018-12-31", model="flex3", id="d2"),
    ]
    periods = build_periods(ds, "decision_start")
    assert [p.model for p in periods] == ["monthly"] * 10 + ["flex3"] * 4
    assert _spans(periods)[10] == ("2018-01-01", "2018-03-31", "flex3")


def test_it_ends_a_flex3_period_when_a_monthly_decision_takes_over_mid_period() -> None:
    ds = [
        decision("2024-01-01", "2024-02-14", model="flex3", id="d1"),
        decision("2024-02-15", "2024-04-30", model="monthly", id="d2"),
    ]
    periods = build_periods(ds, "decision_start")
    assert _spans(periods) == [
        ("2024-01-01", "2024-01-31", "flex3"),
        ("2024-02-01", "2024-02-29", "monthly"),
        ("2024-03-01", "2024-03-31", "monthly"),
        ("2024-04-01", "2024-04-30", "monthly"),
    ]
    assert _granted(ds)[1] == 290 + 310


def test_it_lets_a_flex3_period_absorb_a_monthly_month_it_starts_on() -> None:
    ds = [
        decision("2024-01-01", "2024-02-14", model="monthly", id="d1"),
        decision("2024-02-15", "2024-07-31", model="flex3", id="d2"),
    ]
    assert _spans(build_periods(ds, "decision_start")) == [
        ("2024-01-01", "2024-01-31", "monthly"),
        ("2024-02-01", "2024-04-30", "flex3"),
        ("2024-05-01", "2024-07-31", "flex3"),
    ]


def test_it_lists_no_periods_without_decisions() -> None:
    assert build_periods([], "decision_start") == []


def test_it_chains_decisions_per_model_in_order_of_start() -> None:
    ds = [
        decision("2024-07-01", "2024-12-31", id="d2"),
        decision("2024-01-01", "2024-06-30", id="d1"),
        decision("2025-02-01", "2025-03-31", id="d3"),
    ]
    chains = find_chains(ds)
    assert [[d.id for d in c.decisions] for c in chains] == [["d1", "d2"], ["d3"]]


def test_it_finds_the_period_containing_a_day() -> None:
    periods = build_periods([decision("2024-02-14", "2025-02-13")], "decision_start")
    found = period_containing(periods, date(2024, 3, 1))
    assert found is not None and found.start == date(2024, 2, 1)
    assert period_containing(periods, date(2024, 1, 31)) is None
    assert period_containing(periods, date(2025, 5, 1)) is None


def test_it_prorates_the_allowance_per_month_to_ore() -> None:
    ds = [decision("2024-02-14", "2024-03-31")]
    assert allowance_by_month(ds, Decimal(300)) == {
        date(2024, 2, 1): Decimal("165.52"),
        date(2024, 3, 1): Decimal("300.00"),
    }
