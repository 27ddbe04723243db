"""The bridge stores exactly what the rules engine (and so `folja calc`) computes."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine

from folja.delivery.selectors import person_balance, person_periods
from folja.guidelines.models import GuidelineVersion, LovRate
from folja.ledger.bridge import verify_person_sessions
from folja.rules.scenario import calculate
from folja.testing.factories import (
    DecisionFactory,
    ExpenseClaimFactory,
    OrderFactory,
    SessionFactory,
    reference_data,
)

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[2] / "rules" / "tests" / "scenarios"


def _calc_example_world():
    """The CALC.md example, as database rows under a guideline with the example's values."""
    reference_data()
    GuidelineVersion.objects.update(
        storhelg=["2024-12-24", "2024-12-25", "2024-12-26", "2024-12-31", "2025-01-01"]
    )
    decision = DecisionFactory(
        valid_from=date(2024, 2, 14),
        valid_to=date(2025, 2, 13),
        hours_per_month=Decimal("10"),
        model="flex3",
    )
    order = OrderFactory(decision=decision, provider__regi="private")
    s1 = SessionFactory(
        order=order, start=datetime(2024, 2, 20, 18, 0), end=datetime(2024, 2, 20, 21, 30)
    )
    s2 = SessionFactory(
        order=order,
        start=datetime(2024, 3, 2, 10, 0),
        end=datetime(2024, 3, 2, 12, 0),
        status="cancelled_by_person",
        cancelled_at=datetime(2024, 3, 2, 8, 0),
    )
    ExpenseClaimFactory(
        person=decision.person, date=date(2024, 2, 20), amount_sek=Decimal("250.00")
    )
    return decision.person, s1, s2


@time_machine.travel(datetime(2024, 3, 1, 12, 0), tick=False)
def test_stored_session_results_equal_the_calc_example():
    person, s1, s2 = _calc_example_world()
    verify_person_sessions(person=person)
    s1.refresh_from_db()
    s2.refresh_from_db()
    assert (s1.charged_minutes, s1.payable_minutes, s1.payment_sek) == (
        210,
        210,
        Decimal("1586.50"),
    )
    assert s1.band_minutes == {"day": 60, "evening": 150}
    assert (s2.payable_minutes, s2.payment_sek, s2.band_minutes) == (
        120,
        Decimal("1000.00"),
        {"weekend": 120},
    )
    assert s1.period_start == date(2024, 2, 1)


@time_machine.travel(datetime(2024, 3, 1, 12, 0), tick=False)
def test_the_balance_is_the_engines_balance_for_the_day():
    person, _, _ = _calc_example_world()
    balance = person_balance(person=person, on=date(2024, 3, 1))
    assert balance is not None
    assert (balance.period_start, balance.period_end) == (date(2024, 2, 1), date(2024, 4, 30))
    assert (balance.granted_minutes, balance.remaining_minutes) == (1531, 1201)
    assert balance.allowance_left_sek == Decimal("515.52")
    assert [p.granted_minutes for p in person_periods(person=person, on=date(2024, 3, 1))][
        -1
    ] == 279


@time_machine.travel(datetime(2024, 3, 1, 12, 0), tick=False)
def test_the_bridge_agrees_with_folja_calc_on_the_same_scenario():
    person, s1, s2 = _calc_example_world()
    verify_person_sessions(person=person)
    rate = LovRate.objects.get(year=2024, regi="private")
    scenario = json.loads((EXAMPLE / "calc_example.json").read_text())
    scenario["rates"] = [
        {
            "year": 2024,
            "regi": "private",
            "day": str(rate.day),
            "evening": str(rate.evening),
            "night": str(rate.night),
            "weekend": str(rate.weekend),
            "storhelg": str(rate.storhelg),
        }
    ]
    expected = {s["id"]: s for s in calculate(scenario)["sessions"]}
    for row, key in ((s1, "s1"), (s2, "s2")):
        row.refresh_from_db()
        assert f"{row.payment_sek:.2f}" == expected[key]["payment_sek"]
        assert row.payable_minutes == expected[key]["payable_minutes"]


@time_machine.travel(datetime(2024, 3, 1, 12, 0), tick=False)
def test_a_session_beyond_the_grant_is_flagged_and_waits_for_the_caseworker():
    person, s1, _ = _calc_example_world()
    big = SessionFactory(
        order=s1.order, start=datetime(2024, 3, 5, 8, 0), end=datetime(2024, 3, 6, 8, 0)
    )
    verify_person_sessions(person=person)
    big.refresh_from_db()
    assert "exceeds_grant" in big.flags
    assert big.review_status == "pending"
    assert big.payable_minutes == 1531 - 330


@time_machine.travel(datetime(2024, 3, 1, 12, 0), tick=False)
def test_a_session_rejected_for_database_reasons_charges_nothing_but_keeps_its_flag():
    person, s1, _ = _calc_example_world()
    s1.flags = ["no_order"]
    s1.save()
    verify_person_sessions(person=person)
    s1.refresh_from_db()
    assert (s1.charged_minutes, s1.payment_sek, s1.flags) == (0, Decimal("0.00"), ["no_order"])


@time_machine.travel(datetime(2024, 3, 1, 12, 0), tick=False)
def test_a_page_sees_a_changed_rate_once_its_copy_is_older_than_a_minute(monkeypatch):
    from folja.ledger import bridge as verification

    person, s1, _ = _calc_example_world()
    clock = [1000.0]
    monkeypatch.setattr(verification.time, "monotonic", lambda: clock[0])

    def s1_payment():
        return next(
            r.payment
            for r in verification.person_evaluation(person=person).sessions
            if r.id == str(s1.pk)
        )

    before = s1_payment()
    LovRate.objects.filter(year=2024, regi="private").update(day=Decimal("999.00"))
    clock[0] += 30
    assert s1_payment() == before
    clock[0] += verification.REFERENCE_SECONDS
    assert s1_payment() > before


@time_machine.travel(datetime(2024, 3, 1, 12, 0), tick=False)
def test_storing_never_uses_a_pages_copy_of_the_rates():
    from folja.ledger import bridge as verification

    person, s1, _ = _calc_example_world()
    verification.person_evaluation(person=person)  # the page's copy is taken now
    LovRate.objects.filter(year=2024, regi="private").update(day=Decimal("999.00"))
    verify_person_sessions(person=person)
    s1.refresh_from_db()
    assert s1.payment_sek > Decimal("1586.50")  # the CALC.md example's payment at the old rate


@time_machine.travel(datetime(2024, 3, 1, 12, 0), tick=False)
def test_a_page_finds_the_regi_of_a_provider_added_after_its_copy():
    from folja.ledger import bridge as verification

    person, _, _ = _calc_example_world()
    verification.person_evaluation(person=person)
    newer = OrderFactory(decision=DecisionFactory(person=person), provider__regi="municipal")
    SessionFactory(order=newer, start=datetime(2024, 2, 22, 10, 0))
    evaluation = verification.person_evaluation(person=person)
    assert len(evaluation.sessions) == 3
