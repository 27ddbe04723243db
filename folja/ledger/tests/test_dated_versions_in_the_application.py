"""The application applies each guideline version from its own date, never backwards, and
pages read the periods the ledger stored at the last verification."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine

from folja.delivery.selectors import person_balance, person_periods
from folja.guidelines.models import GuidelineVersion
from folja.ledger.bridge import person_evaluation, verify_person_sessions
from folja.ledger.models import PeriodBalance
from folja.testing.factories import DecisionFactory, OrderFactory, SessionFactory, reference_data

pytestmark = pytest.mark.django_db


def _version_2027(**changes) -> GuidelineVersion:
    """A copy of the version in force in 2026, from 2027-01-01, with `changes`."""
    current = GuidelineVersion.objects.filter(valid_from__lte=date(2026, 6, 1)).first()
    current.pk = None
    current.name = "Riktlinjer 2027"
    current.valid_from = date(2027, 1, 1)
    for key, value in changes.items():
        setattr(current, key, value)
    current.save()
    return current


def _world():
    reference_data()
    GuidelineVersion.objects.update(
        late_cancellation_cutoff_hours=24, expense_allowance_per_month=Decimal("300.00")
    )
    decision = DecisionFactory(
        valid_from=date(2026, 10, 1),
        valid_to=date(2027, 9, 30),
        hours_per_month=Decimal("10"),
        model="flex3",
    )
    order = OrderFactory(decision=decision, provider__regi="private")
    # Cancelled 25 hours ahead: in time under a 24-hour cut-off, late under 48 hours.
    session = SessionFactory(
        order=order,
        start=datetime(2026, 11, 10, 10, 0),
        end=datetime(2026, 11, 10, 11, 30),
        status="cancelled_by_person",
        cancelled_at=datetime(2026, 11, 9, 9, 0),
    )
    return decision.person, session


@time_machine.travel(datetime(2027, 2, 1, 12, 0), tick=False)
def test_a_new_version_does_not_turn_a_past_cancellation_in_time_into_a_paid_late_one():
    person, session = _world()
    _version_2027(late_cancellation_cutoff_hours=48)
    verify_person_sessions(person=person)
    session.refresh_from_db()
    assert session.charged_minutes == 0
    assert session.payment_sek == Decimal("0.00")


@time_machine.travel(datetime(2027, 2, 1, 12, 0), tick=False)
def test_a_new_version_does_not_change_the_allowance_of_a_closed_period():
    person, _ = _world()
    _version_2027(expense_allowance_per_month=Decimal("500.00"))
    verify_person_sessions(person=person)
    allowances = [
        (p.start, p.allowance_sek) for p in person_periods(person=person, on=date(2027, 2, 1))
    ]
    assert allowances[:2] == [
        (date(2026, 10, 1), Decimal("900.00")),
        (date(2027, 1, 1), Decimal("1500.00")),
    ]


@time_machine.travel(datetime(2027, 2, 1, 12, 0), tick=False)
def test_pages_read_the_stored_periods_which_equal_the_engines():
    person, _ = _world()
    verify_person_sessions(person=person)
    stored = list(PeriodBalance.objects.filter(person=person).order_by("start"))
    engine = person_evaluation(person=person).periods
    assert [
        (r.start, r.end, r.granted_minutes, r.used_minutes, r.allowance_sek) for r in stored
    ] == [(p.start, p.end, p.granted_minutes, p.used_minutes, p.allowance) for p in engine]
    balance = person_balance(person=person, on=date(2027, 2, 1))
    assert balance is not None
    assert (balance.period_start, balance.remaining_minutes) == (
        date(2027, 1, 1),
        engine[1].remaining_minutes,
    )


@time_machine.travel(datetime(2027, 2, 1, 12, 0), tick=False)
def test_a_person_never_verified_is_shown_the_engines_figures_without_a_write():
    person, _ = _world()
    PeriodBalance.objects.filter(person=person).delete()
    periods = person_periods(person=person, on=date(2027, 2, 1))
    assert [p.start for p in periods] == [p.start for p in person_evaluation(person=person).periods]
    assert not PeriodBalance.objects.filter(person=person).exists()
