"""The register of decisions not carried out: kept by the periodic work-list job (the rule is
folja.rules.execution, over the ledger's executed days) and completed by the caseworker, who
records why. Each finding raises a work-list task; recording the reason closes it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from folja.accounts.models import User
from folja.audit.services import audit_record
from folja.cases.models import (
    Decision,
    NonExecution,
    NonExecutionReason,
    Task,
    TaskKind,
)
from folja.cases.services_tasks import task_raise
from folja.core import clock
from folja.ledger.execution import decisions_not_carried_out
from folja.people.models import Person
from folja.rules.engine import Evaluation


def non_execution_task_subject(entry: NonExecution) -> str:
    return f"non_execution:{entry.pk}"


def non_executions_refresh(
    *,
    person: Person,
    decisions: list[Decision],
    evaluation: Evaluation,
    today: date,
    owner: User | None,
    user=None,
) -> int:
    """Register each time one of the person's granting `decisions` went three months without
    being carried out, once, and raise its task; note the day it was carried out after all.
    Returns how many new entries were made."""
    created = 0
    for decision, found in decisions_not_carried_out(
        decisions=decisions, person_id=person.pk, evaluation=evaluation, today=today
    ):
        entry, is_new = NonExecution.objects.get_or_create(
            decision=decision,
            kind=found.kind,
            since=found.since,
            defaults={
                "person": person,
                "district_id": decision.district_id,
                "reportable_on": found.reportable_on,
                "carried_out_on": found.carried_out_on,
            },
        )
        if is_new:
            created += 1
            audit_record(
                user=user,
                action="non_execution.register",
                obj=entry,
                person=person,
                details={"decision": decision.pk, "kind": found.kind, "since": str(found.since)},
            )
        elif entry.carried_out_on != found.carried_out_on:
            entry.carried_out_on = found.carried_out_on
            entry.save(update_fields=["carried_out_on"])
        if not entry.reason:
            task_raise(
                kind=TaskKind.NOT_EXECUTED,
                person=person,
                subject=non_execution_task_subject(entry),
                details={
                    "non_execution_id": entry.pk,
                    "decision_id": decision.pk,
                    "kind": found.kind,
                    "since": found.since.isoformat(),
                },
                due_on=found.reportable_on,
                user=user,
                owner=owner,
            )
    return created


@transaction.atomic
def non_execution_reason_record(
    *, entry: NonExecution, user, reason: str, reason_text: str
) -> NonExecution:
    """The caseworker's reason why the decision was not carried out; closes its task."""
    reason_text = reason_text.strip()
    if reason not in NonExecutionReason.values:
        raise ValidationError({"reason": _("Välj ett skäl i listan.")})
    if reason == NonExecutionReason.OTHER and not reason_text:
        raise ValidationError({"reason_text": _("Beskriv skälet när du väljer Annat skäl.")})
    entry = NonExecution.objects.select_for_update().get(pk=entry.pk)
    entry.reason = reason
    entry.reason_text = reason_text
    entry.reason_recorded_by = user
    entry.reason_recorded_at = clock.now()
    entry.save(update_fields=["reason", "reason_text", "reason_recorded_by", "reason_recorded_at"])
    resolution = f"{entry.get_reason_display()}. {reason_text}".strip()
    for task in Task.objects.filter(
        person_id=entry.person_id,
        kind=TaskKind.NOT_EXECUTED,
        subject=non_execution_task_subject(entry),
        closed_at__isnull=True,
    ):
        task.closed_at = clock.now()
        task.closed_by = user
        task.resolution = resolution
        task.save(update_fields=["closed_at", "closed_by", "resolution"])
        audit_record(user=user, action="task.close", obj=task, person=entry.person)
    audit_record(
        user=user,
        action="non_execution.reason",
        obj=entry,
        person=entry.person,
        details={"reason": reason},
    )
    return entry
