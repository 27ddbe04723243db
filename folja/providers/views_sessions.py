"""Provider portal: booking, reporting and cancelling sessions, and expense claims. Each write
goes through the delivery services, which re-verify the person with the rules engine."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from folja.audit.services import log_access, log_access_many
from folja.core import clock
from folja.core.paging import page_number, seek_page
from folja.core.permissions import role_required
from folja.delivery.forms import BookForm, CancelForm, ExpenseClaimForm, ReportForm
from folja.delivery.models import ClaimStatus, ExpenseClaim, Session, SessionStatus
from folja.delivery.selectors import claimable_costly_activities
from folja.delivery.services import (
    DeliveryError,
    expense_claim_create,
    session_book,
    session_cancel,
    session_report_executed,
)
from folja.handbook.selectors import catalogue as handbook_catalogue
from folja.handbook.services import record_session_ruling
from folja.providers import selectors
from folja.providers.views import STAFF, _order

SESSIONS_PAGE_SIZE = 50
# What the session list shows (and classifies a cancellation from); the person's columns come
# from the provider lists' shared tuple, which is also what the access log needs.
SESSION_LIST_FIELDS = (
    "id",
    "person_id",
    "escort_id",
    "start",
    "end",
    "status",
    "cancelled_at",
    "escorts",
    "charged_minutes",
    "payable_minutes",
    "band_minutes",
    "payment_sek",
    "flags",
    "escort__first_name",
    "escort__last_name",
)


def _session(request: HttpRequest, session_id: int) -> Session:
    return get_object_or_404(
        Session.objects.visible_to(request.user).select_related("person", "order", "escort"),
        pk=session_id,
    )


def _service_error(form, exc: DeliveryError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@role_required(*STAFF)
def sessions(request: HttpRequest) -> HttpResponse:
    page = seek_page(
        Session.objects.visible_to(request.user)
        .select_related("person", "escort")
        .only(*SESSION_LIST_FIELDS, *selectors.LISTED_PERSON_FIELDS)
        .order_by("-start", "-id"),
        number=page_number(request.GET.get("sida")),
        size=SESSIONS_PAGE_SIZE,
    )
    rows = page.object_list
    log_access_many(
        user=request.user,
        persons={s.person_id: s.person for s in rows}.values(),
        what="provider: sessions",
        path=request.path,
    )
    rows = selectors.session_rows(rows)
    return render(request, "providers/sessions.html", {"sessions": rows, "page": page})


def handbook_rulings(*, user, on) -> list:
    """The catalogue's grey zones with their rulings, shown next to the booking form."""
    return [(a, r) for a, r in handbook_catalogue(user=user, on=on) if a.grey_zone]


@role_required(*STAFF)
def session_book_view(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order(request, order_id)
    log_access(user=request.user, person=order.person, what="provider: booking", path=request.path)
    escorts_qs = selectors.escorts_for(user=request.user)
    form = BookForm(request.POST or None, escorts_qs=escorts_qs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        picked = data["handbook_activity"]
        try:
            # The booking and the ruling it applied are kept together, or neither.
            with transaction.atomic():
                session = session_book(
                    user=request.user,
                    order=order,
                    start=data["start"],
                    end=data["end"],
                    escort=data["escort"],
                    escorts=data["escorts"],
                    activity=data["activity"] or (picked.name if picked else ""),
                )
                if picked is not None:
                    record_session_ruling(
                        user=request.user,
                        session=session,
                        activity=picked,
                        ruling=form.ruling,
                        note=data["handbook_note"],
                    )
        except DeliveryError as exc:
            _service_error(form, exc)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Passet är bokat."))
            return redirect("providers:order", order_id=order.pk)
    context = {
        "order": order,
        "form": form,
        "ruling": form.ruling if form.is_bound else None,
        "grey_zones": handbook_rulings(user=request.user, on=clock.today()),
    }
    return render(request, "providers/session_book.html", context)


@role_required(*STAFF)
def session_report_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    log_access(
        user=request.user, person=session.person, what="provider: session", path=request.path
    )
    initial = {"start": session.start, "end": session.end}
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = session_report_executed(
                user=request.user,
                session=session,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
            )
        except DeliveryError as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("Utförd tid är rapporterad."))
            return redirect("providers:sessions")
    return render(request, "providers/session_report.html", {"session": session, "form": form})


@role_required(*STAFF)
def session_cancel_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    log_access(
        user=request.user, person=session.person, what="provider: session", path=request.path
    )
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from folja.core import clock

        try:
            session_cancel(
                user=request.user,
                session=session,
                cause=form.cleaned_data["cause"],
                cancelled_at=form.cleaned_data["cancelled_at"] or clock.now(),
            )
        except DeliveryError as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("Passet är avbokat."))
            return redirect("providers:sessions")
    return render(
        request,
        "providers/session_cancel.html",
        {"session": session, "form": form, "booked": session.status == SessionStatus.BOOKED},
    )


@role_required(*STAFF)
def claims(request: HttpRequest) -> HttpResponse:
    rows = list(
        ExpenseClaim.objects.visible_to(request.user)
        .select_related("person")
        .order_by("-date")[:200]
    )
    log_access_many(
        user=request.user,
        persons={c.person_id: c.person for c in rows}.values(),
        what="provider: expense claims",
        path=request.path,
    )
    return render(request, "providers/claims.html", {"claims": rows})


@role_required(*STAFF)
def claim_create(request: HttpRequest) -> HttpResponse:
    orders_qs = selectors.orders_for(user=request.user, status="accepted")
    form = ExpenseClaimForm(
        request.POST or None,
        request.FILES or None,
        orders_qs=orders_qs,
        activities_qs=claimable_costly_activities(persons=orders_qs.values("person")),
    )
    if request.method == "POST" and form.is_valid():
        order = form.cleaned_data["order"]
        try:
            claim = expense_claim_create(
                user=request.user,
                provider=request.user.provider,
                person=order.person,
                date=form.cleaned_data["date"],
                amount_sek=form.cleaned_data["amount_sek"],
                description=form.cleaned_data["description"],
                receipt=form.cleaned_data["receipt"],
                costly_activity=form.cleaned_data.get("costly_activity"),
            )
        except DeliveryError as exc:
            _service_error(form, exc)
        else:
            if claim.status == ClaimStatus.PENDING:
                messages.success(
                    request,
                    _(
                        "Omkostnaden är inskickad. Den är större än det som är kvar av "
                        "omkostnadsersättningen, så handläggaren beslutar om den."
                    ),
                )
            else:
                messages.success(request, _("Omkostnaden är inskickad."))
            return redirect("providers:claims")
    # The form's dropdowns name every person with an accepted order: a read of each of them.
    log_access_many(
        user=request.user,
        persons={o.person_id: o.person for o in orders_qs}.values(),
        what="provider: expense claim form",
        path=request.path,
    )
    return render(request, "providers/claim_form.html", {"form": form})
