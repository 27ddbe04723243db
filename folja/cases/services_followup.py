"""Follow-up writes: the work list's tasks and the review of flagged sessions."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from folja.audit.services import audit_record
from folja.cases.models import Appeal, AppealStatus, Decision, Task, TaskKind, WorklistRefresh
from folja.cases.services_money import request_tasks_backfill
from folja.cases.services_nonexecution import non_executions_refresh
from folja.cases.services_tasks import task_owners, task_raise
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
    person: Person,
    kind: str,
    subject: str,
    due_on: date | None,
    owner,
    details: dict,
    user,
) -> bool:
    """Raise a task through the one task service; True when it is new."""
    before = Task.objects.filter(person=person, kind=kind, subject=subject).exists()
    if before:
        return False
    task_raise(
        kind=kind,
        person=person,
        subject=subject,
        details=details,
        due_on=due_on,
        user=user,
        owner=owner,
    )
    return True


def flagged_session_tasks_raise(*, person_ids, user=None) -> int:
    """The task of each session of these persons that waits for the caseworker (its excess
    did not fit in the period), raised when the report that flagged it is verified: the
    delivery services call this after each verification. Returns how many were new."""
    pending = list(
        Session.objects.filter(person_id__in=list(person_ids), review_status=ReviewStatus.PENDING)
        .select_related("person")
        .order_by("person_id", "start")
    )
    if not pending:
        return 0
    have = set(
        Task.objects.filter(
            kind=TaskKind.FLAGGED_SESSION, person_id__in={s.person_id for s in pending}
        ).values_list("subject", flat=True)
    )
    todo = [s for s in pending if f"session:{s.pk}" not in have]
    owners: dict[int, object] = {}
    by_district: dict[int, set[int]] = {}
    for s in todo:
        by_district.setdefault(s.person.district_id, set()).add(s.person_id)
    for district_id, ids in by_district.items():
        owners.update(task_owners(district_id=district_id, person_ids=ids))
    for s in todo:
        task_raise(
            kind=TaskKind.FLAGGED_SESSION,
            person=s.person,
            subject=f"session:{s.pk}",
            details={"session_id": s.pk},
            due_on=s.start.date(),
            user=user,
            owner=owners.get(s.person_id),
        )
    return len(todo)


@transaction.atomic
def tasks_refresh_if_due(*, district: District, today: date, user=None) -> int:
    """The time-based tasks (decisions about to expire or not carried out, low execution,
    free-model months) once a day: the nightly job makes them, and the first caseworker to
    open a work list on a day the job has not run makes them then. The district's row is
    locked, so two caseworkers opening the list at once do not both run it."""
    marker, _created = WorklistRefresh.objects.select_for_update().get_or_create(
        district=district, defaults={"refreshed_on": today - timedelta(days=1)}
    )
    if marker.refreshed_on >= today:
        return 0
    return tasks_refresh(district=district, today=today, user=user)


@transaction.atomic
def tasks_refresh(*, district: District, today: date, user=None) -> int:
    """Create the work list's time-based tasks for a district; returns how many were new.

    Tasks of events (a claim, an application, a request, an appeal, a flagged session) are
    raised by the service that makes the event; this job makes those that come with time,
    and the event tasks of rows written before their service raised them (imports, seeds).
    Idempotent: a task is keyed by (person, kind, subject), so running it again adds nothing,
    and a task once closed is not reopened for the same subject.
    """
    created = 0
    # A decision replaced on reconsideration neither expires nor owns tasks: its
    # replacement does.
    decisions = granting_decisions(Decision.objects.filter(district=district))
    later = decisions.filter(person=OuterRef("person"), valid_from__gt=OuterRef("valid_to"))
    expiring = list(
        decisions.filter(valid_to__gte=today, valid_to__lte=today + EXPIRY_WINDOW)
        .annotate(has_successor=Exists(later))
        .filter(has_successor=False)
        .select_related("person")
    )
    flagged = list(
        Session.objects.filter(
            person__district=district, review_status=ReviewStatus.PENDING
        ).select_related("person")
    )
    appeals = list(
        Appeal.objects.filter(
            person__district=district, status=AppealStatus.RECEIVED
        ).select_related("person")
    )
    person_ids = {d.person_id for d in expiring} | {s.person_id for s in flagged}
    person_ids |= {a.person_id for a in appeals}
    owner = task_owners(district_id=district.pk, person_ids=person_ids)

    for d in expiring:
        created += _task(
            person=d.person,
            kind=TaskKind.DECISION_EXPIRING,
            subject=f"decision:{d.pk}",
            due_on=d.valid_to,
            owner=owner.get(d.person_id),
            details={"decision_id": d.pk, "valid_to": d.valid_to.isoformat()},
            user=user,
        )

    for s in flagged:
        created += _task(
            person=s.person,
            kind=TaskKind.FLAGGED_SESSION,
            subject=f"session:{s.pk}",
            due_on=s.start.date(),
            owner=owner.get(s.person_id),
            details={"session_id": s.pk},
            user=user,
        )

    for a in appeals:
        created += _task(
            person=a.person,
            kind=TaskKind.APPEAL,
            subject=f"appeal:{a.pk}",
            due_on=a.received_on,
            owner=owner.get(a.person_id),
            details={"appeal_id": a.pk, "decision_id": a.decision_id},
            user=user,
        )

    created += request_tasks_backfill(district_id=district.pk, user=user)
    created += _evaluation_tasks(district=district, today=today, user=user)
    WorklistRefresh.objects.update_or_create(district=district, defaults={"refreshed_on": today})
    return created


def _evaluation_tasks(*, district: District, today: date, user) -> int:
    """Low execution two periods in a row, free-model follow-up months and decisions not
    carried out: all need the rules engine's per-period or per-session results, one
    evaluation per person with a recent decision."""
    created = 0
    since = today - LOOKBACK
    recent = list(
        granting_decisions(
            Decision.objects.filter(district=district, valid_to__gte=since, valid_from__lte=today)
        ).order_by("person_id", "valid_from", "id")
    )
    by_person: dict[int, list[Decision]] = {}
    for d in recent:
        by_person.setdefault(d.person_id, []).append(d)
    owner = task_owners(district_id=district.pk, person_ids=by_person)
    for person in Person.objects.filter(pk__in=list(by_person), culled_at__isnull=True):
        evaluation = person_evaluation(person=person, on=today)
        finished = [p for p in evaluation.periods if p.end < today and p.model != "free"]
        last_two = finished[-2:]
        if len(last_two) == 2 and last_two[1].end >= since:
            rates = [execution_rate(p.used_minutes, p.granted_minutes) for p in last_two]
            if all(r is not None and r < LOW_EXECUTION_RATE for r in rates):
                created += _task(
                    person=person,
                    kind=TaskKind.LOW_EXECUTION,
                    subject=f"low_execution:{last_two[1].start.isoformat()}",
                    due_on=today,
                    owner=owner.get(person.pk),
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
                person=person,
                kind=TaskKind.FREE_REVIEW,
                subject=f"free:{month:%Y-%m}",
                due_on=today,
                owner=owner.get(person.pk),
                details={"month": f"{month:%Y-%m}"},
                user=user,
            )
        created += non_executions_refresh(
            person=person,
            decisions=by_person[person.pk],
            evaluation=evaluation,
            today=today,
            owner=owner.get(person.pk),
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
