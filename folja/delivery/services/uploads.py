"""The monthly file uploaded in the browser: recorded, then imported by a background job
(django-tasks, as the ledger's recalculations are) through the one all-or-nothing import,
`sessions_import`, that the API uses. There is no second import path: the job reads the file
with the same reader (`import_rows_from_csv`) and hands the rows to the same service.

The job's progress is the step it has reached (UPLOAD_STEPS), written outside the import's
transaction so the progress page can read it while the import runs; the import itself is one
transaction, so nothing of a refused file is ever visible.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from folja.audit.services import audit_record
from folja.core import clock
from folja.delivery.models import SessionUpload, UploadStatus
from folja.delivery.services.common import DeliveryError
from folja.delivery.services.import_csv import import_rows_from_csv
from folja.delivery.services.imports import ImportRejected, RowError, sessions_import

log = logging.getLogger(__name__)

UPLOAD_MAX_BYTES = 20 * 1024 * 1024
# The steps the progress bar counts: the last one is "done" (imported or refused).
UPLOAD_STEPS = (
    gettext_lazy("Filen har tagits emot och väntar på sin tur"),
    gettext_lazy("Filen läses"),
    gettext_lazy("Raderna kontrolleras och sparas"),
    gettext_lazy("Klart"),
)
# Errors kept per upload (a file with every row wrong has as many; the report shows these).
MAX_ERRORS = 10_000


@transaction.atomic
def session_upload_create(*, user, provider, filename: str, content: bytes) -> SessionUpload:
    """Record an uploaded file and queue its import once this transaction commits."""
    if not content:
        raise DeliveryError("file", "empty", _("Filen är tom."))
    if len(content) > UPLOAD_MAX_BYTES:
        raise DeliveryError(
            "file",
            "too_large",
            _("Filen är större än %(mb)s MB.") % {"mb": UPLOAD_MAX_BYTES // (1024 * 1024)},
        )
    upload = SessionUpload.objects.create(
        provider=provider,
        uploaded_by=user,
        filename=(filename or "pass.csv")[:200],
        content=content,
        created_at=clock.now(),
    )
    audit_record(
        user=user,
        action="session.upload",
        obj=provider,
        details={"upload": upload.pk, "filename": upload.filename, "bytes": len(content)},
    )
    upload_id = upload.pk
    transaction.on_commit(lambda: _enqueue(upload_id))
    return upload


def _enqueue(upload_id: int) -> None:
    from folja.delivery.jobs import import_session_upload

    result = import_session_upload.enqueue(upload_id)
    SessionUpload.objects.filter(pk=upload_id).update(task_id=str(result.id)[:64])


def _step(upload: SessionUpload, step: int, **fields) -> None:
    # Outside any transaction: each step commits at once, for the progress page to see.
    fields["step"] = step
    for name, value in fields.items():
        setattr(upload, name, value)
    SessionUpload.objects.filter(pk=upload.pk).update(**fields)


def _file_rows(errors: list[RowError], row_numbers: list[int]) -> list[dict]:
    """The service's errors with each row's number in the file, as a spreadsheet shows it."""
    out = []
    for e in errors[:MAX_ERRORS]:
        file_row = row_numbers[e.row - 1] if 1 <= e.row <= len(row_numbers) else e.row
        out.append({"row": file_row, "field": e.field, "code": e.code, "message": str(e.message)})
    return out


def session_upload_run(*, upload_id: int) -> SessionUpload:
    """The job's work: read the file, import it all or nothing, record the outcome."""
    upload = SessionUpload.objects.select_related("provider", "uploaded_by").get(pk=upload_id)
    if upload.status not in (UploadStatus.QUEUED, UploadStatus.RUNNING):
        return upload  # delivered twice: already done
    _step(upload, 1, status=UploadStatus.RUNNING)
    row_numbers: list[int] = []
    try:
        read = import_rows_from_csv(bytes(upload.content))
        row_numbers = read.row_numbers
        _step(upload, 2, rows=len(read.rows))
        result = sessions_import(user=upload.uploaded_by, provider=upload.provider, rows=read.rows)
    except ImportRejected as exc:
        _finish(upload, UploadStatus.REFUSED, errors=_file_rows(exc.errors, row_numbers))
        return upload
    except Exception:
        log.exception("session upload %s failed", upload.pk)
        _finish(upload, UploadStatus.FAILED)
        raise
    _finish(
        upload,
        UploadStatus.DONE,
        result={
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "flagged": len(result.flagged),
        },
    )
    return upload


@transaction.atomic
def _finish(upload: SessionUpload, status: str, *, result=None, errors=None) -> None:
    _step(
        upload,
        len(UPLOAD_STEPS) - 1,
        status=status,
        result=result or {},
        errors=errors or [],
        content=b"",  # the file's personnummer are not kept beyond the import
        finished_at=clock.now(),
    )
    audit_record(
        user=upload.uploaded_by,
        action=f"session.upload_{status}",
        obj=upload.provider,
        details={"upload": upload.pk, "rows": upload.rows, "errors": len(errors or [])},
    )
