"""20 concurrent reporters, 1,000 sessions, one person's period: never overspent.

Every report runs `session_report`, which re-verifies the person under a row lock
(`verify_person_sessions` → `select_for_update`). Without the lock two reports could each see
the period with room left and both be stored as payable."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import transaction

from folja.accounts.models import Role
from folja.delivery.models import Session
from folja.delivery.services import session_report
from folja.ledger.bridge import verify_person_sessions
from folja.testing.factories import OrderFactory, make_user
from folja.testing.threads import run_at_once

REPORTERS = 20
SESSIONS = 1000
FIRST = datetime(2024, 3, 1, 0, 0)


def _snapshot(person) -> list[tuple]:
    return list(
        Session.objects.filter(person=person)
        .order_by("pk")
        .values_list("pk", "period_start", "charged_minutes", "payable_minutes", "flags")
    )


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_reporters_never_overspend_one_persons_period():
    order = OrderFactory()  # flex3, 10 h/month from 2024-02-14: period Feb–Apr 2024
    person, provider = order.person, order.provider
    user = make_user(Role.PROVIDER_STAFF, provider=provider)
    barrier = threading.Barrier(REPORTERS)

    def reporter(n: int) -> None:
        barrier.wait()
        for i in range(n, SESSIONS, REPORTERS):
            # 20-minute sessions every 30 minutes from 1 March: no overlaps, one period.
            start = FIRST + timedelta(minutes=30 * i)
            session_report(
                user=user,
                provider=provider,
                person=person,
                start=start,
                end=start + timedelta(minutes=20),
                status="executed",
                order=order,
                external_id=f"r{n}-{i}",
            )

    # Reported within the deadline for every session (the last one ends on 21 March).
    with time_machine.travel(datetime(2024, 3, 25, 12, 0), tick=True):
        assert run_at_once(reporter, REPORTERS) == []
        assert Session.objects.filter(person=person).count() == SESSIONS

        stored = _snapshot(person)
        with transaction.atomic():
            evaluation = verify_person_sessions(person=person)
        # What concurrent reporting stored is exactly what one serial verification gives.
        assert _snapshot(person) == stored

    period = evaluation.period_containing(FIRST.date())
    payable = sum(
        s.payable_minutes for s in Session.objects.filter(person=person, period_start=period.start)
    )
    assert 0 < payable <= period.granted_minutes
    assert Session.objects.filter(person=person, flags__contains=["exceeds_grant"]).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_for_one_person_never_overspend_the_period():
    from folja.delivery.services import sessions_import

    order = OrderFactory()
    person, provider = order.person, order.provider
    user = make_user(Role.PROVIDER_ADMIN, provider=provider)
    importers, per_file = 10, 10
    barrier = threading.Barrier(importers)

    def importer(n: int) -> None:
        rows = []
        for k in range(per_file):
            start = FIRST + timedelta(hours=n * per_file + k)
            rows.append(
                {
                    "external_id": f"imp{n}-{k}",
                    "personnummer": person.personnummer,
                    "order_id": order.pk,
                    "start": start.isoformat(timespec="minutes"),
                    "end": (start + timedelta(minutes=50)).isoformat(timespec="minutes"),
                    "status": "executed",
                    "escorts": 1,
                }
            )
        barrier.wait()
        sessions_import(user=user, provider=provider, rows=rows)

    with time_machine.travel(datetime(2024, 3, 25, 12, 0), tick=True):
        assert run_at_once(importer, importers) == []
        stored = _snapshot(person)
        with transaction.atomic():
            evaluation = verify_person_sessions(person=person)
        assert _snapshot(person) == stored
    period = evaluation.period_containing(FIRST.date())
    payable = sum(
        s.payable_minutes for s in Session.objects.filter(person=person, period_start=period.start)
    )
    assert payable <= period.granted_minutes
