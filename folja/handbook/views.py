"""The activity handbook's pages: the catalogue for staff, and the central administration's
drafting and publishing of rulings. Reference data only: no view here reads a person."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from folja.accounts.models import Role
from folja.core import clock
from folja.core.permissions import role_required
from folja.handbook import selectors, services
from folja.handbook.forms import ActivityForm, RulingForm
from folja.handbook.models import Ruling, RulingStatus

CENTRAL = (Role.ANALYST, Role.ADMINISTRATOR)
STAFF = (
    Role.CASEWORKER,
    Role.UNIT_MANAGER,
    Role.PROVIDER_STAFF,
    Role.PROVIDER_ADMIN,
    Role.ANALYST,
    Role.ADMINISTRATOR,
)


@role_required(*STAFF)
def catalogue(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    rows = [
        {
            "activity": a,
            "ruling": r,
            "references": selectors.legal_reference_texts(r, today) if r else [],
        }
        for a, r in selectors.catalogue(user=request.user, on=today)
    ]
    drafts = (
        Ruling.objects.visible_to(request.user)
        .filter(status=RulingStatus.DRAFT)
        .select_related("activity")
    )
    return render(
        request,
        "handbook/catalogue.html",
        {"rows": rows, "drafts": drafts, "central": request.user.role in CENTRAL},
    )


@role_required(*STAFF)
def ruling_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ruling = get_object_or_404(
        Ruling.objects.visible_to(request.user).select_related("activity"), pk=pk
    )
    return render(
        request,
        "handbook/ruling_detail.html",
        {
            "ruling": ruling,
            "references": selectors.legal_reference_texts(ruling, ruling.valid_from),
            "versions": selectors.versions(user=request.user, activity=ruling.activity),
            "central": request.user.role in CENTRAL,
        },
    )


def _ruling_args(data: dict) -> dict:
    return {
        "kind": data["kind"],
        "conditions": data["conditions"],
        "reasoning": data["reasoning"],
        "legal_references": list(data["legal_references"]),
        "valid_from": data["valid_from"],
        "valid_to": data["valid_to"],
        "illustrative": data["illustrative"],
    }


@role_required(*CENTRAL)
def ruling_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    """A new version of a ruling, starting from the wording of the one it replaces."""
    base = get_object_or_404(
        Ruling.objects.visible_to(request.user).select_related("activity"), pk=pk
    )
    initial = {
        "kind": base.kind,
        "conditions": base.conditions,
        "reasoning": base.reasoning,
        "legal_references": base.legal_references,
        "illustrative": base.illustrative,
    }
    form = RulingForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.draft_ruling(
                user=request.user, activity=base.activity, **_ruling_args(form.cleaned_data)
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Utkastet är sparat. Granska det och publicera."))
            return redirect("handbook:ruling", pk=draft.pk)
    return render(request, "handbook/ruling_form.html", {"form": form, "activity": base.activity})


@role_required(*CENTRAL)
def activity_new(request: HttpRequest) -> HttpResponse:
    form = ActivityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                activity = services.add_activity(
                    user=request.user,
                    code=data["code"],
                    name=data["name"],
                    grey_zone=data["grey_zone"],
                )
                draft = services.draft_ruling(
                    user=request.user, activity=activity, **_ruling_args(data)
                )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Utkastet är sparat. Granska det och publicera."))
            return redirect("handbook:ruling", pk=draft.pk)
    return render(request, "handbook/ruling_form.html", {"form": form, "activity": None})


@role_required(*CENTRAL)
@require_POST
def ruling_publish(request: HttpRequest, pk: int) -> HttpResponse:
    ruling = get_object_or_404(Ruling.objects.visible_to(request.user), pk=pk)
    try:
        services.publish_ruling(user=request.user, ruling=ruling)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Tillämpningen är publicerad."))
    return redirect("handbook:ruling", pk=ruling.pk)
