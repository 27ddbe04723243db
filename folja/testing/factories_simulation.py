"""Test populations with history for the model investigation: persons with a current decision
and two years of sessions, built with bulk inserts so a test can afford a dozen persons."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from folja.delivery.models import Session
from folja.people.models import District
from folja.testing.factories import DecisionFactory, OrderFactory, PersonFactory, ProviderFactory


def population_with_history(
    *,
    district: District,
    persons: int = 12,
    first_month: date = date(2023, 1, 1),
    months: int = 24,
    hours_per_month: int = 10,
    seed: int = 1,
) -> list:
    """`persons` persons (half under 21) with a flex3 decision covering the window and a year
    beyond, and per month three sessions of a third of the grant each, with runs of
    cancellations (illness) now and then."""
    rng = random.Random(seed)
    provider = ProviderFactory()
    people = []
    sessions = []
    end = date(
        first_month.year + (first_month.month - 1 + months + 12) // 12,
        (first_month.month - 1 + months + 12) % 12 + 1,
        1,
    ) - timedelta(days=1)
    for i in range(persons):
        born = date(2008, 3, 1) if i % 2 == 0 else date(1975 + i, 6, 1)
        person = PersonFactory(district=district, birth_date=born)
        decision = DecisionFactory(
            person=person,
            hours_per_month=Decimal(hours_per_month + 2 * (i % 3)),
            valid_from=first_month,
            valid_to=end,
            decided_on=first_month - timedelta(days=10),
        )
        order = OrderFactory(decision=decision, person=person, provider=provider)
        people.append(person)
        for k in range(months):
            y, m = (
                first_month.year + (first_month.month - 1 + k) // 12,
                (first_month.month - 1 + k) % 12 + 1,
            )
            ill = rng.random() < 0.15
            for s in range(3):
                start = datetime(y, m, 3 + 8 * s, 14, 0)
                length = timedelta(minutes=20 * (hours_per_month + 2 * (i % 3)))
                status = "cancelled_by_person" if ill else "executed"
                sessions.append(
                    Session(
                        person=person,
                        order=order,
                        provider=provider,
                        start=start,
                        end=start + length,
                        status=status,
                        cancelled_at=start - timedelta(days=2) if ill else None,
                        escorts=1,
                    )
                )
    Session.objects.bulk_create(sessions)
    return people
