"""Follow-up writes: the work list's tasks and the review of flagged sessions."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from folja.audit.services import audit_record
from folja.cases.models import Appeal, AppealStatus, Decision, Task, TaskKind
from folja.delivery.models import ReviewStatus, Session
from folja.ledger.bridge import person_evaluation
from folja.ledger.changed import person_figures_changed
from folja.ledger.decisions import granting_decisions
from folja.people.models import District, Person
from folja.rules.followup import execution_rate

EXPIRY_WINDOW = timedelta(days=60)
LOW_EXECUTION_RATE = 0.5
# Look back this far for low execution and free-model months: older ones are history.
LOOKBACK = timedelta(days=220)


def _task(
    *,
    person_id: int,
    district: District,
    kind: str,
    subject: str,
    due_on: date | None,
    assigned_to_id: int | None,
    details: dict,
    user,
) -> bool:
    task, created = Task.objects.get_or_create(
        person_id=person_id,
        kind=kind,
        subject=subject,
        defaults={
            "district": district,
            "due_on": due_on,
            "assigned_to_id": assigned_to_id,
            "details": details,
        },
    )
    if created:
        audit_record(
            user=user, action="task.create", obj=task, details={"kind": kind, "subject": subject}
        )
    return created


@transaction.atomic
def tasks_refresh(*, district: District, today: date, user=None) -> int:
    """Create the work list's tasks for a district; returns how many were new.

    Idempotent: a task is keyed by (person, kind, subject), so running it again adds nothing,
    and a task once closed is not reopened for the same subject.
    """
    created = 0
    # A decision replaced on reconsideration neither expires nor owns tasks: its
    # replacement does.
    decisions = granting_decisions(Decision.objects.filter(district=district))
    # The person's latest decision-maker is the natural owner of their tasks.
    owner: dict[int, int | None] = {}
    for person_id, caseworker_id in decisions.order_by("person_id", "decided_on", "id").values_list(
        "person_id", "caseworker_id"
    ):
        owner[person_id] = caseworker_id

    later = decisions.filter(person=OuterRef("person"), valid_from__gt=OuterRef("valid_to"))
    expiring = (
        decisions.filter(valid_to__gte=today, valid_to__lte=today + EXPIRY_WINDOW)
        .annotate(has_successor=Exists(later))
        .filter(has_successor=False)
    )
    for d in expiring:
        created += _task(
            person_id=d.person_id,
            district=district,
            kind=TaskKind.DECISION_EXPIRING,
            subject=f"decision:{d.pk}",
            due_on=d.valid_to,
            assigned_to_id=owner.get(d.person_id),
            details={"decision_id": d.pk, "valid_to": d.valid_to.isoformat()},
            user=user,
        )

    for s in Session.objects.filter(
        person__district=district, review_status=ReviewStatus.PENDING
    ).only("id", "person_id", "start"):
        created += _task(
            person_id=s.person_id,
            district=district,
            kind=TaskKind.FLAGGED_SESSION,
            subject=f"session:{s.pk}",
            due_on=s.start.date(),
            assigned_to_id=owner.get(s.person_id),
            details={"session_id": s.pk},
            user=user,
        )

    for a in Appeal.objects.filter(person__district=district, status=AppealStatus.RECEIVED):
        created += _task(
            person_id=a.person_id,
            district=district,
            kind=TaskKind.APPEAL,
            subject=f"appeal:{a.pk}",
            due_on=a.received_on,
            assigned_to_id=owner.get(a.person_id),
            details={"appeal_id": a.pk, "decision_id": a.decision_id},
            user=user,
        )

    created += _evaluation_tasks(district=district, today=today, owner=owner, user=user)
    return created


def _evaluation_tasks(*, district: District, today: date, owner: dict, user) -> int:
    """Low execution two periods in a row, and free-model follow-up months: both need the
    rules engine's per-period results, one evaluation per person with a recent decision."""
    created = 0
    since = today - LOOKBACK
    person_ids = (
        granting_decisions(
            Decision.objects.filter(district=district, valid_to__gte=since, valid_from__lte=today)
        )
        .values_list("person_id", flat=True)
        .distinct()
    )
    for person in Person.objects.filter(pk__in=list(person_ids), culled_at__isnull=True):
        evaluation = person_evaluation(person=person, on=today)
        finished = [p for p in evaluation.periods if p.end < today and p.model != "free"]
        last_two = finished[-2:]
        if len(last_two) == 2 and last_two[1].end >= since:
            rates = [execution_rate(p.used_minutes, p.granted_minutes) for p in last_two]
            if all(r is not None and r < LOW_EXECUTION_RATE for r in rates):
                created += _task(
                    person_id=person.pk,
                    district=district,
                    kind=TaskKind.LOW_EXECUTION,
                    subject=f"low_execution:{last_two[1].start.isoformat()}",
                    due_on=today,
                    assigned_to_id=owner.get(person.pk),
                    details={
                        "periods": [
                            {"start": p.start.isoformat(), "end": p.end.isoformat(), "rate": str(r)}
                            for p, r in zip(last_two, rates, strict=True)
                        ]
                    },
                    user=user,
                )
        for month in evaluation.follow_up:
            if month < since.replace(day=1):
                continue
            created += _task(
                person_id=person.pk,
                district=district,
                kind=TaskKind.FREE_REVIEW,
                subject=f"free:{month:%Y-%m}",
                due_on=today,
                assigned_to_id=owner.get(person.pk),
                details={"month": f"{month:%Y-%m}"},
                user=user,
            )
    return created


@transaction.atomic
def task_close(*, task: Task, user, resolution: str) -> Task:
    if task.closed_at is not None:
        raise ValidationError({"resolution": _("Uppgiften är redan avslutad.")})
    if not resolution.strip():
        raise ValidationError({"resolution": _("Skriv vad som gjordes.")})
    task.closed_at = timezone.now()
    task.closed_by = user
    task.resolution = resolution.strip()
    task.save(update_fields=["closed_at", "closed_by", "resolution"])
    audit_record(user=user, action="task.close", obj=task, person=task.person)
    return task


@transaction.atomic
def session_review(*, session: Session, user, approve: bool, reason: str) -> Session:
    """Approve or reject the excess of a session that did not fit in its period. Approved
    excess becomes payable; the verification is re-run so stored results follow."""
    if session.review_status != ReviewStatus.PENDING:
        raise ValidationError({"reason": _("Passet väntar inte på granskning.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv skälet till ditt beslut.")})
    session.review_status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
    session.reviewed_by = user
    session.reviewed_at = timezone.now()
    session.review_reason = reason.strip()
    session.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "review_reason"])
    audit_record(
        user=user,
        action="session.review",
        obj=session,
        person=session.person,
        details={"approved": approve},
    )
    for task in Task.objects.filter(
        person_id=session.person_id,
        kind=TaskKind.FLAGGED_SESSION,
        subject=f"session:{session.pk}",
        closed_at__isnull=True,
    ):
        task_close(
            task=task,
            user=user,
            resolution=_("Överskjutande tid godkänd.")
            if approve
            else _("Överskjutande tid avslagen."),
        )
    person_figures_changed(person_ids=[session.person_id])
    return session
