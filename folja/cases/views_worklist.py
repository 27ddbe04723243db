"""Work-list pages of their own: recording why a decision was not carried out."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from folja.audit.services import log_access
from folja.cases import services
from folja.cases.forms_worklist import NonExecutionReasonForm
from folja.cases.models import NonExecution
from folja.cases.returning import back
from folja.cases.views import casework, get_decision


@casework
@require_http_methods(["GET", "POST"])
def non_execution_reason(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision's entries in the register of decisions not carried out, and the reason
    for the oldest one that has none yet."""
    decision = get_decision(request, pk)
    person = decision.person
    log_access(user=request.user, person=person, what="non_execution", path=request.path)
    entries = list(
        NonExecution.objects.visible_to(request.user)
        .filter(decision=decision)
        .select_related("reason_recorded_by")
    )
    open_entry = next((e for e in entries if not e.reason), None)
    form = NonExecutionReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if open_entry is None:
            form.add_error(None, _("Det finns inget skäl kvar att ange för det här beslutet."))
        else:
            try:
                services.non_execution_reason_record(
                    entry=open_entry,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    reason_text=form.cleaned_data["reason_text"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request, _("Skälet är sparat i registret över ej verkställda beslut.")
                )
                return back(request, "cases:decision_detail", pk=decision.pk)
    return render(
        request,
        "cases/non_execution.html",
        {
            "entries": entries,
            "open_entry": open_entry,
            "person": person,
            "decision": decision,
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
