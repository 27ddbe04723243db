"""Provider portal: order inbox, order page, implementation plan, matching, escorts, API keys.

Provider staff see only their own provider's orders and, of a person, only what the order
carries (name, personnummer, handover fields, decision hours and validity)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from folja.accounts.models import Role
from folja.audit.services import log_access, log_access_many
from folja.core import clock
from folja.core.forms import ConfirmForm
from folja.core.permissions import role_required
from folja.delivery.models import Session
from folja.ledger.guidelines import version_in_force
from folja.providers import selectors
from folja.providers.forms import EscortForm, OrderSearchForm, PlanForm, TokenForm
from folja.providers.models import ApiToken, Escort, Order, OrderNotice
from folja.providers.services import (
    ProviderError,
    escort_save,
    order_accept,
    order_notice_acknowledge,
    plan_create,
    token_create,
    token_revoke,
)

STAFF = (Role.PROVIDER_STAFF, Role.PROVIDER_ADMIN)
ACTIVE_PAGE_SIZE = 50


def _order(request: HttpRequest, order_id: int) -> Order:
    return get_object_or_404(selectors.orders_for(user=request.user), pk=order_id)


@role_required(*STAFF)
def inbox(request: HttpRequest) -> HttpResponse:
    """New orders in full (they wait for an answer); the ongoing assignments a page at a time,
    searchable by name, because a large provider has hundreds."""
    form = OrderSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    new_orders = selectors.with_decisions_in_force(selectors.new_orders(user=request.user))
    active = Paginator(
        selectors.active_orders(user=request.user, query=query), ACTIVE_PAGE_SIZE
    ).get_page(request.GET.get("sida"))
    active.object_list = selectors.with_decisions_in_force(active.object_list)
    open_notices = selectors.open_notices(user=request.user)
    notices = selectors.with_changes(open_notices[: selectors.OPEN_NOTICES_SHOWN])
    # Counting is only needed when the list was cut short.
    cut = len(notices) == selectors.OPEN_NOTICES_SHOWN
    open_count = open_notices.count() if cut else len(notices)
    shown = [*new_orders, *active.object_list, *(n.order for n in notices)]
    log_access_many(
        user=request.user,
        persons={o.person_id: o.person for o in shown}.values(),
        what="provider: order inbox",
        path=request.path,
    )
    provider = request.user.provider
    guideline = version_in_force(clock.today())
    return render(
        request,
        "providers/inbox.html",
        {
            "form": form,
            "new_orders": new_orders,
            "notices": notices,
            "open_notice_count": open_count,
            "active_page": active,
            "pager_query": urlencode({"q": query}) if query else "",
            "provider": provider,
            "guideline": guideline,
            "differences": selectors.policy_differences(provider, guideline),
        },
    )


@role_required(*STAFF)
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order(request, order_id)
    log_access(user=request.user, person=order.person, what="provider: order", path=request.path)
    notices = selectors.with_changes(selectors.notices_for(user=request.user, order=order))
    sessions = selectors.session_rows(
        Session.objects.visible_to(request.user)
        .filter(order=order)
        .select_related("escort")
        .order_by("-start")[:50]
    )
    return render(
        request,
        "providers/order_detail.html",
        {
            "order": order,
            "decision": selectors.decision_in_force(order),
            "open_notices": [n for n in notices if n.acknowledged_at is None],
            "past_notices": [n for n in notices if n.acknowledged_at is not None],
            "plan": selectors.latest_plan(order=order),
            "sessions": sessions,
        },
    )


@require_POST
@role_required(*STAFF)
def order_accept_view(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order(request, order_id)
    try:
        order_accept(user=request.user, order=order)
    except ProviderError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Beställningen är accepterad."))
    return redirect("providers:order", order_id=order.pk)


@require_POST
@role_required(*STAFF)
def notice_acknowledge_view(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Acknowledge one notice of a changed decision; back to the page it was read on."""
    notice = get_object_or_404(
        OrderNotice.objects.visible_to(request.user).select_related("order"), pk=notice_id
    )
    try:
        order_notice_acknowledge(user=request.user, notice=notice)
    except ProviderError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Ändringen är kvitterad."))
    if request.POST.get("from") == "order":
        return redirect("providers:order", order_id=notice.order_id)
    return redirect("providers:inbox")


