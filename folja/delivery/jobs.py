"""Background jobs of the delivery area (django-tasks; see folja.ledger.jobs for the backend):
the import of a session file uploaded in the browser."""

from __future__ import annotations

from django_tasks import task

from folja.delivery.services.uploads import session_upload_run


@task()
def import_session_upload(upload_id: int) -> dict:
    """The queued job: import one recorded upload. Arguments are JSON (the upload's id)."""
    upload = session_upload_run(upload_id=upload_id)
    return {"status": upload.status, "rows": upload.rows, "errors": len(upload.errors)}
