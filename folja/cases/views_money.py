"""The caseworker's decisions on expense claims and costly-activity money. Thin: fetch through
`visible_to` (404 outside the district), log the read, call the service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from folja.audit.services import log_access
from folja.cases import services_money
from folja.cases.forms import CostlyActivityDecisionForm, ExpenseClaimDecisionForm
from folja.cases.returning import back
from folja.cases.views import casework
from folja.delivery.models import CostlyActivityApplication, ExpenseClaim


def _decide_or_show(request: HttpRequest, *, form, decide, template: str, context: dict):
    """The shared shape of a money decision: on a valid POST call `decide`, show its refusal
    next to the field, else go back to the person page."""
    if request.method == "POST" and form.is_valid():
        try:
            decide(form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Beslutet är sparat."))
            return back(request, "cases:person_detail", pk=context["person"].pk)
    return render(
        request,
        template,
        {**context, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@casework
@require_http_methods(["GET", "POST"])
def claim_decide(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(
        ExpenseClaim.objects.visible_to(request.user).select_related(
            "person", "provider", "costly_activity"
        ),
        pk=pk,
    )
    log_access(user=request.user, person=claim.person, what="expense_claim", path=request.path)
    return _decide_or_show(
        request,
        form=ExpenseClaimDecisionForm(request.POST or None),
        decide=lambda data: services_money.expense_claim_decide(
            claim=claim, user=request.user, approve=data["verdict"] == "approve", note=data["note"]
        ),
        template="cases/claim_decide.html",
        context={
            "claim": claim,
            "person": claim.person,
            "undecided": claim.status in services_money.UNDECIDED_CLAIM,
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def costly_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        CostlyActivityApplication.objects.visible_to(request.user).select_related("person"),
        pk=pk,
    )
    log_access(
        user=request.user, person=application.person, what="costly_activity", path=request.path
    )
    form = CostlyActivityDecisionForm(
        request.POST or None, initial={"approved_amount_sek": application.estimated_cost_sek}
    )
    return _decide_or_show(
        request,
        form=form,
        decide=lambda data: services_money.costly_activity_decide(
            application=application,
            user=request.user,
            approve=data["verdict"] == "approve",
            approved_amount_sek=data["approved_amount_sek"],
            note=data["note"],
        ),
        template="cases/costly_decide.html",
        context={
            "application": application,
            "person": application.person,
            "ceiling_left": services_money.costly_ceiling_left(application=application),
        },
    )