@role_required(*STAFF)
def plan(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order(request, order_id)
    log_access(
        user=request.user,
        person=order.person,
        what="provider: implementation plan",
        path=request.path,
    )
    plans = list(selectors.plans_for(order=order))
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            created = plan_create(user=request.user, order=order, **form.cleaned_data)
            messages.success(
                request,
                _("Version %(v)s av genomförandeplanen är sparad.") % {"v": created.version},
            )
            return redirect("providers:plan", order_id=order.pk)
    else:
        latest = plans[0] if plans else None
        initial = (
            {f: getattr(latest, f) for f in PlanForm.base_fields}
            if latest
            else {"goals": order.goals, "activities": order.activities}
        )
        form = PlanForm(initial=initial)
    return render(request, "providers/plan.html", {"order": order, "plans": plans, "form": form})


@role_required(*STAFF)
def matching(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order(request, order_id)
    log_access(user=request.user, person=order.person, what="provider: matching", path=request.path)
    matches = selectors.match_escorts(order=order, escorts=selectors.escorts_for(user=request.user))
    return render(request, "providers/matching.html", {"order": order, "matches": matches})


@role_required(*STAFF)
def escorts(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "providers/escorts.html",
        {"escorts": selectors.escorts_for(user=request.user, active_only=False)},
    )


@role_required(*STAFF)
def escort_edit(request: HttpRequest, escort_id: int | None = None) -> HttpResponse:
    escort = None
    if escort_id is not None:
        escort = get_object_or_404(Escort.objects.visible_to(request.user), pk=escort_id)
    if request.method == "POST":
        form = EscortForm(request.POST)
        if form.is_valid():
            escort_save(
                user=request.user,
                provider=request.user.provider,
                escort=escort,
                **form.cleaned_data,
            )
            messages.success(request, _("Ledsagaren är sparad."))
            return redirect("providers:escorts")
    else:
        initial = None
        if escort is not None:
            initial = {f: getattr(escort, f) for f in EscortForm.base_fields}
            initial["languages"] = ", ".join(escort.languages or [])
            initial["interests"] = ", ".join(escort.interests or [])
        form = EscortForm(initial=initial)
    return render(request, "providers/escort_form.html", {"form": form, "escort": escort})


@role_required(Role.PROVIDER_ADMIN)
def tokens(request: HttpRequest) -> HttpResponse:
    secret = None
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            issued = token_create(
                user=request.user, provider=request.user.provider, name=form.cleaned_data["name"]
            )
            secret = issued.secret  # rendered once in this response, never stored
            form = TokenForm()
    else:
        form = TokenForm()
    response = render(
        request,
        "providers/tokens.html",
        {"tokens": selectors.tokens_for(user=request.user), "form": form, "secret": secret},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@role_required(Role.PROVIDER_ADMIN)
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoking a key stops the provider's system at once and cannot be undone: a page says
    so, and the key is revoked only with the box ticked."""
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=token_id)
    if token.revoked_at is not None:
        messages.error(request, _("API-nyckeln är redan återkallad."))
        return redirect("providers:tokens")
    label = _("Jag förstår att system som använder nyckeln slutar fungera.")
    form = ConfirmForm(request.POST if request.method == "POST" else None, label=label)
    if request.method == "POST" and form.is_valid():
        token_revoke(user=request.user, token=token)
        messages.success(request, _("API-nyckeln är återkallad."))
        return redirect("providers:tokens")
    return render(
        request,
        "folja/confirm.html",
        {
            "heading": _("Återkalla API-nyckeln %(name)s") % {"name": token.name},
            "explanation": [
                _(
                    "Ett system som använder nyckeln kan inte längre hämta beställningar eller "
                    "rapportera pass. Det går inte att ångra."
                ),
                _("Behöver systemet fortsätta fungera, skapa först en ny nyckel och byt till den."),
            ],
            "facts": [
                (_("Namn"), token.name),
                (_("Början"), f"folja_{token.prefix}…"),
                (_("Skapad"), date_format(token.created_at, "Y-m-d")),
            ],
            "form": form,
            "action": request.path,
            "button": _("Återkalla nyckeln"),
            "cancel_url": reverse("providers:tokens"),
        },
        status=400 if form.is_bound else 200,
    )
