"""Payment runs: list, detail, build/refresh, close, and the files."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from folja.accounts.models import Role
from folja.audit.services import log_access_many
from folja.core.clock import in_window
from folja.core.forms import ConfirmForm
from folja.core.permissions import role_required
from folja.core.templatetags.figures import money
from folja.payments import exports
from folja.payments.models import PaymentRun
from folja.payments.selectors import excluded_lines, run_lines, run_summary
from folja.payments.services import RunClosed, payment_run_build, payment_run_close
from folja.people.models import Person
from folja.providers.models import Provider
from folja.rules.model import BANDS

VIEWERS = (Role.PROVIDER_STAFF, Role.PROVIDER_ADMIN, Role.ADMINISTRATOR, Role.ANALYST)


def _run(request: HttpRequest, run_id: int) -> PaymentRun:
    return get_object_or_404(
        PaymentRun.objects.visible_to(request.user).select_related("provider"), pk=run_id
    )


def _log_persons(request: HttpRequest, run: PaymentRun, what: str) -> None:
    persons = {line.person_id: line.person for line in run_lines(run) if line.person_id}
    log_access_many(user=request.user, persons=persons.values(), what=what, path=request.path)


@role_required(*VIEWERS)
def runs(request: HttpRequest) -> HttpResponse:
    qs = PaymentRun.objects.visible_to(request.user).select_related("provider")[:300]
    providers = Provider.objects.order_by("name") if request.user.role == Role.ADMINISTRATOR else []
    return render(request, "payments/runs.html", {"runs": qs, "providers": providers})


@require_POST
@role_required(Role.ADMINISTRATOR)
def run_build(request: HttpRequest) -> HttpResponse:
    provider = get_object_or_404(Provider, pk=request.POST.get("provider") or 0)
    try:
        month = date.fromisoformat(f"{request.POST.get('month', '')}-01")
    except ValueError:
        month = None
    # Outside the clock's window no session exists, and year 9999 overflows the run's months.
    if month is None or not in_window(month):
        messages.error(request, _("Ange månad som ÅÅÅÅ-MM, mellan år 1900 och år 2100."))
        return redirect("payments:runs")
    try:
        run = payment_run_build(user=request.user, provider=provider, month=month)
    except RunClosed:
        messages.error(request, _("Månaden är stängd och kan inte ändras."))
        return redirect("payments:runs")
    return redirect("payments:run", run_id=run.pk)


@role_required(*VIEWERS)
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    _log_persons(request, run, "payment: run")
    return render(
        request,
        "payments/run_detail.html",
        {
            "run": run,
            "summary": run_summary(run),
            "excluded": excluded_lines(run),
            "adjustments": run.lines.filter(kind="adjustment").select_related("adjusts__run"),
            "bands": BANDS,
        },
    )


@require_POST
@role_required(Role.ADMINISTRATOR)
def run_refresh(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    try:
        payment_run_build(user=request.user, provider=run.provider, month=run.month)
    except RunClosed:
        messages.error(request, _("Månaden är stängd och kan inte ändras."))
    return redirect("payments:run", run_id=run.pk)


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def run_close(request: HttpRequest, run_id: int) -> HttpResponse:
    """Closing a month cannot be undone, so it is a step of its own: a page that says what it
    means, and a box the administrator ticks before the month is closed."""
    run = _run(request, run_id)
    if run.is_closed:
        messages.error(request, _("Månaden är redan stängd."))
        return redirect("payments:run", run_id=run.pk)
    label = _("Jag förstår att månaden inte kan ändras när den är stängd.")
    form = ConfirmForm(request.POST if request.method == "POST" else None, label=label)
    if request.method == "POST" and form.is_valid():
        try:
            payment_run_close(user=request.user, run=run)
        except RunClosed:
            messages.error(request, _("Månaden är redan stängd."))
        else:
            messages.success(request, _("Månaden är stängd."))
        return redirect("payments:run", run_id=run.pk)
    heading = _("Stäng %(month)s för %(provider)s") % {
        "month": date_format(run.month, "F Y"),
        "provider": run.provider.name,
    }
    return render(
        request,
        "folja/confirm.html",
        {
            "heading": heading,
            "explanation": [
                _(
                    "När månaden är stängd betalas den ut som den är. Den kan inte räknas om "
                    "eller ändras."
                ),
                _(
                    "Om ett pass i månaden ändras efteråt kommer rättelsen med i nästa månads "
                    "utbetalning."
                ),
            ],
            "facts": [
                (_("Utförare"), run.provider.name),
                (_("Månad"), date_format(run.month, "F Y")),
                (_("Totalt"), money(run.total_sek)),
            ],
            "form": form,
            "action": request.path,
            "button": _("Stäng månaden"),
            "cancel_url": reverse("payments:run", args=[run.pk]),
        },
        status=400 if form.is_bound else 200,
    )


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(*VIEWERS)
def run_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    return _download(
        exports.payment_csv(run),
        "text/csv; charset=utf-8",
        f"betalfil-{run.provider.org_number}-{run.month:%Y-%m}.csv",
    )


@role_required(*VIEWERS)
def run_xlsx(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    return _download(
        exports.payment_xlsx(run),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"betalfil-{run.provider.org_number}-{run.month:%Y-%m}.xlsx",
    )


@role_required(*VIEWERS)
def run_pdf(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    persons = {line.person_id: line.person for line in run_lines(run) if line.person_id}
    # Names only for the persons the reader may see at all (a provider: those it has orders
    # with); analysts and administrators see no persons, so they get pseudonyms, and their read
    # of person-level lines is logged as outside any caseload, where the review finds it.
    named = set(
        Person.objects.visible_to(request.user).filter(pk__in=persons).values_list("pk", flat=True)
    )
    what = "payment: specification"
    log_access_many(
        user=request.user,
        persons=[p for pk, p in persons.items() if pk in named],
        what=what,
        path=request.path,
    )
    log_access_many(
        user=request.user,
        persons=[p for pk, p in persons.items() if pk not in named],
        what=what,
        path=request.path,
        in_caseload=False,
    )
    return _download(
        exports.specification_pdf(run, named_person_ids=named),
        "application/pdf",
        f"specifikation-{run.provider.org_number}-{run.month:%Y-%m}.pdf",
    )
