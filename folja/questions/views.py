"""Tillämpningsfrågor: ask, search, read, answer (central administration), acknowledge."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from folja.accounts.models import DISTRICT_ROLES, PROVIDER_ROLES, Role
from folja.core import clock
from folja.core.permissions import role_required
from folja.followup.opendata import THRESHOLD
from folja.questions import selectors, services
from folja.questions.forms import AnswerForm, QuestionForm, QuestionSearchForm
from folja.questions.practice import grey_zone_practice

ASKERS = (*DISTRICT_ROLES, *PROVIDER_ROLES)
READERS = (*ASKERS, Role.ANALYST)
PAGE = 100


def _add_errors(form, error: ValidationError) -> None:
    for field, errors in error.error_dict.items():
        for e in errors:
            form.add_error(field if field in form.fields else None, e)


@role_required(*READERS)
def question_list(request: HttpRequest) -> HttpResponse:
    form = QuestionSearchForm(request.GET or None)
    query, activity = "", None
    if form.is_valid():
        query = form.cleaned_data["q"]
        activity = form.cleaned_data["aktivitet"]
    questions = selectors.questions_for(
        user=request.user, query=query, activity_id=activity.pk if activity else None
    )[:PAGE]
    return render(
        request,
        "questions/list.html",
        {
            "form": form,
            "questions": questions,
            "notices": selectors.open_notices(user=request.user)[:PAGE],
            "may_ask": request.user.role in ASKERS,
        },
    )


@role_required(*ASKERS)
@require_http_methods(["GET", "POST"])
def question_ask(request: HttpRequest) -> HttpResponse:
    form = QuestionForm(request.POST or None, ask_district=request.user.role in PROVIDER_ROLES)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_ask(
                user=request.user,
                activity=form.cleaned_data["activity"],
                text=form.cleaned_data["text"],
                district=form.cleaned_data.get("district"),
            )
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, _("Frågan är skickad till centrala förvaltningen."))
            return redirect("questions:detail", pk=question.pk)
    return render(request, "questions/ask.html", {"form": form}, status=400 if form.errors else 200)


@role_required(*READERS)
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(selectors.questions_for(user=request.user), pk=pk)
    may_answer = request.user.role == Role.ANALYST and question.answered_at is None
    return render(
        request,
        "questions/detail.html",
        {
            "question": question,
            "answer_form": AnswerForm() if may_answer else None,
            "has_notice": selectors.open_notices(user=request.user)
            .filter(question=question)
            .exists(),
        },
    )


@role_required(Role.ANALYST)
@require_POST
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(selectors.questions_for(user=request.user), pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.question_answer(
                user=request.user,
                question=question,
                answer=form.cleaned_data["answer"],
                publish=form.cleaned_data["publish"],
                ruling_kind=form.cleaned_data["ruling_kind"],
                ruling_conditions=form.cleaned_data["ruling_conditions"],
                ruling_valid_from=form.cleaned_data["ruling_valid_from"],
            )
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, _("Svaret är sparat och de berörda har fått besked."))
            return redirect("questions:detail", pk=question.pk)
    return render(
        request,
        "questions/detail.html",
        {"question": question, "answer_form": form, "has_notice": False},
        status=400,
    )


@role_required(*ASKERS)
@require_POST
def notice_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(selectors.questions_for(user=request.user), pk=pk)
    services.notices_acknowledge(user=request.user, question=question)
    return redirect("questions:list")


@role_required(Role.ANALYST, Role.ADMINISTRATOR)
def follow_up(request: HttpRequest) -> HttpResponse:
    """The follow-up of the handbook: handling time of the questions and, per district, how
    grey-zone activities were decided over the last twelve months against the ruling."""
    today = clock.today()
    start = today - timedelta(days=365)
    return render(
        request,
        "questions/follow_up.html",
        {
            "handling": selectors.handling_time_by_quarter(user=request.user),
            "practice": grey_zone_practice(start=start + timedelta(days=1), end=today, on=today),
            "start": start + timedelta(days=1),
            "end": today,
            "threshold": THRESHOLD,
        },
    )
