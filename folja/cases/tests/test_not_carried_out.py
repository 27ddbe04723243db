"""Decisions not carried out (issue 13, item 7): a granting decision with no executed session
within three months of being decided, or whose execution stopped for three months, is entered
in the register and flagged on the work list; the caseworker records the reason, which closes
the task. The executed days are the ledger's. The clock is frozen on each test's day."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from folja.audit.models import AuditEvent
from folja.cases import services
from folja.cases.models import NonExecution, NonExecutionKind, Task, TaskKind
from folja.testing.factories import DecisionFactory, OrderFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(ref, person, caseworker):
    return DecisionFactory(
        person=person,
        caseworker=caseworker,
        decided_on=date(2024, 1, 10),
        valid_from=date(2024, 1, 10),
        valid_to=date(2024, 12, 31),
    )


def _executed(decision, day: date) -> None:
    order = decision.orders.first() or OrderFactory(
        decision=decision, person=decision.person, status="accepted"
    )
    start = datetime.combine(day, datetime.min.time()) + timedelta(hours=10)
    SessionFactory(
        order=order,
        person=decision.person,
        provider=order.provider,
        start=start,
        end=start + timedelta(hours=2),
        status="executed",
    )


def _refresh(district, day: date) -> int:
    with time_machine.travel(datetime.combine(day, datetime.min.time()), tick=False):
        return services.tasks_refresh(district=district, today=day)


def test_a_decision_never_carried_out_is_flagged_when_three_months_have_passed(
    decision, district, caseworker
):
    _refresh(district, date(2024, 4, 9))
    assert not NonExecution.objects.exists()

    _refresh(district, date(2024, 4, 10))

    entry = NonExecution.objects.get(decision=decision)
    assert (entry.kind, entry.since, entry.reportable_on) == (
        NonExecutionKind.NOT_STARTED,
        date(2024, 1, 10),
        date(2024, 4, 10),
    )
    task = Task.objects.get(kind=TaskKind.NOT_EXECUTED)
    assert task.assigned_to == caseworker
    assert task.details["non_execution_id"] == entry.pk


def test_a_decision_carried_out_in_time_is_not_flagged(decision, district):
    _executed(decision, date(2024, 3, 1))
    _refresh(district, date(2024, 5, 1))
    assert not NonExecution.objects.exists()
    assert not Task.objects.filter(kind=TaskKind.NOT_EXECUTED).exists()


def test_execution_stopped_for_three_months_is_flagged_as_interrupted(decision, district):
    _executed(decision, date(2024, 2, 1))
    _executed(decision, date(2024, 3, 5))

    _refresh(district, date(2024, 6, 5))

    entry = NonExecution.objects.get()
    assert (entry.kind, entry.since) == (NonExecutionKind.INTERRUPTED, date(2024, 3, 5))


def test_the_register_and_the_task_are_made_once_and_the_late_start_is_noted(decision, district):
    _refresh(district, date(2024, 4, 20))
    _refresh(district, date(2024, 4, 21))
    assert NonExecution.objects.count() == 1
    assert Task.objects.filter(kind=TaskKind.NOT_EXECUTED).count() == 1

    _executed(decision, date(2024, 5, 2))
    _refresh(district, date(2024, 5, 3))

    assert NonExecution.objects.get().carried_out_on == date(2024, 5, 2)


def test_the_caseworker_records_the_reason_and_returns_to_the_work_list(
    client, decision, district, caseworker
):
    _refresh(district, date(2024, 4, 20))
    entry = NonExecution.objects.get()
    client.force_login(caseworker)
    url = reverse("cases:non_execution_reason", args=[decision.pk]) + "?fran=arbetslista"
    with time_machine.travel(datetime(2024, 4, 22, 9, 0), tick=False):
        page = client.get(url)
        assert page.status_code == 200
        response = client.post(
            url, {"reason": "declined", "reason_text": "Vill vänta till hösten."}, follow=True
        )

    assert response.redirect_chain[-1][0] == reverse("cases:worklist")
    assert "Skälet är sparat" in response.content.decode()
    entry.refresh_from_db()
    assert (entry.reason, entry.reason_text, entry.reason_recorded_by) == (
        "declined",
        "Vill vänta till hösten.",
        caseworker,
    )
    task = Task.objects.get(kind=TaskKind.NOT_EXECUTED)
    assert task.closed_at is not None and task.closed_by == caseworker
    assert AuditEvent.objects.filter(action="non_execution.reason").exists()


def test_another_reason_needs_a_description(client, decision, district, caseworker):
    _refresh(district, date(2024, 4, 20))
    entry = NonExecution.objects.get()
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:non_execution_reason", args=[decision.pk]), {"reason": "other"}
    )
    assert response.status_code == 400
    assert "Beskriv skälet" in response.content.decode()
    entry.refresh_from_db()
    assert entry.reason == ""


def test_another_districts_caseworker_gets_404(client, decision, district, other_caseworker):
    _refresh(district, date(2024, 4, 20))
    entry = NonExecution.objects.get()
    client.force_login(other_caseworker)
    url = reverse("cases:non_execution_reason", args=[decision.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "declined"}).status_code == 404
    entry.refresh_from_db()
    assert entry.reason == ""
