"""The analyst's model investigation (/utredning/): run the simulation, see charts and tables,
download the memo; draw and evaluate pilots."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from folja.accounts.models import Role
from folja.audit.services import log_access_many
from folja.core import clock
from folja.core.permissions import role_required
from folja.simulation import memo
from folja.simulation.evaluation import evaluate_pilot
from folja.simulation.forms import InvestigationForm, PilotForm
from folja.simulation.investigation import EmptyPopulation, run_investigation
from folja.simulation.models import PilotStatus
from folja.simulation.selectors import (
    pilot_members_for,
    pilot_status,
    pilots_visible_to,
    unbalanced_strata,
)
from folja.simulation.services import PilotError, pilot_create


def _run(form: InvestigationForm):
    data = form.cleaned_data
    overrides = {
        "review_threshold": float(data["review_threshold"])
        if data.get("review_threshold") is not None
        else None,
        "allowance_per_month": float(data["allowance_per_month"])
        if data.get("allowance_per_month") is not None
        else None,
    }
    order = ["monthly", "flex3", "free"]
    return run_investigation(
        on=timezone.now().date(),
        district=data.get("district"),
        models=tuple(m for m in order if m in data["models"]),
        replicates=data["replicates"],
        months=data["months"],
        seed=data["seed"],
        overrides=overrides,
        sensitivity_replicates=min(30, data["replicates"]),
    )


@role_required(Role.ANALYST)
def index(request: HttpRequest) -> HttpResponse:
    investigation = None
    error = ""
    if "run" in request.GET:
        form = InvestigationForm(request.GET)
        if form.is_valid():
            try:
                investigation = _run(form)
            except EmptyPopulation:
                error = _("Det finns inga personer med gällande beslut i den valda populationen.")
    else:
        form = InvestigationForm()
    context = {"form": form, "error": error, "query": request.GET.urlencode()}
    if investigation is not None:
        context.update(memo.context(investigation))
    return render(request, "simulation/index.html", context)


@role_required(Role.ANALYST)
def memo_pdf(request: HttpRequest) -> HttpResponse:
    form = InvestigationForm(request.GET)
    if not form.is_valid():
        return redirect("simulation:index")
    try:
        investigation = _run(form)
    except EmptyPopulation:
        messages.error(request, _("Det finns inga personer med gällande beslut i populationen."))
        return redirect("simulation:index")
    pdf = memo.render_pdf(investigation, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="ekonomiska-konsekvenser.pdf"'
    return response


@role_required(Role.ANALYST)
def pilot_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PilotForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                group = pilot_create(
                    user=request.user,
                    district=d["district"],
                    name=d["name"],
                    size=d["size"],
                    starts_on=d["starts_on"],
                    ends_on=d["ends_on"],
                    seed=d["seed"],
                    drawn_on=timezone.now().date(),
                )
            except PilotError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Försöksgrupp och kontrollgrupp är lottade."))
                members = list(pilot_members_for(group=group))
                for short in unbalanced_strata(group=group, members=members):
                    messages.warning(request, short_stratum_text(group, short))
                return redirect("simulation:pilot_detail", pk=group.pk)
    else:
        form = PilotForm()
    pilots = pilots_visible_to(request.user)
    return render(request, "simulation/pilot_list.html", {"form": form, "pilots": pilots})


@role_required(Role.ANALYST)
def pilot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(pilots_visible_to(request.user), pk=pk)
    members = list(pilot_members_for(group=group))
    log_access_many(
        user=request.user,
        persons=[m.person for m in members],
        what="pilot membership (pseudonym, baseline)",
        path=request.path,
    )
    today = clock.today()
    evaluation = None
    if today >= group.starts_on:
        evaluation = evaluate_pilot(group=group, members=members)
    context = {
        "group": group,
        "members": members,
        "evaluation": evaluation,
        "status": PilotStatus(pilot_status(group, today=today)).label,
        "short_strata": [
            short_stratum_text(group, s) for s in unbalanced_strata(group=group, members=members)
        ],
    }
    return render(request, "simulation/pilot_detail.html", context)


def short_stratum_text(group, short) -> str:
    age = (_("under %(n)s år") if short.stratum.startswith("under") else _("minst %(n)s år")) % {
        "n": group.age_split
    }
    return _(
        "Åldersgruppen %(age)s var för liten för att ge sin halva av försöksgruppen: "
        "%(drawn)s personer lottades i stället för %(wanted)s, och grupperna är inte "
        "balanserade efter ålder."
    ) % {"age": age, "drawn": short.drawn, "wanted": short.wanted}
