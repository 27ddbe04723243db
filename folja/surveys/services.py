"""Writes: composing a survey (analyst) and answering one (person, representative, provider
staff, caseworker). Each writes its audit record in the same transaction; the answer's audit
record names the participation, never the answers."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from folja.accounts.models import Role
from folja.audit.services import audit_record
from folja.core import clock
from folja.providers.models import Order, OrderStatus
from folja.rules.stats import age_band
from folja.surveys.bank import BANK, OPTIONS
from folja.surveys.models import Answer, Audience, Participation, Question, Survey

AUDIENCE_ROLES = {
    Audience.PERSONS: {Role.PERSON, Role.REPRESENTATIVE},
    Audience.PROVIDERS: {Role.PROVIDER_STAFF, Role.PROVIDER_ADMIN},
    Audience.CASEWORKERS: {Role.CASEWORKER, Role.UNIT_MANAGER},
}


class SurveyError(ValueError):
    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field, self.code, self.message = field, code, message


@transaction.atomic
def survey_create(
    *,
    user,
    title: str,
    audience: str,
    opens_on: date,
    closes_on: date,
    questions: list[Question],
) -> Survey:
    if closes_on < opens_on:
        raise SurveyError(
            "closes_on", "before_opening", "Enkäten kan inte stänga innan den öppnar."
        )
    if not questions:
        raise SurveyError("questions", "required", "Välj minst en fråga.")
    survey = Survey.objects.create(
        title=title,
        audience=audience,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=user,
        created_at=clock.now(),
    )
    survey.questions.set(questions)
    audit_record(
        user=user,
        action="survey_create",
        obj=survey,
        details={"audience": audience, "questions": [q.key for q in questions]},
    )
    return survey


def _person_provider_id(person) -> int | None:
    order = (
        Order.objects.filter(person=person, status=OrderStatus.ACCEPTED)
        .order_by("-pk")
        .values_list("provider_id", flat=True)
        .first()
    )
    return order


def _strata(*, user, person) -> dict:
    """What the follow-up groups by, and nothing more: the person's district, provider, sex
    and age band; for staff their district or provider."""
    if person is not None:
        return {
            "district_id": person.district_id,
            "provider_id": _person_provider_id(person),
            "sex": person.sex,
            "age_band": age_band(person.birth_date, clock.today()),
        }
    return {"district_id": user.district_id, "provider_id": user.provider_id}


@transaction.atomic
def survey_answer(*, user, survey: Survey, person=None, values: dict[str, str]) -> Participation:
    """Record one respondent's answers. `person` is the person answered for (the user, or the
    principal of a representative); None for staff. Unanswered questions are left out."""
    today = clock.today()
    if user.role not in AUDIENCE_ROLES[survey.audience]:
        raise SurveyError("survey", "not_invited", "Den här enkäten är inte till dig.")
    if not survey.opens_on <= today <= survey.closes_on:
        raise SurveyError("survey", "closed", "Enkäten är inte öppen.")
    questions = {q.key: q for q in survey.questions.all()}
    for key, value in values.items():
        question = questions.get(key)
        if question is None:
            raise SurveyError(key, "unknown_question", "Frågan finns inte i enkäten.")
        if value not in {v for v, _label in OPTIONS[question.kind]}:
            raise SurveyError(key, "invalid_choice", "Välj ett av svaren.")
    if not values:
        raise SurveyError("survey", "required", "Svara på minst en fråga.")
    try:
        with transaction.atomic():
            participation = Participation.objects.create(
                survey=survey, user=user, person=person, answered_on=today
            )
    except IntegrityError:
        raise SurveyError("survey", "already_answered", "Enkäten är redan besvarad.") from None
    strata = _strata(user=user, person=person)
    month = today.replace(day=1)
    Answer.objects.bulk_create(
        Answer(survey=survey, question=questions[key], value=value, month=month, **strata)
        for key, value in values.items()
    )
    audit_record(user=user, action="survey_answer", obj=participation, person=person, details={})
    return participation


def question_bank_ensure() -> None:
    """The bank's questions exist (migration 0002 loads them; a database emptied since, as the
    test suite's flush does, lacks them). Idempotent: existing questions keep their text and
    ids, so surveys that use them are not changed. Reference data, so no audit record."""
    for position, (key, topic, kind, text) in enumerate(BANK):
        Question.objects.get_or_create(
            key=key, defaults={"topic": topic, "kind": kind, "text": text, "position": position}
        )
