"""The one way a receipt leaves the system: to a user whose scope holds the claim (the person
and their representative, the person's district, the provider on the claim), logged as a read
of the person's data. Receipts are never public files."""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from folja.audit.services import log_access
from folja.delivery.models import ExpenseClaim


@login_required
@require_GET
def receipt(request: HttpRequest, pk: int) -> FileResponse:
    claim = get_object_or_404(
        ExpenseClaim.objects.visible_to(request.user).select_related("person"), pk=pk
    )
    if not claim.receipt:
        raise Http404
    try:
        handle = claim.receipt.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    log_access(user=request.user, person=claim.person, what="receipt", path=request.path)
    # The type was judged from the file's bytes on upload; the name is ours, not the sender's.
    content_type = claim.receipt_content_type or "application/octet-stream"
    extension = mimetypes.guess_extension(content_type) or ""
    response = FileResponse(
        handle,
        content_type=content_type,
        filename=f"kvitto-{claim.pk}{extension}",
        # A photo opens in the browser; a PDF is downloaded, as browsers' PDF viewers do not
        # run in the sandbox below.
        as_attachment=not content_type.startswith("image/"),
    )
    # Never able to run anything, even if a file slipped through the upload check.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
