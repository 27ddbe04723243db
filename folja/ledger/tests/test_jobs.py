"""The recalculation job: a new guideline version or rate re-verifies everyone with figures
from its date, in batches, recording progress; queued after commit, durable in the database
until a worker runs it."""

from __future__ import annotations

import signal
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from folja.audit.models import AuditEvent
from folja.followup.services import rollup_verify
from folja.guidelines.models import GuidelineVersion
from folja.guidelines.services import guideline_version_create
from folja.ledger import jobs
from folja.ledger.models import RecalculationRun, RecalculationStatus, RecalculationTrigger
from folja.ledger.tests.conftest import CHANGE_DAY
from folja.testing.factories import make_user

DATABASE_BACKEND = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


def stricter_version(user=None):
    """A copy of the version in force with a 48-hour cut-off, from CHANGE_DAY."""
    base = GuidelineVersion.objects.filter(valid_from__lte=CHANGE_DAY).first()
    return guideline_version_create(
        user=user,
        name="Riktlinjer 2027",
        valid_from=CHANGE_DAY,
        model=base.model,
        period_anchor=base.period_anchor,
        late_cancellation_cutoff_hours=48,
        late_cancellation_charged=True,
        no_show_charged=True,
        expense_allowance_per_month=base.expense_allowance_per_month,
        costly_activity_yearly_ceiling=base.costly_activity_yearly_ceiling,
        free_review_threshold=base.free_review_threshold,
        reporting_deadline_days=base.reporting_deadline_days,
        storhelg=base.storhelg,
    )


def test_it_lists_the_persons_with_sessions_decisions_or_claims_from_the_date(
    cancellation, bystander
):
    assert jobs.affected_person_ids(CHANGE_DAY) == [cancellation.person_id]
    assert jobs.affected_person_ids(date(2025, 1, 1)) == sorted(
        [cancellation.person_id, bystander.pk]
    )


def test_a_new_version_recalculates_everyone_from_its_date_once_the_save_commits(
    cancellation, bystander, django_capture_on_commit_callbacks
):
    analyst = make_user("analyst")
    with django_capture_on_commit_callbacks(execute=True):
        saved = stricter_version(user=analyst)
        run = saved.recalculation
        # Not before the commit: the run waits, the figures are as they were.
        assert run.status == RecalculationStatus.QUEUED
        cancellation.refresh_from_db()
        assert cancellation.charged_minutes == 0
    run.refresh_from_db()
    assert run.status == RecalculationStatus.DONE
    assert (run.valid_from, run.trigger) == (CHANGE_DAY, RecalculationTrigger.GUIDELINE_VERSION)
    assert run.triggered_by == analyst
    assert run.trigger_label == "Riktlinjer 2027 (2027-02-01)"
    assert (run.total, run.done, run.sessions_changed, run.percent) == (1, 1, 1, 100)
    assert run.started_at is not None and run.finished_at is not None
    assert run.task_id
    cancellation.refresh_from_db()
    assert cancellation.charged_minutes == 210
    assert cancellation.payment_sek > Decimal("0")
    assert rollup_verify().count == 0
    actions = set(AuditEvent.objects.filter(object_id=str(run.pk)).values_list("action", flat=True))
    assert actions == {"ledger.recalculation_schedule", "ledger.recalculation_done"}


def test_a_rolled_back_save_queues_nothing(cancellation, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        stricter_version()
        raise RuntimeError("the surrounding write failed")
    assert callbacks == []
    assert not RecalculationRun.objects.exists()
    assert not GuidelineVersion.objects.filter(valid_from=CHANGE_DAY).exists()


def test_nothing_is_recorded_when_no_person_has_figures_from_the_date(ref, frozen):
    assert jobs.recalculation_schedule(valid_from=CHANGE_DAY, trigger="manual") is None
    assert not RecalculationRun.objects.exists()


def test_it_records_progress_batch_by_batch(cancellation, bystander):
    recorded: list[tuple[int, int, int]] = []

    def progress(done: int, total: int) -> None:
        recorded.append((done, total, RecalculationRun.objects.get().done))

    run = jobs.reverify_from(date(2025, 1, 1), progress=progress, batch=1)
    # Each report comes after its batch has been stored: what the admin reads is what is done.
    assert recorded == [(0, 2, 0), (1, 2, 1), (2, 2, 2)]
    assert run.status == RecalculationStatus.DONE
    assert run.trigger == RecalculationTrigger.MANUAL
    assert run.triggered_by_name == "system"


def test_a_failing_recalculation_is_recorded_as_failed(cancellation, monkeypatch):
    def broken(*, person_ids):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(jobs, "person_figures_changed", broken)
    with pytest.raises(RuntimeError):
        jobs.reverify_from(CHANGE_DAY)
    run = RecalculationRun.objects.get()
    assert run.status == RecalculationStatus.FAILED
    assert run.finished_at is not None
    assert "the database went away" in run.error
    assert (run.total, run.done) == (1, 0)


def test_a_run_delivered_twice_is_not_done_twice(cancellation, monkeypatch):
    run = jobs.reverify_from(CHANGE_DAY)
    monkeypatch.setattr(jobs, "reverify_from", lambda *a, **k: pytest.fail("ran again"))
    assert jobs.reverify_run.call(run.pk) == {"persons": 1, "sessions_changed": 0}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_queued_recalculation_waits_in_the_database_until_a_worker_runs_it(
    cancellation, settings
):
    # Really committed (a transactional test): the worker, like `make run`'s, works outside
    # any transaction of ours and sees only what was committed.
    settings.TASKS = DATABASE_BACKEND
    run = stricter_version().recalculation
    # Durable: the job is a row in the database, and nothing has run it yet.
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "folja.ledger.jobs.reverify_run"
    assert queued.status == "READY"
    assert queued.args_kwargs == {"args": [run.pk], "kwargs": {}}
    run.refresh_from_db()
    assert run.status == RecalculationStatus.QUEUED
    assert run.task_id == str(queued.id)
    cancellation.refresh_from_db()
    assert cancellation.charged_minutes == 0

    # The worker `make run` starts, run once over what is queued.
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert queued.return_value == {"persons": 1, "sessions_changed": 1}
    run.refresh_from_db()
    assert (run.status, run.done, run.total) == (RecalculationStatus.DONE, 1, 1)
    cancellation.refresh_from_db()
    assert cancellation.charged_minutes == 210
    assert rollup_verify().count == 0
