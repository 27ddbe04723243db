"""The follow-up counts what the rules engine counts: every minute of a person's month is the
engine's answer for that person (one evaluation through the ledger's bridge), never a
recomputation from the session's status."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from folja.followup.models import PersonMonth
from folja.followup.services import rollup_snapshot, rollup_verify
from folja.ledger.bridge import person_evaluation
from folja.ledger.changed import person_figures_changed
from folja.testing.factories import DecisionFactory, OrderFactory, SessionFactory
from folja.testing.factories_followup import build_small_city

pytestmark = pytest.mark.django_db

APRIL = date(2024, 4, 1)


def _report(order, start: datetime, minutes: int, **kw):
    return SessionFactory(
        order=order,
        start=start,
        end=start + timedelta(minutes=minutes),
        reported_at=start + timedelta(minutes=minutes),
        **kw,
    )


@pytest.fixture
def flex3_person(db):
    """Flex3, 10 h a month from 1 April to 30 June 2024: one period of 1,800 minutes."""
    decision = DecisionFactory(
        decided_on=date(2024, 3, 20),
        valid_from=date(2024, 4, 1),
        valid_to=date(2024, 6, 30),
        hours_per_month=Decimal("10"),
        model="flex3",
    )
    return OrderFactory(decision=decision)


def _month(person, month: date) -> PersonMonth:
    return PersonMonth.objects.get(person=person, month=month)


def test_overlapping_and_duplicate_reports_are_not_counted_as_used(flex3_person):
    order = flex3_person
    first = _report(order, datetime(2024, 4, 10, 10, 0), 120)
    # The same afternoon reported again, overlapping: the engine charges nothing for it.
    _report(order, datetime(2024, 4, 10, 11, 0), 90)
    # The first report sent twice: flagged a duplicate at the door, never given to the engine.
    _report(order, first.start, 120, flags=["duplicate"])
    # And once more, overlapping, a few minutes later: another overlap.
    _report(order, datetime(2024, 4, 10, 10, 30), 90)

    person_figures_changed(person_ids=[order.person_id])

    april = _month(order.person, APRIL)
    # Before: the status alone charged 120 + 90 + 120 + 90 = 420 minutes (and 420 executed).
    assert april.charged_minutes == 120
    assert april.executed_minutes == 120
    assert april.sessions_executed == 1
    # The period lapses what the engine says it did not use: 1,800 − 120, counted in June.
    assert _month(order.person, date(2024, 6, 1)).lapsed_minutes == 1800 - 120
    evaluation = person_evaluation(person=order.person, on=date(2024, 6, 14))
    assert april.charged_minutes == sum(s.charged_minutes for s in evaluation.sessions)
    [period] = evaluation.periods
    assert period.used_minutes == 120


def test_executed_time_outside_every_decision_is_neither_charged_nor_executed(flex3_person):
    order = flex3_person
    _report(order, datetime(2024, 7, 3, 10, 0), 180)  # the decision ended on 30 June
    person_figures_changed(person_ids=[order.person_id])
    july = _month(order.person, date(2024, 7, 1))
    # Before: 180 executed minutes in a month without a grant.
    assert (july.charged_minutes, july.executed_minutes, july.sessions_executed) == (0, 0, 0)
    assert july.granted_minutes == 0


def test_cancellations_are_counted_by_the_engines_kind(flex3_person):
    order = flex3_person
    start = datetime(2024, 5, 6, 10, 0)
    _report(
        order,
        start,
        120,
        status="cancelled_by_person",
        cancelled_at=start - timedelta(hours=2),
    )
    _report(
        order,
        start + timedelta(days=2),
        60,
        status="cancelled_by_person",
        cancelled_at=start - timedelta(days=3),
    )
    _report(order, start + timedelta(days=4), 60, status="no_show")
    _report(order, start + timedelta(days=5), 60, status="cancelled_by_provider")
    person_figures_changed(person_ids=[order.person_id])
    may = _month(order.person, date(2024, 5, 1))
    assert (may.cancelled_late, may.cancelled_in_time, may.no_shows) == (1, 1, 1)
    assert may.cancelled_by_provider == 1
    # The late cancellation and the no-show are charged, as the guideline says; nothing is
    # executed.
    assert (may.charged_minutes, may.executed_minutes) == (120 + 60, 0)


def test_the_small_citys_figures_equal_the_engines_for_every_person():
    city = build_small_city()
    for person in city["persons"]:
        evaluation = person_evaluation(person=person, on=date(2024, 12, 31))
        months = PersonMonth.objects.filter(person=person)
        assert sum(m.charged_minutes for m in months) == sum(
            s.charged_minutes for s in evaluation.sessions
        )
        assert sum(m.granted_minutes for m in months) == sum(
            p.granted_minutes for p in evaluation.periods
        )
        assert sum(m.lapsed_minutes for m in months) == sum(
            max(0, p.remaining_minutes) for p in evaluation.periods if p.model != "free"
        )
    assert rollup_verify().count == 0
    assert rollup_snapshot()  # not trivially empty
