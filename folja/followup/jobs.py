"""Background jobs of the follow-up (django-tasks; see folja.ledger.jobs for the backend): the
tertial report asked for in the browser, which takes a while for the whole city."""

from __future__ import annotations

from django_tasks import task

from folja.followup.services import tertial_report_run


@task()
def make_tertial_report(run_id: int) -> dict:
    """The queued job: write one requested report. Arguments are JSON (the run's id)."""
    run = tertial_report_run(run_id=run_id)
    return {"status": run.status, "pdf_bytes": len(run.pdf), "xlsx_bytes": len(run.xlsx)}
