"""Uploading the monthly session file in the browser: the upload page (with the file format),
the progress page, the small JSON status it polls, and the per-row error report of a refused
file. The import itself is the API's (`sessions_import`), run as a background job."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from folja.core.csv_writer import csv_response
from folja.core.permissions import role_required
from folja.delivery.models import SessionUpload, UploadStatus
from folja.delivery.services import (
    FILE_HELP,
    DeliveryError,
    column_help,
    status_help,
)
from folja.delivery.services.uploads import (
    UPLOAD_MAX_BYTES,
    UPLOAD_STEPS,
    row_error_text,
    session_upload_create,
)
from folja.providers.forms import SessionUploadForm
from folja.providers.views import STAFF

# The error report's columns (docs/data-dictionary.md).
ERROR_REPORT_COLUMNS = ["rad", "kolumn", "kod", "meddelande"]
ERRORS_SHOWN = 100
FINISHED = (UploadStatus.DONE, UploadStatus.REFUSED, UploadStatus.FAILED)


def _upload(request: HttpRequest, upload_id: int) -> SessionUpload:
    return get_object_or_404(SessionUpload.objects.visible_to(request.user), pk=upload_id)


@role_required(*STAFF)
def upload(request: HttpRequest) -> HttpResponse:
    form = SessionUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            created = session_upload_create(
                user=request.user,
                provider=request.user.provider,
                filename=file.name,
                # One byte past the limit is enough for the service to refuse a file too large.
                content=file.read(UPLOAD_MAX_BYTES + 1),
            )
        except DeliveryError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("providers:upload_detail", upload_id=created.pk)
    recent = SessionUpload.objects.visible_to(request.user).defer("content")[:10]
    return render(
        request,
        "providers/upload.html",
        {
            "form": form,
            "columns": column_help(),
            "statuses": status_help(),
            "file_help": FILE_HELP,
            "recent": recent,
            "max_mb": UPLOAD_MAX_BYTES // 2**20,
        },
    )


def _status(up: SessionUpload) -> dict:
    return {
        "status": up.status,
        "label": up.get_status_display(),
        "step": up.step,
        "steps": len(UPLOAD_STEPS) - 1,
        "step_label": str(UPLOAD_STEPS[min(up.step, len(UPLOAD_STEPS) - 1)]),
        "rows": up.rows,
        "finished": up.status in FINISHED,
    }


@role_required(*STAFF)
def upload_detail(request: HttpRequest, upload_id: int) -> HttpResponse:
    up = _upload(request, upload_id)
    return render(
        request,
        "providers/upload_detail.html",
        {
            "upload": up,
            "state": _status(up),
            "errors": [{**e, "text": row_error_text(e)} for e in up.errors[:ERRORS_SHOWN]],
            "error_count": len(up.errors),
            "finished": up.status in FINISHED,
        },
    )


@role_required(*STAFF)
def upload_status(request: HttpRequest, upload_id: int) -> JsonResponse:
    return JsonResponse(_status(_upload(request, upload_id)))


@role_required(*STAFF)
def upload_errors(request: HttpRequest, upload_id: int) -> HttpResponse:
    up = _upload(request, upload_id)
    rows = ([e["row"], e["field"], e["code"], row_error_text(e)] for e in up.errors)
    return csv_response(f"fel-passfil-{up.pk}.csv", ERROR_REPORT_COLUMNS, rows)
