"""Writes of tillämpningsfrågor: asking, answering (and publishing), acknowledging notices.
Each writes its audit record in the same transaction."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from folja.accounts.models import DISTRICT_ROLES, PROVIDER_ROLES, Role, User
from folja.audit.services import audit_record
from folja.core import clock
from folja.handbook.models import Activity, Ruling
from folja.handbook.services import draft_ruling, publish_ruling
from folja.people.models import District
from folja.questions.models import Question, QuestionNotice
from folja.rules.errors import InvalidPersonnummer
from folja.rules.personnummer import parse

# Anything shaped like a personnummer or samordningsnummer (10 or 12 digits, with or without
# the separator); `parse` then decides whether it is a valid one.
_CANDIDATE = re.compile(r"(?<![0-9])(?:[0-9]{2})?[0-9]{6}[-+ ]?[0-9]{4}(?![0-9])")

MAX_TEXT = 4000


def _refuse(field: str, code: str, message: str) -> ValidationError:
    """A field error the form shows in Swedish, and the API as {field, code, message}."""
    return ValidationError({field: ValidationError(message, code=code)})


def contains_personnummer(text: str) -> bool:
    """True when the text holds a valid personnummer or samordningsnummer: the case is not
    anonymised, and a question is read by every district."""
    for match in _CANDIDATE.finditer(text):
        try:
            parse(match.group().replace(" ", ""), today=clock.today())
        except InvalidPersonnummer:
            continue
        return True
    return False


@transaction.atomic
def question_ask(
    *, user: User, activity: Activity, text: str, district: District | None = None
) -> Question:
    """A caseworker's or a provider's question. A caseworker asks for their own district; a
    provider may name the district whose case it is (that district then sees the question)."""
    text = (text or "").strip()
    if user.role not in DISTRICT_ROLES | PROVIDER_ROLES:
        raise _refuse("user", "forbidden", _("Bara handläggare och utförare ställer frågor."))
    if not text:
        raise _refuse("text", "required", _("Skriv frågan och det avidentifierade fallet."))
    if len(text) > MAX_TEXT:
        raise _refuse("text", "too_long", _("Frågan får vara högst 4 000 tecken."))
    if contains_personnummer(text):
        raise _refuse(
            "text",
            "contains_personnummer",
            _("Texten innehåller ett personnummer. Ta bort det: fallet ska vara avidentifierat."),
        )
    if user.role in DISTRICT_ROLES:
        district = user.district
    question = Question.objects.create(
        asked_by=user,
        district=district,
        provider=user.provider if user.role in PROVIDER_ROLES else None,
        activity=activity,
        text=text,
        asked_at=clock.now(),
    )
    audit_record(
        user=user, action="question_ask", obj=question, details={"activity": activity.code}
    )
    return question


@transaction.atomic
def question_answer(
    *,
    user: User,
    question: Question,
    answer: str,
    publish: bool,
    ruling_kind: str = "",
    ruling_conditions: str = "",
    ruling_valid_from: date | None = None,
    ruling_illustrative: bool = False,
) -> Question:
    """The central administration's answer. Published, it is shown to every district and
    provider, and every district and the asking provider get a notice in their list.

    With `ruling_kind` the answer also becomes the activity's new (or changed) ruling: a new
    version, drafted and published through the handbook's own services, the answer as its
    reasoning; it applies from `ruling_valid_from` (default today). `ruling_illustrative` marks
    its wording as example text (the demo seed's answers), as the handbook's own seed does."""
    answer = (answer or "").strip()
    if user.role != Role.ANALYST:
        raise _refuse("user", "forbidden", _("Bara centrala förvaltningen svarar."))
    if question.answered_at is not None:
        raise _refuse("answer", "already_answered", _("Frågan är redan besvarad."))
    if not answer:
        raise _refuse("answer", "required", _("Skriv svaret."))
    if len(answer) > MAX_TEXT:
        raise _refuse("answer", "too_long", _("Svaret får vara högst 4 000 tecken."))
    if contains_personnummer(answer):
        raise _refuse("answer", "contains_personnummer", _("Svaret innehåller ett personnummer."))
    ruling: Ruling | None = None
    if ruling_kind:
        # The handbook validates the ruling (kind, dates, the version it replaces) and writes
        # its own audit records; a refusal there rolls the answer back with it.
        ruling = draft_ruling(
            user=user,
            activity=question.activity,
            kind=ruling_kind,
            conditions=ruling_conditions,
            reasoning=answer,
            legal_references=[],
            valid_from=ruling_valid_from or clock.today(),
            illustrative=ruling_illustrative,
        )
        ruling = publish_ruling(user=user, ruling=ruling)
    now = clock.now()
    question.answer = answer
    question.answered_by = user
    question.answered_at = now
    question.published = publish or ruling is not None
    question.ruling = ruling
    question.save(update_fields=["answer", "answered_by", "answered_at", "published", "ruling"])
    if question.published:
        recipients = [
            QuestionNotice(question=question, district=d, created_at=now)
            for d in District.objects.all()
        ]
    else:
        recipients = (
            [QuestionNotice(question=question, district=question.district, created_at=now)]
            if question.district_id
            else []
        )
    if question.provider_id:
        recipients.append(
            QuestionNotice(question=question, provider=question.provider, created_at=now)
        )
    QuestionNotice.objects.bulk_create(recipients)
    audit_record(
        user=user,
        action="question_answer",
        obj=question,
        details={"published": question.published, "ruling": ruling.pk if ruling else None},
    )
    return question


@transaction.atomic
def notices_acknowledge(*, user: User, question: Question) -> int:
    """Someone in the district or at the provider has read the answer: it leaves their list."""
    count = (
        QuestionNotice.objects.visible_to(user)
        .filter(question=question, acknowledged_at__isnull=True)
        .update(acknowledged_at=clock.now(), acknowledged_by=user)
    )
    if count:
        audit_record(user=user, action="question_notice_acknowledge", obj=question)
    return count
