"""E-application on Mina sidor: the form, and the list of the person's applications with their
status. The person, or a representative acting for the person chosen (active_person), applies;
reads logged, writes in folja.portal.services_application."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from folja.audit.services import log_access
from folja.portal import selectors
from folja.portal.forms_application import EApplicationForm
from folja.portal.selectors_application import person_applications
from folja.portal.services_application import (
    AttachmentRefused,
    attachment_discard,
    attachment_store,
    e_application_submit,
    pending_attachments,
)
from folja.portal.views import _context, portal_only


@portal_only
def applications(request: HttpRequest) -> HttpResponse:
    person = selectors.active_person(request)
    log_access(user=request.user, person=person, what="portal_applications", path=request.path)
    rows = person_applications(user=request.user, person=person)
    return render(request, "portal/applications.html", _context(request, person, rows=rows))


def _discard_ids(request: HttpRequest) -> list[int]:
    # Checkboxes "ta bort" next to documents kept from an earlier try.
    return [int(v) for v in request.POST.getlist("ta_bort") if v.isascii() and v.isdigit()][:20]


@portal_only
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest) -> HttpResponse:
    person = selectors.active_person(request)
    log_access(user=request.user, person=person, what="portal_application_form", path=request.path)
    if request.method == "POST":
        attachment_discard(user=request.user, person=person, attachment_ids=_discard_ids(request))
    kept = list(pending_attachments(user=request.user, person=person))
    # Bound on every POST, an empty one too (an unbound form has no cleaned_data).
    posted = request.method == "POST"
    form = EApplicationForm(
        request.POST if posted else None, request.FILES if posted else None, kept=len(kept)
    )
    if request.method == "POST":
        form.is_valid()
        # Documents are stored as soon as they pass, whatever else needs correcting.
        for upload in form.cleaned_data.get("attachments", []):
            try:
                kept.append(attachment_store(user=request.user, person=person, upload=upload))
            except AttachmentRefused as exc:
                form.add_error("attachments", exc.message)
        if not form.errors:
            data = form.cleaned_data
            e_application_submit(
                user=request.user,
                person=person,
                kind=data["kind"],
                needs=data["needs"],
                activities=data["activities"],
                catalogue_activities=data["catalogue_activities"],
                requested_act=data["requested_act"],
                requested_hours_per_month=data["requested_hours_per_month"],
            )
            messages.success(
                request,
                _(
                    "Tack! Din ansökan är skickad. Din handläggare hör av sig. Du ser hur det "
                    "går här."
                ),
            )
            return redirect("portal:applications")
    return render(
        request,
        "portal/application_form.html",
        _context(request, person, form=form, kept=kept),
        status=400 if form.is_bound and form.errors else 200,
    )
