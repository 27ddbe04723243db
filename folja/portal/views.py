"""The person's own pages ("Mina sidor"), for the person or a representative acting for them,
and the staff pages where feedback is answered. Thin views: reads in selectors, writes in
services; every read of a person's data is logged."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from folja.accounts.models import PROVIDER_ROLES, Role
from folja.audit.services import log_access, log_access_many
from folja.core.permissions import role_required
from folja.delivery.models import ClaimStatus
from folja.delivery.services import DeliveryError
from folja.portal import selectors, services
from folja.portal.forms import (
    ChoosePersonForm,
    CostlyActivityForm,
    ExpenseClaimForm,
    FeedbackForm,
    FeedbackReplyForm,
    ProviderChangeForm,
)
from folja.portal.models import Feedback, FeedbackAbout

PORTAL_ROLES = (Role.PERSON, Role.REPRESENTATIVE)
STAFF_ROLES = (Role.CASEWORKER, Role.UNIT_MANAGER, Role.PROVIDER_STAFF, Role.PROVIDER_ADMIN)

portal_only = role_required(*PORTAL_ROLES)


def _today() -> date:
    return date.today()


def _context(request: HttpRequest, person, **extra) -> dict:
    return {
        "person": person,
        # Only a representative can act for more than one person.
        "several_principals": request.user.role == Role.REPRESENTATIVE
        and selectors.principals(user=request.user).count() > 1,
        **extra,
    }


@portal_only
def home(request: HttpRequest) -> HttpResponse:
    person = selectors.active_person(request)
    log_access(user=request.user, person=person, what="portal_hours", path=request.path)
    overview = selectors.hours_overview(user=request.user, person=person, on=_today())
    return render(request, "portal/home.html", _context(request, person, overview=overview))


@portal_only
@require_http_methods(["GET", "POST"])
def choose_person(request: HttpRequest) -> HttpResponse:
    persons = list(selectors.principals(user=request.user))
    if len(persons) == 1:
        # Nothing to choose: straight to the one principal (a person, or a representative
        # of one), rather than a form with a single option.
        request.session[selectors.ACTIVE_PERSON_KEY] = persons[0].pk
        return redirect("portal:home")
    form = ChoosePersonForm(request.POST or None, persons=persons)
    if request.method == "POST" and form.is_valid():
        request.session[selectors.ACTIVE_PERSON_KEY] = form.cleaned_data["person"]
        return redirect("portal:home")
    if request.method == "GET":
        form.initial["person"] = selectors.active_person(request).pk
    log_access_many(user=request.user, persons=persons, what="portal_principals", path=request.path)
    return render(request, "portal/choose_person.html", {"form": form, "persons": persons})


@portal_only
@require_http_methods(["GET", "POST"])
def providers(request: HttpRequest) -> HttpResponse:
    person = selectors.active_person(request)
    log_access(user=request.user, person=person, what="portal_providers", path=request.path)
    current = selectors.current_provider(user=request.user, person=person)
    form = ProviderChangeForm(
        request.POST or None, providers=selectors.lov_providers(), current=current
    )
    if request.method == "POST" and form.is_valid():
        services.provider_change_request(
            user=request.user,
            person=person,
            from_provider=current,
            to_provider=form.cleaned_data["to_provider"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            request, _("Tack! Din handläggare har fått din begäran om att byta utförare.")
        )
        return redirect("portal:providers")
    rows = selectors.provider_comparison(current=current, on=_today())
    return render(
        request,
        "portal/providers.html",
        _context(request, person, rows=rows, current=current, form=form),
    )


@portal_only
def money(request: HttpRequest) -> HttpResponse:
    person = selectors.active_person(request)
    log_access(user=request.user, person=person, what="portal_money", path=request.path)
    overview = selectors.hours_overview(user=request.user, person=person, on=_today())
    return render(
        request,
        "portal/money.html",
        _context(
            request,
            person,
            balance=overview.balance,
            money=overview.money,
            claims=selectors.expense_claims(user=request.user, person=person),
            costly=selectors.costly_activities(user=request.user, person=person),
        ),
    )


@portal_only
@require_http_methods(["GET", "POST"])
def expense_new(request: HttpRequest) -> HttpResponse:
    person = selectors.active_person(request)
    log_access(user=request.user, person=person, what="portal_expense_form", path=request.path)
    form = ExpenseClaimForm(
        request.POST or None,
        request.FILES or None,
        activities=selectors.linkable_costly_activities(user=request.user, person=person),
    )
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.expense_claim_submit(
                user=request.user,
                person=person,
                date=form.cleaned_data["date"],
                amount_sek=form.cleaned_data["amount_sek"],
                description=form.cleaned_data["description"],
                receipt=form.cleaned_data["receipt"],
                provider=selectors.current_provider(user=request.user, person=person),
                costly_activity=form.cleaned_data.get("costly_activity"),
            )
        except DeliveryError as exc:
            field = "costly_activity" if exc.field == "costly_activity_id" else exc.field
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            if claim.status == ClaimStatus.PENDING:
                messages.success(
                    request,
                    _(
                        "Tack! Ditt kvitto är skickat. Det är mer än det som är kvar av "
                        "omkostnadsersättningen, så din handläggare beslutar om det."
                    ),
                )
            else:
                messages.success(request, _("Tack! Ditt kvitto är skickat."))
            return redirect("portal:money")
    return render(request, "portal/expense_form.html", _context(request, person, form=form))


@portal_only
@require_http_methods(["GET", "POST"])
def costly_new(request: HttpRequest) -> HttpResponse:
    person = selectors.active_person(request)
    log_access(user=request.user, person=person, what="portal_costly_form", path=request.path)
    form = CostlyActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.costly_activity_apply(user=request.user, person=person, **form.cleaned_data)
        messages.success(request, _("Tack! Din ansökan är skickad till din handläggare."))
        return redirect("portal:money")
    return render(request, "portal/costly_form.html", _context(request, person, form=form))


@portal_only
def feedback(request: HttpRequest) -> HttpResponse:
    person = selectors.active_person(request)
    log_access(user=request.user, person=person, what="portal_feedback", path=request.path)
    items = selectors.person_feedback(user=request.user, person=person)
    return render(request, "portal/feedback.html", _context(request, person, items=items))


@portal_only
@require_http_methods(["GET", "POST"])
def feedback_new(request: HttpRequest) -> HttpResponse:
    person = selectors.active_person(request)
    log_access(user=request.user, person=person, what="portal_feedback_form", path=request.path)
    provider = selectors.current_provider(user=request.user, person=person)
    form = FeedbackForm(request.POST or None, has_provider=provider is not None)
    if request.method == "POST" and form.is_valid():
        services.feedback_submit(
            user=request.user, person=person, provider=provider, **form.cleaned_data
        )
        messages.success(request, _("Tack! Vi har tagit emot dina synpunkter."))
        return redirect("portal:feedback")
    return render(
        request,
        "portal/feedback_form.html",
        _context(request, person, form=form, provider=provider),
    )


# --- staff: answering feedback -----------------------------------------------------------------


def _may_reply(user, item: Feedback) -> bool:
    """Routing: the provider answers feedback about itself, the district the rest."""
    if user.role in PROVIDER_ROLES:
        return item.about == FeedbackAbout.PROVIDER
    return item.about == FeedbackAbout.DISTRICT


@role_required(*STAFF_ROLES)
def feedback_inbox(request: HttpRequest) -> HttpResponse:
    items = list(selectors.staff_feedback(user=request.user)[:200])
    log_access_many(
        user=request.user,
        persons={i.person_id: i.person for i in items}.values(),
        what="feedback_inbox",
        path=request.path,
    )
    rows = [{"item": i, "may_reply": _may_reply(request.user, i)} for i in items]
    return render(request, "portal/staff_feedback_list.html", {"rows": rows})


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def feedback_reply(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.staff_feedback(user=request.user), pk=pk)
    log_access(user=request.user, person=item.person, what="feedback", path=request.path)
    may_reply = _may_reply(request.user, item)
    form = FeedbackReplyForm(request.POST or None, initial={"reply": item.reply})
    if request.method == "POST":
        if not may_reply:
            # Routed elsewhere: the page is readable, but this role does not answer it.
            return render(
                request,
                "portal/staff_feedback_reply.html",
                {"item": item, "form": form, "may_reply": False},
                status=400,
            )
        if form.is_valid():
            services.feedback_reply(
                user=request.user, feedback=item, reply=form.cleaned_data["reply"]
            )
            messages.success(request, _("Svaret är sparat och visas för personen."))
            return redirect("portal:feedback_inbox")
    return render(
        request,
        "portal/staff_feedback_reply.html",
        {"item": item, "form": form, "may_reply": may_reply},
    )
