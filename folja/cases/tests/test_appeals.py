"""Appeals: timeliness against the deadline, reconsideration, forwarding to the court."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from folja.audit.models import AuditEvent
from folja.cases import services
from folja.cases.models import AppealStatus, Decision, Task, TaskKind
from folja.testing.factories import DecisionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("received_on", "timely"),
    [(date(2024, 6, 17), True), (date(2024, 6, 18), False)],
)
def test_timeliness_follows_the_deadline_moved_past_the_weekend(
    ref, person, caseworker, received_on, timely
):
    # Notified Saturday 25 May: three weeks ends Saturday 15 June, so Monday 17 June counts.
    decision = DecisionFactory(person=person, notified_on=date(2024, 5, 25))
    appeal = services.appeal_register(decision=decision, user=caseworker, received_on=received_on)
    assert appeal.deadline == date(2024, 6, 17)
    assert appeal.timely is timely
    assert Task.objects.filter(kind=TaskKind.APPEAL, subject=f"appeal:{appeal.pk}").exists()


def test_an_appeal_cannot_arrive_before_the_notification(ref, person, caseworker):
    decision = DecisionFactory(person=person, notified_on=date(2024, 5, 25))
    with pytest.raises(ValidationError) as exc:
        services.appeal_register(decision=decision, user=caseworker, received_on=date(2024, 5, 1))
    assert "received_on" in exc.value.error_dict


def test_reconsideration_that_changes_the_decision_makes_a_new_decision(ref, person, caseworker):
    decision = DecisionFactory(
        person=person, notified_on=date(2024, 5, 25), outcome="partly_rejected"
    )
    appeal = services.appeal_register(
        decision=decision, user=caseworker, received_on=date(2024, 6, 3)
    )
    services.appeal_reconsider(
        appeal=appeal,
        user=caseworker,
        reconsidered_on=date(2024, 6, 10),
        change=True,
        note="Nya uppgifter om behovet.",
        outcome="granted",
        hours_per_month=Decimal("15"),
    )
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.RECONSIDERED_CHANGED
    new = appeal.new_decision
    assert new.pk != decision.pk and new.hours_per_month == Decimal("15")
    assert new.valid_from == decision.valid_from and new.outcome == "granted"
    assert Decision.objects.filter(person=person).count() == 2
    assert Task.objects.get(kind=TaskKind.APPEAL).closed_at is not None


def test_an_unchanged_decision_is_forwarded_to_the_court(ref, person, caseworker):
    decision = DecisionFactory(person=person, notified_on=date(2024, 5, 25))
    appeal = services.appeal_register(
        decision=decision, user=caseworker, received_on=date(2024, 6, 3)
    )
    services.appeal_reconsider(
        appeal=appeal,
        user=caseworker,
        reconsidered_on=date(2024, 6, 5),
        change=False,
        note="Står fast.",
    )
    with pytest.raises(ValidationError):
        services.appeal_forward(appeal=appeal, user=caseworker, forwarded_on=date(2024, 6, 1))
    services.appeal_forward(
        appeal=appeal, user=caseworker, forwarded_on=date(2024, 6, 7), court_reference="1234-24"
    )
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.FORWARDED and appeal.forwarded_on == date(2024, 6, 7)
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert {"appeal.register", "appeal.reconsider", "appeal.forward"} <= set(actions)


def test_a_late_appeal_is_dismissed_not_reconsidered(ref, person, caseworker, frozen):
    decision = DecisionFactory(person=person, notified_on=date(2024, 5, 25))
    appeal = services.appeal_register(
        decision=decision, user=caseworker, received_on=date(2024, 7, 1)
    )
    with pytest.raises(ValidationError):
        services.appeal_reconsider(
            appeal=appeal, user=caseworker, reconsidered_on=date(2024, 7, 2), change=False, note="x"
        )
    services.appeal_dismiss_late(
        appeal=appeal, user=caseworker, on=date(2024, 7, 2), note="För sent."
    )
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.DISMISSED_LATE
