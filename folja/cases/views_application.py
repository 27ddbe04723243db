"""An application as the caseworker reads it: what the person wrote in an e-application, the
documents they attached, and the way on to the assessment."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from folja.audit.services import log_access
from folja.cases.models import ApplicationAttachment
from folja.cases.views import casework, get_application


@casework
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    log_access(user=request.user, person=application.person, what="application", path=request.path)
    attachments = ApplicationAttachment.objects.visible_to(request.user).filter(
        application=application
    )
    return render(
        request,
        "cases/application.html",
        {
            "application": application,
            "person": application.person,
            "attachments": attachments,
            "decisions": application.decisions.visible_to(request.user),
        },
    )


@casework
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(
        ApplicationAttachment.objects.visible_to(request.user)
        .filter(application__isnull=False)
        .select_related("person"),
        pk=pk,
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    log_access(
        user=request.user,
        person=attachment.person,
        what="application_attachment",
        path=request.path,
    )
    # The type was judged from the file's bytes on upload; the name is ours, not the sender's.
    extension = mimetypes.guess_extension(attachment.content_type) or ""
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        filename=f"bilaga-{attachment.application_id}-{attachment.pk}{extension}",
        as_attachment=not attachment.content_type.startswith("image/"),
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
