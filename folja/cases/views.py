"""Casework views: caseload, person page, application → assessment → decision → letter →
order. Thin: they fetch through `visible_to` (404 outside scope), log reads, call services."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from folja.accounts.models import Role
from folja.audit.services import log_access, log_access_many
from folja.cases import selectors, services
from folja.cases.allocation import model_choices
from folja.cases.forms import (
    AppealForm,
    ApplicationForm,
    AssessmentForm,
    DecisionForm,
    LetterForm,
    OrderForm,
    SearchForm,
)
from folja.cases.models import Application, Decision, DecisionLetter
from folja.cases.selectors_choice import latest_provider_choice
from folja.cases.selectors_lifecycle import decision_chain, orders_standing_on
from folja.cases.services import Rating
from folja.core.clock import today as local_today
from folja.core.permissions import role_required
from folja.guidelines.models import LifeArea
from folja.ledger.expenses import balance_money
from folja.people.models import Person
from folja.providers.models import Order, OrderStatus
from folja.providers.selectors import decision_in_force
from folja.rules.errors import InvalidPersonnummer

CASE_ROLES = (Role.CASEWORKER, Role.UNIT_MANAGER)
casework = role_required(*CASE_ROLES)


def one_year_on(day: date) -> date:
    """The last day of a one-year validity starting on `day` (a common time limit)."""
    if day.month == 2 and day.day == 29:
        return date(day.year + 1, 2, 28)
    return date(day.year + 1, day.month, day.day) - timedelta(days=1)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def get_person(request: HttpRequest, pk: int) -> Person:
    return get_object_or_404(
        Person.objects.visible_to(request.user).select_related("district"), pk=pk
    )


def get_application(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(request.user).select_related("person", "district"), pk=pk
    )


def get_decision(request: HttpRequest, pk: int) -> Decision:
    return get_object_or_404(
        Decision.objects.visible_to(request.user).select_related(
            "person", "legal_basis", "caseworker", "guideline_version", "district"
        ),
        pk=pk,
    )


# ---------------------------------------------------------------- caseload and person


@casework
def caseload(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    persons = []
    page = None
    query = ""
    if not request.GET or form.is_valid():
        query = form.cleaned_data.get("q", "") if request.GET else ""
        try:
            qs = selectors.caseload_persons(user=request.user, query=query)
        except InvalidPersonnummer:  # the form has already validated; belt and braces
            raise Http404 from None
        page = Paginator(qs, selectors.CASELOAD_PAGE_SIZE).get_page(request.GET.get("sida"))
        persons = list(page.object_list)
        current = selectors.current_decisions(persons, on=local_today())
        for p in persons:
            p.current_decision = current.get(p.pk)
        log_access_many(user=request.user, persons=persons, what="caseload", path=request.path)
    context = {
        "form": form,
        "persons": persons,
        "page": page,
        "pager_query": urlencode({"q": query}) if query else "",
    }
    template = "cases/_caseload_results.html" if is_htmx(request) else "cases/caseload.html"
    return render(request, template, context)


@casework
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person(request, pk)
    log_access(user=request.user, person=person, what="person_file", path=request.path)
    file = selectors.person_file(user=request.user, person=person, today=local_today())
    money = balance_money(person_id=person.pk, balance=file.balance)
    return render(request, "cases/person.html", {"file": file, "person": person, "money": money})


# ---------------------------------------------------------------- application and assessment


@casework
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person(request, pk)
    log_access(user=request.user, person=person, what="application", path=request.path)
    form = ApplicationForm(
        request.POST or None, initial={"received_on": local_today(), "requested_act": "LSS"}
    )
    if request.method == "POST" and form.is_valid():
        application = services.application_create(
            person=person, user=request.user, **form.cleaned_data
        )
        messages.success(request, _("Ansökan är registrerad."))
        return redirect("cases:assessment_create", pk=application.pk)
    return render(request, "cases/application_form.html", {"form": form, "person": person})


@casework
@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    person = application.person
    log_access(user=request.user, person=person, what="assessment", path=request.path)
    if hasattr(application, "assessment"):
        return redirect("cases:decision_create", pk=application.pk)
    areas = list(LifeArea.objects.filter(active=True))
    form = AssessmentForm(
        request.POST or None, life_areas=areas, initial={"assessed_on": local_today()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ratings = [
            Rating(
                life_area=area,
                caseworker_rating=data[f"cw_{area.code}"],
                person_rating=data[f"p_{area.code}"],
            )
            for area in areas
        ]
        try:
            services.assessment_create(
                application=application,
                user=request.user,
                assessed_on=data["assessed_on"],
                needs=data["needs"],
                ratings=ratings,
                other_services=data["other_services"],
                free_text=data["free_text"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Utredningen är sparad."))
            return redirect("cases:decision_create", pk=application.pk)
    return render(
        request,
        "cases/assessment_form.html",
        {"form": form, "application": application, "person": person},
    )


# ---------------------------------------------------------------- decision


def _support(application: Application, data) -> selectors.DecisionSupport:
    form = DecisionForm(data)
    form.is_valid()  # partial data is fine: the panel uses what is valid
    decided_on = form.cleaned_data.get("decided_on") or local_today()
    basis = form.cleaned_data.get("legal_basis")
    act = basis.act if basis else application.requested_act
    return selectors.support_for_application(application=application, on=decided_on, act=act)


def _handbook(request: HttpRequest, application: Application) -> list:
    """The handbook's ruling for each catalogue activity applied for, with how the city
    decided other applications for it (issue 15)."""
    from folja.handbook.selectors import comparable_outcomes

    return comparable_outcomes(user=request.user, application=application, on=local_today())


@casework
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    person = application.person
    log_access(user=request.user, person=person, what="decision", path=request.path)
    decided = selectors.decision_of_application(application)
    if decided is not None:
        # An application is decided once: the form is not offered, and a POST anyway gets
        # the explanation (409) instead of a second decision.
        return render(
            request,
            "cases/decision_decided.html",
            {"decision": decided, "person": person, "message": services.ALREADY_DECIDED},
            status=409 if request.method == "POST" else 200,
        )
    today = local_today()
    basis = selectors.legal_bases_on(today).filter(act=application.requested_act).first()
    initial = {
        "decided_on": today,
        "legal_basis": basis.pk if basis else None,
        "hours_per_month": application.requested_hours_per_month,
        "valid_from": today,
        "valid_to": one_year_on(today),
    }
    guideline = selectors.guideline_in_force(today)
    choices = model_choices(person=person, guideline=guideline, on=today)
    form = DecisionForm(request.POST or None, initial=initial, model_choices=choices)
    support = _support(application, request.POST or initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decision_create(
                application=application,
                user=request.user,
                decided_on=data["decided_on"],
                outcome=data["outcome"],
                legal_basis=data["legal_basis"],
                hours_per_month=data["hours_per_month"],
                double_staffing=data["double_staffing"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                reasons=data["reasons"],
                rejected_parts=data["rejected_parts"],
                deviation_reason=data["deviation_reason"],
                model=data["model"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Beslutet är fattat."))
            return redirect("cases:decision_detail", pk=decision.pk)
    hours = (
        form.cleaned_data.get("hours_per_month") if form.is_bound else initial["hours_per_month"]
    )
    return render(
        request,
        "cases/decision_form.html",
        {
            "form": form,
            "application": application,
            "person": person,
            "support": support,
            "outside": support.is_outside(hours),
            "guideline": guideline,
            "handbook": _handbook(request, application),
        },
    )


@casework
def decision_support_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision-support panel alone, refreshed by htmx as the hours change."""
    application = get_application(request, pk)
    log_access(
        user=request.user, person=application.person, what="decision_support", path=request.path
    )
    support = _support(application, request.GET)
    form = DecisionForm(request.GET)
    form.is_valid()
    hours = form.cleaned_data.get("hours_per_month")
    return render(
        request,
        "cases/_decision_support.html",
        {
            "support": support,
            "outside": support.is_outside(hours),
            "application": application,
            "handbook": _handbook(request, application),
        },
    )


