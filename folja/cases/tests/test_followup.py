"""The work list's tasks and the review of flagged sessions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from folja.audit.models import AuditEvent
from folja.cases import services
from folja.cases.models import Task, TaskKind
from folja.delivery.models import ReviewStatus
from folja.ledger.bridge import verify_person_sessions
from folja.testing.factories import DecisionFactory, OrderFactory, PersonFactory, SessionFactory
from folja.testing.factories_cases import AppealFactory

pytestmark = pytest.mark.django_db
TODAY = date(2024, 6, 14)


def _kinds(district) -> list[str]:
    return sorted(Task.objects.filter(district=district).values_list("kind", flat=True))


def test_a_decision_expiring_within_60_days_without_successor_gives_a_task(
    ref, district, caseworker
):
    ending = DecisionFactory(
        person=PersonFactory(district=district),
        valid_from=date(2024, 1, 1),
        valid_to=date(2024, 7, 31),
        caseworker=caseworker,
        decided_on=date(2023, 12, 1),
    )
    renewed = PersonFactory(district=district, birth_date=date(1970, 3, 3))
    DecisionFactory(person=renewed, valid_from=date(2024, 1, 1), valid_to=date(2024, 7, 31))
    DecisionFactory(person=renewed, valid_from=date(2024, 8, 1), valid_to=date(2025, 7, 31))
    services.tasks_refresh(district=district, today=TODAY)
    task = Task.objects.get(kind=TaskKind.DECISION_EXPIRING)
    assert task.person_id == ending.person_id
    assert task.due_on == date(2024, 7, 31)
    assert task.assigned_to == caseworker


def test_refreshing_tasks_twice_creates_nothing_new(ref, district):
    DecisionFactory(
        person=PersonFactory(district=district),
        valid_from=date(2024, 1, 1),
        valid_to=date(2024, 7, 1),
    )
    AppealFactory(
        decision=DecisionFactory(
            person=PersonFactory(district=district, birth_date=date(1960, 1, 2))
        )
    )
    first = services.tasks_refresh(district=district, today=TODAY)
    assert first >= 2
    assert services.tasks_refresh(district=district, today=TODAY) == 0
    assert Task.objects.count() == first


def test_execution_below_half_two_periods_in_a_row_gives_a_task(ref, district):
    idle = PersonFactory(district=district)
    DecisionFactory(person=idle, valid_from=date(2023, 7, 1), valid_to=date(2024, 12, 31))
    busy = PersonFactory(district=district, birth_date=date(1975, 4, 4))
    order = OrderFactory(
        decision=DecisionFactory(
            person=busy, valid_from=date(2023, 7, 1), valid_to=date(2024, 12, 31)
        )
    )
    for month in (10, 11, 12, 1, 2, 3):
        year = 2023 if month >= 10 else 2024
        start = datetime(year, month, 10, 10, 0)
        SessionFactory(order=order, start=start, end=start.replace(hour=19))
    services.tasks_refresh(district=district, today=TODAY)
    tasks = Task.objects.filter(kind=TaskKind.LOW_EXECUTION)
    assert [t.person_id for t in tasks] == [idle.pk]
    assert tasks[0].subject == "low_execution:2024-01-01"


def test_free_model_use_above_the_threshold_gives_a_follow_up_task(ref, district):
    person = PersonFactory(district=district)
    order = OrderFactory(
        decision=DecisionFactory(
            person=person,
            model="free",
            hours_per_month=Decimal("2"),
            valid_from=date(2024, 3, 1),
            valid_to=date(2024, 12, 31),
        )
    )
    SessionFactory(order=order, start=datetime(2024, 4, 6, 9, 0), end=datetime(2024, 4, 6, 19, 0))
    services.tasks_refresh(district=district, today=TODAY)
    subjects = list(
        Task.objects.filter(kind=TaskKind.FREE_REVIEW).values_list("subject", flat=True)
    )
    assert "free:2024-04" in subjects


def _flagged(district):
    person = PersonFactory(district=district)
    order = OrderFactory(
        decision=DecisionFactory(
            person=person,
            hours_per_month=Decimal("2"),
            valid_from=date(2024, 4, 1),
            valid_to=date(2025, 3, 31),
        )
    )
    session = SessionFactory(
        order=order, start=datetime(2024, 4, 10, 10, 0), end=datetime(2024, 4, 10, 18, 0)
    )
    verify_person_sessions(person=person)
    session.refresh_from_db()
    assert session.review_status == ReviewStatus.PENDING
    return session


def test_a_flagged_session_is_approved_with_a_reason_and_audited(ref, district, caseworker, frozen):
    session = _flagged(district)
    services.tasks_refresh(district=district, today=TODAY)
    assert _kinds(district) == [TaskKind.FLAGGED_SESSION]
    services.session_review(
        session=session, user=caseworker, approve=True, reason="Utflykt som planerats med oss."
    )
    session.refresh_from_db()
    assert session.review_status == ReviewStatus.APPROVED
    assert session.reviewed_by == caseworker and session.review_reason.startswith("Utflykt")
    assert Task.objects.get(kind=TaskKind.FLAGGED_SESSION).closed_at is not None
    assert AuditEvent.objects.filter(action="session.review", object_id=str(session.pk)).exists()


def test_a_review_without_a_reason_is_refused(ref, district, caseworker, frozen):
    session = _flagged(district)
    with pytest.raises(ValidationError) as exc:
        services.session_review(session=session, user=caseworker, approve=False, reason="  ")
    assert "reason" in exc.value.error_dict
    services.session_review(session=session, user=caseworker, approve=False, reason="Ej planerat.")
    session.refresh_from_db()
    assert session.review_status == ReviewStatus.REJECTED
    with pytest.raises(ValidationError):
        services.session_review(
            session=session, user=caseworker, approve=True, reason="Ändrat mig."
        )


def test_closing_a_task_needs_a_resolution(ref, district, caseworker):
    DecisionFactory(
        person=PersonFactory(district=district),
        valid_from=date(2024, 1, 1),
        valid_to=date(2024, 7, 1),
    )
    services.tasks_refresh(district=district, today=TODAY)
    task = Task.objects.get(kind=TaskKind.DECISION_EXPIRING)
    with pytest.raises(ValidationError):
        services.task_close(task=task, user=caseworker, resolution="")
    services.task_close(task=task, user=caseworker, resolution="Nytt beslut på väg.")
    assert Task.objects.get(kind=TaskKind.DECISION_EXPIRING).closed_by == caseworker
    # A closed task is not reopened by the next refresh.
    assert services.tasks_refresh(district=district, today=TODAY) == 0


def test_the_refresh_tasks_command_is_idempotent_and_rejects_bad_input(ref, district):
    from io import StringIO

    from django.core.management import CommandError, call_command

    DecisionFactory(
        person=PersonFactory(district=district),
        valid_from=date(2024, 1, 1),
        valid_to=date(2024, 7, 1),
    )
    out = StringIO()
    call_command("refresh_tasks", "--today", "2024-06-14", stdout=out)
    # The decision expires within 60 days, and it has never been carried out in the four
    # months since it was made: two tasks.
    assert "Totalt 2 nya uppgifter." in out.getvalue()
    call_command("refresh_tasks", "--today", "2024-06-14", stdout=out)
    assert Task.objects.count() == 2
    with pytest.raises(CommandError):
        call_command("refresh_tasks", "--today", "14/6")
    with pytest.raises(CommandError):
        call_command("refresh_tasks", "--district", "NOPE")
