"""Survey pages. The analyst composes surveys and reads aggregates only; respondents answer the
surveys open to them. No view shows an individual answer: there is no route to one."""

from __future__ import annotations

import subprocess

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from folja.accessible.daisy import DaisyError, daisy_zip
from folja.accounts.models import Role
from folja.audit.services import log_access
from folja.core import clock
from folja.core.params import id_or_404
from folja.core.permissions import role_required
from folja.portal.selectors import active_person
from folja.surveys import selectors, services
from folja.surveys.documents import survey_document
from folja.surveys.forms import SurveyComposeForm, answer_form
from folja.surveys.knowledge import knowledge_spread
from folja.surveys.models import Survey

ANALYSTS = (Role.ANALYST, Role.ADMINISTRATOR)
PORTAL = (Role.PERSON, Role.REPRESENTATIVE)
RESPONDENTS = (
    *PORTAL,
    Role.PROVIDER_STAFF,
    Role.PROVIDER_ADMIN,
    Role.CASEWORKER,
    Role.UNIT_MANAGER,
)
DIMENSION_LABELS = {
    "district": "Stadsdel",
    "provider": "Utförare",
    "sex": "Kön",
    "age_band": "Åldersgrupp",
    "month": "Månad",
}


@role_required(*ANALYSTS)
@require_http_methods(["GET", "POST"])
def compose(request: HttpRequest) -> HttpResponse:
    form = SurveyComposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(user=request.user, **form.cleaned_data)
        except services.SurveyError as e:
            form.add_error(e.field if e.field in form.fields else None, _(e.message))
        else:
            messages.success(
                request, _("Enkäten är skapad och öppnas %(d)s.") % {"d": survey.opens_on}
            )
            return redirect("surveys:compose")
    context = {"form": form, "surveys": selectors.surveys_for_analyst()}
    return render(request, "surveys/compose.html", context, status=400 if form.errors else 200)


@role_required(*ANALYSTS)
def results(request: HttpRequest) -> HttpResponse:
    surveys = Survey.objects.order_by("-opens_on", "-pk")
    raw = request.GET.get("survey", "")
    survey = surveys.filter(pk=id_or_404(raw)).first() if raw else surveys.first()
    if raw and survey is None:
        raise Http404
    dimension = request.GET.get("by", "district")
    if dimension not in selectors.DIMENSIONS:
        raise Http404
    context = {
        "surveys": surveys,
        "survey": survey,
        "dimension": dimension,
        "dimensions": [(k, _(v)) for k, v in DIMENSION_LABELS.items()],
        "dimension_label": _(DIMENSION_LABELS[dimension]),
        "blocks": selectors.results(survey=survey, dimension=dimension) if survey else [],
        "over_time": selectors.results_over_time(survey=survey, dimension=dimension)
        if survey
        else [],
        "over_time_shown": dimension in selectors.OVER_TIME,
        "knowledge_year": clock.today().year,
        "knowledge": knowledge_spread(year=clock.today().year),
    }
    return render(request, "surveys/results.html", context)


def _respondent(request: HttpRequest):
    """The person answered for (the person, or the representative's chosen principal), or
    None for staff."""
    if request.user.role in PORTAL:
        person = active_person(request)
        log_access(user=request.user, person=person, what="survey_invitation", path=request.path)
        return person
    return None


def _chosen(request: HttpRequest, person) -> Survey | None:
    open_ = selectors.open_surveys(user=request.user, person=person)
    raw = request.GET.get("survey", "")
    if raw:
        survey = open_.filter(pk=id_or_404(raw)).first()
        if survey is None:
            raise Http404
        return survey
    return open_.first()


@role_required(*RESPONDENTS)
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest) -> HttpResponse:
    person = _respondent(request)
    survey = _chosen(request, person)
    if survey is None:
        return render(request, "surveys/answer.html", {"survey": None, "person": person})
    form = answer_form(survey, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if v}
        try:
            services.survey_answer(user=request.user, survey=survey, person=person, values=values)
        except services.SurveyError as e:
            form.add_error(e.field if e.field in form.fields else None, _(e.message))
            status = 400
        else:
            messages.success(request, _("Tack för dina svar!"))
            return redirect("surveys:answer")
    context = {
        "survey": survey,
        "form": form,
        "person": person,
        "acting_for": request.user.role == Role.REPRESENTATIVE,
        "plain": survey.audience == "persons",
    }
    return render(request, "surveys/answer.html", context, status=status)


@role_required(*PORTAL)
def answer_daisy(request: HttpRequest) -> HttpResponse:
    person = _respondent(request)
    survey = _chosen(request, person)
    if survey is None:
        return redirect("surveys:answer")
    try:
        content = daisy_zip(survey_document(survey))
    except (DaisyError, OSError, subprocess.SubprocessError):
        return render(request, "accessible/unavailable.html", status=503)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="enkat-{survey.pk}-daisy.zip"'
    return response