@casework
def decision_detail(
    request: HttpRequest, pk: int, letter_form: LetterForm | None = None
) -> HttpResponse:
    decision = get_decision(request, pk)
    log_access(user=request.user, person=decision.person, what="decision", path=request.path)
    letters = decision.letters.only(
        "id", "kind", "issued_at", "appeal_deadline", "notified_on", "sha256", "issued_by"
    )
    orders = orders_standing_on(decision=decision, user=request.user)
    return render(
        request,
        "cases/decision.html",
        {
            "decision": decision,
            "person": decision.person,
            "letters": letters,
            "orders": orders,
            "appeals": decision.appeals.all(),
            **decision_chain(decision=decision, user=request.user),
            # The day the person gets the letter: today unless the caseworker says otherwise
            # (an earlier notification date would start an appeal period already running).
            "letter_form": letter_form or LetterForm(initial={"notified_on": local_today()}),
            "appeal_form": AppealForm(initial={"received_on": local_today()}),
        },
        status=400 if letter_form is not None else 200,
    )


@casework
def letter_issue(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = LetterForm(request.POST)
    if not form.is_valid():
        return decision_detail(request, pk, letter_form=form)
    try:
        letter = services.letter_issue(
            decision=decision, user=request.user, notified_on=form.cleaned_data["notified_on"]
        )
    except ValidationError as exc:
        form.add_service_errors(exc)
        return decision_detail(request, pk, letter_form=form)
    messages.success(request, _("Beslutsbrevet är utfärdat."))
    return redirect("cases:letter_html", pk=letter.pk)


def _get_letter(request: HttpRequest, pk: int) -> DecisionLetter:
    visible = Decision.objects.visible_to(request.user)
    letter = get_object_or_404(
        DecisionLetter.objects.filter(decision__in=visible).select_related("decision__person"),
        pk=pk,
    )
    log_access(
        user=request.user, person=letter.decision.person, what="decision_letter", path=request.path
    )
    return letter


@casework
def letter_html(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter exactly as issued."""
    letter = _get_letter(request, pk)
    return render(
        request, "cases/letter_page.html", {"letter": letter, "decision": letter.decision}
    )


@casework
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _get_letter(request, pk)
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="beslut-{letter.decision_id}-{letter.pk}.pdf"'
    )
    return response


# ---------------------------------------------------------------- order


def _order_submit(request: HttpRequest, form: OrderForm, order: Order) -> HttpResponse | None:
    if request.POST.get("action") != "send":
        return None
    try:
        services.order_send(order=order, user=request.user)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None
    messages.success(
        request, _("Beställningen är skickad till %(name)s.") % {"name": order.provider.name}
    )
    return redirect("cases:person_detail", pk=order.person_id)


@casework
@require_http_methods(["GET", "POST"])
def order_create(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision(request, pk)
    if not decision.is_granted:
        raise Http404
    log_access(user=request.user, person=decision.person, what="order", path=request.path)
    # The order goes to the provider the person chose with the caseworker (or the guideline's
    # no-choice alternative): recorded on the choice page, preselected here.
    choice = latest_provider_choice(decision=decision)
    initial = {"provider": choice.provider_id} if choice else None
    form = OrderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_create(
                decision=decision,
                provider=form.cleaned_data["provider"],
                user=request.user,
                **form.handover(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            response = _order_submit(request, form, order)
            if response is not None:
                return response
            if request.POST.get("action") != "send":
                messages.success(request, _("Beställningen är sparad som utkast."))
                return redirect("cases:order_edit", pk=order.pk)
            return render(
                request,
                "cases/order_form.html",
                {"form": form, "decision": decision, "person": decision.person, "order": order},
                status=400,
            )
    return render(
        request,
        "cases/order_form.html",
        {"form": form, "decision": decision, "person": decision.person, "choice": choice},
    )


@casework
@require_http_methods(["GET", "POST"])
def order_edit(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(
        Order.objects.visible_to(request.user).select_related("decision", "person", "provider"),
        pk=pk,
    )
    log_access(user=request.user, person=order.person, what="order", path=request.path)
    editable = order.status == OrderStatus.DRAFT
    # Bound on every POST, an empty one too: add_error needs a cleaned form (it was a 500).
    data = request.POST if request.method == "POST" else None
    form = OrderForm(data, initial=OrderForm.initial_from(order))
    status = 200
    if request.method == "POST":
        if not editable:
            form.is_valid()
            form.add_error(None, _("Beställningen är redan skickad och kan inte ändras."))
        elif form.is_valid():
            try:
                services.order_update(
                    order=order,
                    provider=form.cleaned_data["provider"],
                    user=request.user,
                    **form.handover(),
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                response = _order_submit(request, form, order)
                if response is not None:
                    return response
                if request.POST.get("action") != "send":
                    messages.success(request, _("Beställningen är sparad som utkast."))
                    return redirect("cases:order_edit", pk=order.pk)
        status = 400
    return render(
        request,
        "cases/order_form.html",
        {
            "form": form,
            "decision": decision_in_force(order),
            "person": order.person,
            "order": order,
            "editable": editable,
        },
        status=status,
    )
