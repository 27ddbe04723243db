"""Recalculation from a date: the background job behind a new guideline version or LOV rate.

A person's own writes re-verify that person in their own transaction. A guideline version or a
rate instead changes figures for everyone from a date, which is too much work for the request
that saved it. So the save records a RecalculationRun and, once its transaction has committed,
queues `reverify_run` on django-tasks. With the database backend (django-tasks-db) the queued
job is a row that survives restarts until a worker (`folja db_worker`) runs it; the run's row
shows the progress meanwhile (admin "Omräkningar", `folja recalc --status`).

The work itself is `reverify_from`: every person with sessions, decisions or expense claims on
or after the date, in batches, each batch re-verified by the bridge and its roll-up refreshed
in one transaction, so a batch's figures and its progress commit together.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import F, Q
from django_tasks import task

from folja.audit.services import audit_record
from folja.cases.models import Decision
from folja.core import clock
from folja.delivery.models import ExpenseClaim, Session
from folja.ledger.changed import person_figures_changed
from folja.ledger.models import RecalculationRun, RecalculationStatus, RecalculationTrigger
from folja.people.models import Person

# Persons per transaction: small enough that a report for one of them waits at most a few
# seconds for the batch's lock, large enough that the per-batch reads stay few.
BATCH = 200

Progress = Callable[[int, int], None]


def affected_person_ids(valid_from: date) -> list[int]:
    """Persons whose figures a change from `valid_from` can move: a session starting on or
    after it, a decision still in force on it or later, or an expense claim dated on or
    after it. In id order, so batches lock persons in the order every verification does."""
    sessions = Session.objects.filter(start__gte=datetime.combine(valid_from, time.min))
    decisions = Decision.objects.filter(
        Q(valid_to__gte=valid_from) | Q(valid_to__isnull=True, valid_from__isnull=False)
    )
    claims = ExpenseClaim.objects.filter(date__gte=valid_from)
    return list(
        Person.objects.filter(
            Q(pk__in=sessions.values("person_id"))
            | Q(pk__in=decisions.values("person_id"))
            | Q(pk__in=claims.values("person_id"))
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def recalculation_runs(*, limit: int = 10) -> list[RecalculationRun]:
    """The latest runs, newest first, for the admin lists and `folja recalc --status`."""
    return list(RecalculationRun.objects.order_by("-created_at", "-pk")[:limit])


def recalculation_schedule(
    *,
    valid_from: date,
    trigger: str,
    label: str = "",
    user=None,
) -> RecalculationRun | None:
    """Record a recalculation from `valid_from` and queue it once the caller's transaction
    commits (a rolled-back save queues nothing). Returns None, recording nothing, when no
    person has figures on or after the date: loading reference data into an empty database
    is not a recalculation."""
    if not affected_person_ids(valid_from):
        return None
    with transaction.atomic():
        run = RecalculationRun.objects.create(
            valid_from=valid_from,
            trigger=trigger,
            trigger_label=label[:200],
            triggered_by=user if getattr(user, "pk", None) else None,
            triggered_by_name=getattr(user, "username", "") or "system",
            created_at=clock.now(),
        )
        audit_record(
            user=user,
            action="ledger.recalculation_schedule",
            obj=run,
            details={"valid_from": valid_from.isoformat(), "trigger": trigger, "label": label},
        )
    run_id = run.pk
    transaction.on_commit(lambda: _enqueue(run_id))
    return run


def _enqueue(run_id: int) -> None:
    result = reverify_run.enqueue(run_id)
    # The immediate backend (tests) has already run the job by now; either way the run row
    # names its job so the worker's record and ours can be matched.
    RecalculationRun.objects.filter(pk=run_id).update(task_id=str(result.id))


@task()
def reverify_run(run_id: int) -> dict[str, int]:
    """The queued job: carry out one recorded run. Arguments are JSON (the run's id)."""
    run = RecalculationRun.objects.get(pk=run_id)
    if run.status == RecalculationStatus.DONE:
        # Delivered twice (a worker restarted after finishing): the work is already done.
        return {"persons": run.done, "sessions_changed": run.sessions_changed}
    run = reverify_from(run.valid_from, run=run)
    return {"persons": run.done, "sessions_changed": run.sessions_changed}


def reverify_from(
    valid_from: date,
    *,
    run: RecalculationRun | None = None,
    user=None,
    progress: Progress | None = None,
    batch: int = BATCH,
) -> RecalculationRun:
    """Re-verify every person with figures on or after `valid_from` and refresh their roll-up,
    `batch` persons per transaction, recording progress on `run` (a new manual run when none
    is given). Re-verification is idempotent, so a run cut short can simply be run again."""
    if run is None:
        run = RecalculationRun.objects.create(
            valid_from=valid_from,
            trigger=RecalculationTrigger.MANUAL,
            triggered_by=user if getattr(user, "pk", None) else None,
            triggered_by_name=getattr(user, "username", "") or "system",
            created_at=clock.now(),
        )
    ids = affected_person_ids(valid_from)
    run.status = RecalculationStatus.RUNNING
    run.total, run.done, run.sessions_changed = len(ids), 0, 0
    run.started_at, run.finished_at, run.error = clock.now(), None, ""
    run.save(
        update_fields=[
            "status",
            "total",
            "done",
            "sessions_changed",
            "started_at",
            "finished_at",
            "error",
        ]
    )
    if progress is not None:
        progress(0, run.total)
    try:
        for i in range(0, len(ids), batch):
            chunk = ids[i : i + batch]
            with transaction.atomic():
                # The one "figures changed" path: verification and roll-up from one evaluation.
                changed = person_figures_changed(person_ids=chunk).sessions_changed
                RecalculationRun.objects.filter(pk=run.pk).update(
                    done=F("done") + len(chunk), sessions_changed=F("sessions_changed") + changed
                )
            run.done += len(chunk)
            run.sessions_changed += changed
            if progress is not None:
                progress(run.done, run.total)
    except Exception:
        _finish(run, RecalculationStatus.FAILED, error=traceback.format_exc(limit=5))
        raise
    _finish(run, RecalculationStatus.DONE)
    return run


@transaction.atomic
def _finish(run: RecalculationRun, status: str, *, error: str = "") -> None:
    run.status = status
    run.finished_at = clock.now()
    run.error = error
    run.save(update_fields=["status", "finished_at", "error"])
    audit_record(
        user=run.triggered_by,
        action=f"ledger.recalculation_{status}",
        obj=run,
        details={
            "valid_from": run.valid_from.isoformat(),
            "persons": run.done,
            "total": run.total,
            "sessions_changed": run.sessions_changed,
        },
    )
