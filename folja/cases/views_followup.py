"""Follow-up views: work list, tasks, flagged sessions, appeals, the unit manager's dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from folja.accounts.models import Role
from folja.audit.services import log_access, log_access_many
from folja.cases import charts, dashboard, selectors, services
from folja.cases.forms import (
    AppealForm,
    DismissForm,
    ForwardForm,
    JudgmentForm,
    ReconsiderForm,
    SessionReviewForm,
    TaskCloseForm,
)
from folja.cases.models import Appeal, Task, TaskKind
from folja.cases.returning import back
from folja.cases.views import casework, get_decision
from folja.core.clock import today as local_today
from folja.core.csv_writer import csv_response
from folja.core.permissions import role_required
from folja.delivery.models import Session
from folja.rules.stats import hours, percent

# ---------------------------------------------------------------- work list and tasks


@casework
def worklist(request: HttpRequest) -> HttpResponse:
    mine = request.GET.get("mina") == "1"
    kind = request.GET.get("typ", "")
    if kind not in TaskKind.values:
        kind = ""
    # Tasks of events are raised by the event itself; the time-based ones are made once a
    # day, by the nightly job or, when it has not run, now (no "refresh" button to forget).
    services.tasks_refresh_if_due(
        district=request.user.district, today=local_today(), user=request.user
    )
    tasks = list(selectors.worklist_tasks(user=request.user, mine_only=mine, kind=kind)[:200])
    persons = list({t.person_id: t.person for t in tasks}.values())
    log_access_many(user=request.user, persons=persons, what="worklist", path=request.path)
    return render(
        request,
        "cases/worklist.html",
        {"tasks": tasks, "mine": mine, "kind": kind, "kinds": TaskKind.choices},
    )


@casework
@require_http_methods(["GET", "POST"])
def task_close(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(
        Task.objects.visible_to(request.user).select_related("person"),
        pk=pk,
        closed_at__isnull=True,
    )
    log_access(user=request.user, person=task.person, what="task", path=request.path)
    form = TaskCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_close(
                task=task, user=request.user, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Uppgiften är avslutad."))
            return redirect("cases:worklist")
    return render(
        request,
        "cases/task_close.html",
        {"task": task, "form": form, "person": task.person},
        status=400 if form.is_bound and form.errors else 200,
    )


@casework
@require_http_methods(["GET", "POST"])
def session_review(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        Session.objects.visible_to(request.user).select_related("person", "provider"), pk=pk
    )
    log_access(user=request.user, person=session.person, what="session", path=request.path)
    form = SessionReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_review(
                session=session,
                user=request.user,
                approve=form.cleaned_data["verdict"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Beslutet om passet är sparat."))
            return back(request, "cases:person_detail", pk=session.person_id)
    return render(
        request,
        "cases/session_review.html",
        {"session": session, "person": session.person, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


# ---------------------------------------------------------------- appeals


@casework
def appeal_create(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    log_access(user=request.user, person=decision.person, what="appeal", path=request.path)
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            appeal = services.appeal_register(
                decision=decision, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Överklagandet är registrerat."))
            return redirect("cases:appeal_detail", pk=appeal.pk)
    return render(
        request,
        "cases/appeal_form.html",
        {"form": form, "decision": decision, "person": decision.person},
        status=400,
    )


def _get_appeal(request: HttpRequest, pk: int) -> Appeal:
    appeal = get_object_or_404(
        Appeal.objects.visible_to(request.user).select_related(
            "person", "decision__legal_basis", "new_decision", "court_decision"
        ),
        pk=pk,
    )
    log_access(user=request.user, person=appeal.person, what="appeal", path=request.path)
    return appeal


def _appeal_page(request: HttpRequest, appeal: Appeal, status: int = 200, **forms) -> HttpResponse:
    today = local_today()
    context = {
        "appeal": appeal,
        "person": appeal.person,
        "decision": appeal.decision,
        "reconsider_form": forms.get("reconsider_form")
        or ReconsiderForm(initial={"reconsidered_on": today}),
        "forward_form": forms.get("forward_form") or ForwardForm(initial={"forwarded_on": today}),
        "dismiss_form": forms.get("dismiss_form") or DismissForm(initial={"dismissed_on": today}),
        "judgment_form": forms.get("judgment_form") or JudgmentForm(initial={"judged_on": today}),
        "dismissal_letters": appeal.letters.only("id", "issued_at"),
    }
    return render(request, "cases/appeal.html", context, status=status)


@casework
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _appeal_page(request, _get_appeal(request, pk))


@casework
def appeal_reconsider(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _get_appeal(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ReconsiderForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.appeal_reconsider(
                appeal=appeal,
                user=request.user,
                reconsidered_on=data["reconsidered_on"],
                change=data["change"],
                note=data["note"],
                outcome=data["outcome"],
                hours_per_month=data["hours_per_month"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Omprövningen är sparad."))
            return redirect("cases:appeal_detail", pk=appeal.pk)
    return _appeal_page(request, appeal, status=400, reconsider_form=form)


@casework
def appeal_forward(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _get_appeal(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ForwardForm(request.POST)
    if form.is_valid():
        try:
            services.appeal_forward(appeal=appeal, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Överklagandet är överlämnat till förvaltningsrätten."))
            return redirect("cases:appeal_detail", pk=appeal.pk)
    return _appeal_page(request, appeal, status=400, forward_form=form)


@casework
def appeal_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _get_appeal(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = DismissForm(request.POST)
    if form.is_valid():
        try:
            services.appeal_dismiss_late(
                appeal=appeal,
                user=request.user,
                on=form.cleaned_data["dismissed_on"],
                note=form.cleaned_data["note"],
                notified_on=form.cleaned_data["notified_on"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request, _("Överklagandet är avvisat och beslutet om avvisning är utfärdat.")
            )
            return redirect("cases:appeal_detail", pk=appeal.pk)
    return _appeal_page(request, appeal, status=400, dismiss_form=form)


@casework
def appeal_judgment(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _get_appeal(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = JudgmentForm(request.POST)
    if form.is_valid():
        try:
            services.appeal_judgment(appeal=appeal, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Domen är registrerad."))
            return redirect("cases:appeal_detail", pk=appeal.pk)
    return _appeal_page(request, appeal, status=400, judgment_form=form)


# ---------------------------------------------------------------- unit manager dashboard

manager_only = role_required(Role.UNIT_MANAGER)


@manager_only
def manager_dashboard(request: HttpRequest) -> HttpResponse:
    data = dashboard.cached_manager_dashboard(district=request.user.district, today=local_today())
    return render(request, "cases/manager_dashboard.html", {"d": data})


def _month_labels(data: dashboard.Dashboard) -> tuple[str, ...]:
    return tuple(date_format(r.month, "M Y") for r in data.months)


def _manager_chart_table(name: str, data: dashboard.Dashboard) -> tuple[list[str], list[list]]:
    """The figures chart `name` draws as a header and rows: the chart and its CSV file read
    the same rows (hours rounded once, by folja.rules.stats)."""
    if name == "beslut":
        return [_("Månad"), _("Beslut"), _("Avslag eller delavslag")], [
            [r.month.strftime("%Y-%m"), r.decisions, r.rejected] for r in data.months
        ]
    if name == "timmar":
        return [_("Månad"), _("Beviljade timmar"), _("Utförda timmar")], [
            [r.month.strftime("%Y-%m"), hours(r.granted_minutes), hours(r.executed_minutes)]
            for r in data.months
        ]
    if name == "utforare":
        return [_("Utförare"), _("Utförandegrad (%)")], [
            [r.name, percent(r.execution_rate)]
            for r in data.providers
            if r.execution_rate is not None
        ]
    raise Http404


@manager_only
def manager_chart(request: HttpRequest, name: str) -> HttpResponse:
    data = dashboard.cached_manager_dashboard(district=request.user.district, today=local_today())
    header, rows = _manager_chart_table(name, data)
    labels = _month_labels(data)
    if name == "beslut":
        svg = charts.grouped_bars(
            labels,
            (
                (header[1], tuple(float(r[1]) for r in rows)),
                (header[2], tuple(float(r[2]) for r in rows)),
            ),
            _("Antal beslut"),
            counts=True,
        )
    elif name == "timmar":
        svg = charts.grouped_bars(
            labels,
            (
                (header[1], tuple(float(r[1]) for r in rows)),
                (header[2], tuple(float(r[2]) for r in rows)),
            ),
            _("Timmar"),
        )
    else:
        svg = charts.horizontal_bars(
            tuple(r[0] for r in rows), tuple(float(r[1]) for r in rows), _("Utförandegrad (%)")
        )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@manager_only
def manager_chart_csv(request: HttpRequest, name: str) -> HttpResponse:
    """A chart's figures as a file, through Följa's one CSV convention."""
    data = dashboard.cached_manager_dashboard(district=request.user.district, today=local_today())
    header, rows = _manager_chart_table(name, data)
    return csv_response(f"folja-oversikt-{name}.csv", header, rows)
