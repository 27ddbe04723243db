"""CALC.md rules 3–5 through `evaluate`: charging, flags, payability and payment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from folja.rules.engine import balance_on, evaluate, period_containing
from folja.rules.errors import UnknownRate

from .builders import RATES, decision, expense, guideline, session

FEB_DECISION = decision("2024-02-14", "2025-02-13")


def _one(s, *, g=None, decisions=(FEB_DECISION,)):
    return evaluate(g or guideline(), RATES, list(decisions), [s]).sessions[0]


# --- rule 3: charged minutes ---------------------------------------------------------------


def test_it_charges_an_executed_session_its_duration() -> None:
    result = _one(session("s", "2024-02-20T18:00", "2024-02-20T21:30"))
    assert (result.charged_minutes, result.payable_minutes, result.flags) == (210, 210, ())


def test_it_charges_a_late_cancellation_when_the_guideline_says_so() -> None:
    s = session(
        "s",
        "2024-03-02T10:00",
        "2024-03-02T12:00",
        "cancelled_by_person",
        cancelled_at="2024-03-02T08:00",
    )
    assert _one(s).charged_minutes == 120
    assert _one(s, g=guideline(late_cancellation_charged=False)).charged_minutes == 0


def test_it_does_not_charge_a_cancellation_exactly_at_the_cutoff() -> None:
    s = session(
        "s",
        "2024-03-02T10:00",
        "2024-03-02T12:00",
        "cancelled_by_person",
        cancelled_at="2024-03-01T10:00",
    )
    assert _one(s).charged_minutes == 0
    late = session(
        "s",
        "2024-03-02T10:00",
        "2024-03-02T12:00",
        "cancelled_by_person",
        cancelled_at="2024-03-01T10:01",
    )
    assert _one(late).charged_minutes == 120


def test_it_charges_a_no_show_only_when_the_guideline_says_so() -> None:
    s = session("s", "2024-03-04T10:00", "2024-03-04T11:00", "no_show")
    assert _one(s).charged_minutes == 60
    assert _one(s, g=guideline(no_show_charged=False)).charged_minutes == 0


def test_it_never_charges_a_cancellation_by_the_provider() -> None:
    s = session("s", "2024-03-04T10:00", "2024-03-04T11:00", "cancelled_by_provider")
    result = _one(s)
    assert (result.charged_minutes, result.payment, result.band_minutes) == (
        0,
        Decimal("0.00"),
        {},
    )


def test_it_flags_a_session_outside_every_decision_and_charges_nothing() -> None:
    result = _one(session("s", "2024-02-10T10:00", "2024-02-10T11:00"))
    assert result.flags == ("outside_decision",)
    assert result.charged_minutes == 0
    # Before the decision but inside the listed period: it still belongs to that period.
    assert result.period_start == date(2024, 2, 1)


def test_it_gives_no_period_to_a_session_outside_every_period() -> None:
    result = _one(session("s", "2024-01-10T10:00", "2024-01-10T11:00"))
    assert result.flags == ("outside_decision",)
    assert result.period_start is None


def test_it_flags_overlap_with_an_earlier_charged_session() -> None:
    sessions = [
        session("s1", "2024-03-04T10:00", "2024-03-04T12:00"),
        session("s2", "2024-03-04T11:00", "2024-03-04T13:00"),
    ]
    s1, s2 = evaluate(guideline(), RATES, [FEB_DECISION], sessions).sessions
    assert s1.flags == () and s1.charged_minutes == 120
    assert s2.flags == ("overlap",) and s2.charged_minutes == 0
    assert s2.payment == Decimal("0.00")


def test_it_does_not_call_touching_sessions_overlapping() -> None:
    sessions = [
        session("s1", "2024-03-04T10:00", "2024-03-04T12:00"),
        session("s2", "2024-03-04T12:00", "2024-03-04T13:00"),
    ]
    assert [r.flags for r in evaluate(guideline(), RATES, [FEB_DECISION], sessions).sessions] == [
        (),
        (),
    ]


def test_it_ignores_overlap_with_a_session_that_charged_nothing() -> None:
    sessions = [
        session("s1", "2024-03-04T10:00", "2024-03-04T12:00", "cancelled_by_provider"),
        session("s2", "2024-03-04T11:00", "2024-03-04T13:00"),
        session("s3", "2024-03-04T12:30", "2024-03-04T14:00"),
    ]
    results = evaluate(guideline(), RATES, [FEB_DECISION], sessions).sessions
    assert [r.charged_minutes for r in results] == [0, 120, 0]
    assert results[2].flags == ("overlap",)


def test_it_does_not_let_an_overlapping_session_block_later_ones() -> None:
    sessions = [
        session("s1", "2024-03-04T10:00", "2024-03-04T12:00"),
        session("s2", "2024-03-04T11:00", "2024-03-04T15:00"),
        session("s3", "2024-03-04T13:00", "2024-03-04T14:00"),
    ]
    results = evaluate(guideline(), RATES, [FEB_DECISION], sessions).sessions
    assert [r.charged_minutes for r in results] == [120, 0, 60]


def test_it_takes_sessions_in_order_of_start_then_id() -> None:
    sessions = [
        session("b", "2024-03-04T10:00", "2024-03-04T11:00"),
        session("a", "2024-03-04T10:00", "2024-03-04T11:00"),
        session("0", "2024-03-03T10:00", "2024-03-03T11:00"),
    ]
    results = evaluate(guideline(), RATES, [FEB_DECISION], sessions).sessions
    assert [(r.id, r.flags) for r in results] == [("0", ()), ("a", ()), ("b", ("overlap",))]


def test_it_pays_one_escort_when_double_staffing_is_not_granted() -> None:
    s = session("s", "2024-03-05T10:00", "2024-03-05T11:00", escorts=2)
    result = _one(s)
    assert result.flags == ("double_staffing_not_granted",)
    assert (result.paid_escorts, result.payment) == (1, Decimal("434.00"))


def test_it_pays_two_escorts_when_double_staffing_is_granted() -> None:
    granted = decision("2024-02-14", "2025-02-13", double_staffing=True)
    result = _one(
        session("s", "2024-03-05T10:00", "2024-03-05T11:00", escorts=2), decisions=[granted]
    )
    assert (result.flags, result.payment) == ((), Decimal("868.00"))


# --- rule 4: payable minutes -------------------------------------------------------------------


def test_it_pays_only_the_minutes_that_fit_and_flags_the_excess() -> None:
    march = decision("2024-03-01", "2024-03-31", "1", "monthly")
    sessions = [
        session("s1", "2024-03-04T10:00", "2024-03-04T10:40"),
        session("s2", "2024-03-05T10:00", "2024-03-05T10:40"),
        session("s3", "2024-03-06T10:00", "2024-03-06T10:30"),
    ]
    evaluation = evaluate(guideline(), RATES, [march], sessions)
    s1, s2, s3 = evaluation.sessions
    assert (s1.payable_minutes, s1.flags) == (40, ())
    assert (s2.charged_minutes, s2.payable_minutes, s2.flags) == (40, 20, ("exceeds_grant",))
    assert s2.payment == Decimal("144.67")
    assert (s3.payable_minutes, s3.payment, s3.flags) == (0, Decimal("0.00"), ("exceeds_grant",))
    period = evaluation.periods[0]
    assert (period.granted_minutes, period.used_minutes, period.remaining_minutes) == (
        60,
        110,
        -50,
    )


def test_it_pays_the_first_minutes_of_a_session_that_exceeds_the_grant() -> None:
    # 30 minutes fit; they are the day minutes 18:30-19:00, not the evening ones after.
    march = decision("2024-03-01", "2024-03-31", "0.5", "monthly")
    result = _one(session("s", "2024-03-05T18:30", "2024-03-05T20:00"), decisions=[march])
    assert result.band_minutes == {"day": 30}
    assert result.payment == Decimal("217.00")


def test_an_approved_excess_becomes_payable_but_keeps_its_flag() -> None:
    march = decision("2024-03-01", "2024-03-31", "0.5", "monthly")
    s = session("s", "2024-03-05T18:30", "2024-03-05T20:00", excess_approved=True)
    result = _one(s, decisions=[march])
    assert result.flags == ("exceeds_grant",)
    assert result.payable_minutes == 90
    assert result.band_minutes == {"day": 30, "evening": 60}


def test_it_pays_everything_charged_under_the_free_model() -> None:
    free = decision("2024-03-01", "2024-03-31", "1", "free")
    evaluation = evaluate(
        guideline(), RATES, [free], [session("s", "2024-03-05T10:00", "2024-03-05T13:00")]
    )
    result = evaluation.sessions[0]
    assert (result.payable_minutes, result.flags) == (180, ())
    assert evaluation.periods[0].remaining_minutes == -120


def test_it_applies_the_model_of_the_decision_covering_the_start() -> None:
    decisions = [
        decision("2024-01-01", "2024-02-14", "1", "flex3", id="d1"),
        decision("2024-02-15", "2024-06-30", "1", "free", id="d2"),
    ]
    sessions = [
        session("jan", "2024-01-08T10:00", "2024-01-08T12:00"),
        session("feb", "2024-02-20T10:00", "2024-02-20T12:00"),
    ]
    jan, feb = evaluate(guideline(), RATES, decisions, sessions).sessions
    assert jan.flags == ("exceeds_grant",) and jan.decision_id == "d1"
    assert feb.flags == () and feb.payable_minutes == 120 and feb.decision_id == "d2"


def test_it_lets_the_latest_of_overlapping_decisions_govern() -> None:
    decisions = [
        decision("2024-01-01", "2024-12-31", "1", "flex3", id="old"),
        decision("2024-03-01", "2024-12-31", "1", "free", id="new"),
    ]
    result = evaluate(
        guideline(), RATES, decisions, [session("s", "2024-03-05T10:00", "2024-03-05T16:00")]
    ).sessions[0]
    assert (result.decision_id, result.flags) == ("new", ())


# --- rule 5: payment --------------------------------------------------------------------------


def test_it_prices_each_year_of_a_session_over_new_year_with_that_years_rate() -> None:
    d = decision("2024-12-01", "2025-03-31")
    result = _one(session("s", "2024-12-31T22:00", "2025-01-01T02:00"), decisions=[d])
    assert result.band_minutes == {"storhelg": 240}
    assert result.payment == Decimal("2306.00")  # (120 × 569 + 120 × 584) / 60


def test_it_uses_the_sessions_regi_rate() -> None:
    s = session("s", "2024-03-05T10:00", "2024-03-05T11:00", regi="municipal")
    assert _one(s).payment == Decimal("423.00")


def test_it_raises_unknown_rate_for_a_payable_minute_in_a_year_without_rate() -> None:
    d = decision("2026-01-01", "2026-12-31")
    with pytest.raises(UnknownRate) as caught:
        _one(session("s", "2026-03-05T10:00", "2026-03-05T11:00"), decisions=[d])
    assert (caught.value.year, caught.value.regi) == (2026, "private")


def test_it_needs_no_rate_for_minutes_that_are_not_paid() -> None:
    d = decision("2026-01-01", "2026-12-31")
    s = session("s", "2026-03-05T10:00", "2026-03-05T11:00", "cancelled_by_provider")
    assert _one(s, decisions=[d]).payment == Decimal("0.00")


# --- periods, expenses and balance ---------------------------------------------------------------


def test_it_charges_a_session_to_the_period_it_starts_in() -> None:
    evaluation = evaluate(
        guideline(), RATES, [FEB_DECISION], [session("s", "2024-04-30T23:00", "2024-05-01T01:00")]
    )
    assert evaluation.sessions[0].period_start == date(2024, 2, 1)
    assert [p.used_minutes for p in evaluation.periods[:2]] == [120, 0]


def test_it_draws_expenses_from_the_period_of_their_date() -> None:
    expenses = [
        expense("e1", "2024-02-20", "250"),
        expense("e2", "2024-05-02", "1000"),
        expense("e3", "2023-01-01", "99"),
    ]
    periods = evaluate(guideline(), RATES, [FEB_DECISION], [], expenses).periods
    assert [str(p.expenses) for p in periods[:3]] == ["250.00", "1000.00", "0.00"]
    assert periods[1].allowance_left == Decimal("-100.00")


def test_it_reports_the_balance_of_the_period_containing_the_day() -> None:
    sessions = [session("s", "2024-04-10T10:00", "2024-04-10T11:00")]
    balance = balance_on(guideline(), RATES, [FEB_DECISION], sessions, [], date(2024, 3, 1))
    assert balance is not None
    assert (balance.period_start, balance.period_end) == (date(2024, 2, 1), date(2024, 4, 30))
    assert balance.remaining_minutes == 1531 - 60  # booked later in the period, still spoken for
    assert balance.allowance_left == Decimal("765.52")


def test_it_reports_no_balance_outside_every_period() -> None:
    assert balance_on(guideline(), RATES, [FEB_DECISION], [], [], date(2024, 1, 31)) is None
    assert evaluate(guideline(), RATES, [FEB_DECISION], []).balance_on is None


def test_it_finds_a_period_result_by_day() -> None:
    evaluation = evaluate(guideline(), RATES, [FEB_DECISION], [])
    found = period_containing(evaluation.periods, date(2024, 6, 1))
    assert found is not None and found.start == date(2024, 5, 1)
    assert evaluation.period_containing(date(2030, 1, 1)) is None
