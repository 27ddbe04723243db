"""The monthly roll-up is kept incrementally and always equals a from-scratch recomputation."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from folja.cases.models import Decision
from folja.delivery.models import Session
from folja.followup.models import MonthlyRollup
from folja.followup.services import (
    rollup_expected,
    rollup_rebuild,
    rollup_refresh,
    rollup_snapshot,
)
from folja.ledger.changed import person_figures_changed
from folja.testing.factories import (
    DecisionFactory,
    DistrictFactory,
    OrderFactory,
    PersonFactory,
    SessionFactory,
)
from folja.testing.factories_followup import build_small_city

pytestmark = pytest.mark.django_db


def test_after_a_series_of_writes_the_incremental_rollup_equals_a_rebuild():
    # Each write ends on the one figures-changed path, as the application's writes do: it
    # verifies the person (storing the results a rebuild reads) and refreshes the roll-up.
    city = build_small_city()
    p1, p2, _p3, p4 = city["persons"]
    order = p1.orders.get()

    # A new executed session in March: P1's March and period figures change.
    SessionFactory(order=order, start=datetime(2024, 3, 2, 9, 0), status="executed")
    person_figures_changed(person_ids=[p1.pk])
    # P2's decision is extended and raised.
    Decision.objects.filter(person=p2).update(
        hours_per_month=Decimal("7.5"), valid_to=date(2024, 5, 31)
    )
    person_figures_changed(person_ids=[p2.pk])
    # A session is deleted.
    Session.objects.filter(person=p2, status="no_show").delete()
    person_figures_changed(person_ids=[p2.pk])
    # P4 moves to a new district by a new decision.
    west = DistrictFactory(code="VST", name="Västby")
    DecisionFactory(
        person=p4,
        district=west,
        decided_on=date(2024, 6, 20),
        valid_from=date(2024, 7, 1),
        valid_to=date(2024, 12, 31),
        hours_per_month=Decimal("12"),
        model="flex3",
    )
    person_figures_changed(person_ids=[p4.pk])
    # A new person with sessions.
    p5 = PersonFactory(district=west, sex="male", birth_date=date(2001, 1, 1))
    o5 = OrderFactory(
        decision=DecisionFactory(
            person=p5, valid_from=date(2024, 2, 1), valid_to=date(2024, 7, 31), model="monthly"
        ),
        provider=city["provider"],
    )
    for day in range(1, 6):
        start = datetime(2024, 3, day * 3, 10, 0)
        SessionFactory(order=o5, start=start, end=start + timedelta(hours=4))
    person_figures_changed(person_ids=[p5.pk])

    incremental = rollup_snapshot()
    assert incremental == rollup_expected()
    rollup_rebuild()
    assert rollup_snapshot() == incremental


def test_a_refresh_touches_only_the_keys_of_the_changed_person():
    city = build_small_city()
    p1, p2 = city["persons"][:2]
    p2_rows = dict(
        MonthlyRollup.objects.filter(district=city["south"]).values_list("id", "executed_minutes")
    )
    SessionFactory(order=p1.orders.get(), start=datetime(2024, 2, 17, 9, 0))
    touched = rollup_refresh(person_ids=[p1.pk])
    # P1's February key, and March where the period's lapsed time is counted.
    assert touched == 2
    after = dict(
        MonthlyRollup.objects.filter(district=city["south"]).values_list("id", "executed_minutes")
    )
    assert after == p2_rows  # same rows, same ids: not rebuilt
    assert rollup_refresh(person_ids=[p2.pk]) == 0  # nothing changed, nothing written


def test_deleting_a_persons_last_data_removes_their_rollup_rows():
    city = build_small_city()
    p2 = city["persons"][1]
    Session.objects.filter(person=p2).delete()
    p2.orders.all().delete()
    Decision.objects.filter(person=p2).delete()
    p2.feedback.all().delete()
    rollup_refresh(person_ids=[p2.pk])
    assert not MonthlyRollup.objects.filter(district=city["south"]).exists()
    assert rollup_snapshot() == rollup_expected()
