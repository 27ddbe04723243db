"""The monthly file uploaded in the browser: recorded, then imported by a background job
(django-tasks, as the ledger's recalculations are) through the one all-or-nothing import,
`sessions_import`, that the API uses. There is no second import path: the job reads the file
with the same reader (`import_rows_from_csv`) and hands the rows to the same service.

The job's progress is the step it has reached (UPLOAD_STEPS). The steps before the import are
written as they happen; the import itself is one transaction (nothing of a refused file is
ever visible), so the stages it reports inside it (verifying, storing) are written on a
connection of their own, which the progress page sees at once (PostgreSQL; SQLite has one
writer at a time, which the import holds, so there the bar moves from checking to done).
"""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
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
    gettext_lazy("Raderna kontrolleras"),
    gettext_lazy("Passen räknas med riktlinjernas regler"),
    gettext_lazy("Passen sparas"),
    gettext_lazy("Klart"),
)
# The import's own stages (`sessions_import(progress=...)`) and their steps.
IMPORT_STAGES = {"verifying": 3, "storing": 4}


class _SideChannel:
    """Steps written on a database connection of the job's own, outside the import's
    transaction, so they are visible while it runs. Nothing on SQLite (see the module)."""

    def __init__(self, upload_id: int) -> None:
        self.upload_id = upload_id
        self.conn = (
            connections.create_connection(DEFAULT_DB_ALIAS)
            if connection.vendor == "postgresql"
            else None
        )

    def stage(self, name: str) -> None:
        if self.conn is None or name not in IMPORT_STAGES:
            return
        table = SessionUpload._meta.db_table
        with self.conn.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" SET step = %s WHERE id = %s',  # noqa: S608 - the model's table
                [IMPORT_STAGES[name], self.upload_id],
            )

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


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


# The import's own row errors are in English for API clients (their codes are what programs
# read); the upload page and its error report show them in the reader's language, by code.
# (The errors of the file's reader and of a session's times are already translated texts.)
_ROW_ERROR_TEXT = {
    ("external_id", "required"): gettext_lazy("external_id saknas."),
    ("external_id", "too_long"): gettext_lazy("external_id får vara högst 80 tecken."),
    ("external_id", "duplicate_in_file"): gettext_lazy(
        "Samma external_id finns på en annan rad i filen."
    ),
    ("external_id", "external_id_taken"): gettext_lazy(
        "external_id används redan för ett pass med en annan person."
    ),
    ("personnummer", "required"): gettext_lazy("Personnummer saknas."),
    ("personnummer", "invalid"): gettext_lazy("Personnumret är inte giltigt."),
    ("personnummer", "unknown_person"): gettext_lazy("Ni har ingen beställning för personen."),
    ("order_id", "invalid"): gettext_lazy("order_id ska vara ett heltal."),
    ("order_id", "unknown_order"): gettext_lazy("Ni har ingen beställning med det numret."),
    ("order_id", "order_person_mismatch"): gettext_lazy("Beställningen gäller en annan person."),
    ("escort_id", "invalid"): gettext_lazy("escort_id ska vara ett heltal."),
    ("escort_id", "unknown_escort"): gettext_lazy("Ni har ingen ledsagare med det numret."),
    ("start", "required"): gettext_lazy("Starttid saknas."),
    ("end", "required"): gettext_lazy("Sluttid saknas."),
    ("start", "invalid_datetime"): gettext_lazy("Ange starttiden som ÅÅÅÅ-MM-DD TT:MM."),
    ("end", "invalid_datetime"): gettext_lazy("Ange sluttiden som ÅÅÅÅ-MM-DD TT:MM."),
    ("cancelled_at", "invalid_datetime"): gettext_lazy(
        "Ange avbokningstiden som ÅÅÅÅ-MM-DD TT:MM."
    ),
    ("cancelled_at", "required"): gettext_lazy("Avbokningstid krävs när personen avbokat."),
    ("status", "invalid_choice"): gettext_lazy("Okänd status: se koderna under ”Filens format”."),
    ("escorts", "invalid"): gettext_lazy("Antal ledsagare ska vara 1 eller 2."),
}


def row_error_text(error: dict) -> str:
    """An error of an upload in words, in the current language."""
    if error.get("code") == "unknown_column":
        return _("Kolumnen '%(name)s' ingår inte i formatet.") % {"name": error.get("field", "")}
    text = _ROW_ERROR_TEXT.get((error.get("field"), error.get("code")))
    return str(text) if text is not None else str(error.get("message", ""))


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
        channel = _SideChannel(upload.pk)
        try:
            result = sessions_import(
                user=upload.uploaded_by,
                provider=upload.provider,
                rows=read.rows,
                progress=channel.stage,
            )
        finally:
            channel.close()
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
