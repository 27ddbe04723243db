"""Pages of their own the work list leads to: why a decision was not carried out, and the
person's choice of provider."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from folja.audit.services import log_access
from folja.cases import services
from folja.cases.forms_worklist import NonExecutionReasonForm, ProviderChoiceForm
from folja.cases.models import NonExecution
from folja.cases.returning import back
from folja.cases.selectors_choice import latest_provider_choice, no_choice_provider
from folja.cases.views import casework, get_decision
from folja.core.clock import today as local_today
from folja.portal import selectors as portal_selectors


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


@casework
@require_http_methods(["GET", "POST"])
def provider_choice(request: HttpRequest, pk: int) -> HttpResponse:
    """The caseworker and the person compare the providers (the same table the person sees on
    Mina sidor) and the caseworker records the person's choice, or the no-choice alternative;
    then on to the order, which starts from that choice."""
    decision = get_decision(request, pk)
    if not decision.is_granted or decision.superseded_by_id is not None:
        raise Http404
    person = decision.person
    log_access(user=request.user, person=person, what="provider_choice", path=request.path)
    current = portal_selectors.current_provider(user=request.user, person=person)
    latest = latest_provider_choice(decision=decision)
    initial = {"kind": latest.kind, "provider": latest.provider_id} if latest else None
    form = ProviderChoiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            choice = services.provider_choice_record(
                decision=decision,
                user=request.user,
                kind=form.cleaned_data["kind"],
                provider=form.cleaned_data["provider"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("Valet av utförare är sparat: %(name)s.") % {"name": choice.provider.name},
            )
            return back(request, "cases:order_create", pk=decision.pk)
    return render(
        request,
        "cases/provider_choice.html",
        {
            "decision": decision,
            "person": person,
            "form": form,
            "rows": portal_selectors.provider_comparison(current=current, on=local_today()),
            "current": current,
            "latest": latest,
            "no_choice": no_choice_provider(on=local_today()),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
