"""Reads of tillämpningsfrågor, each scoped through `visible_to(user)`.

Questions carry anonymised cases, not personal data (asking refuses a personnummer), so their
reads are not written to the access log."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Q, QuerySet

from folja.accounts.models import User
from folja.questions.handling import days_to_answer, median_days
from folja.questions.models import Question, QuestionNotice


def questions_for(*, user: User, query: str = "", activity_id: int | None = None) -> QuerySet:
    """The questions the user may read, searched in question, answer and activity name."""
    qs = Question.objects.visible_to(user).select_related("activity", "district", "provider")
    if query:
        qs = qs.filter(
            Q(text__icontains=query)
            | Q(answer__icontains=query)
            | Q(activity__name__icontains=query)
        )
    if activity_id:
        qs = qs.filter(activity_id=activity_id)
    return qs


def open_notices(*, user: User) -> QuerySet:
    """Answers the user's district or provider has not acknowledged yet, newest first."""
    return (
        QuestionNotice.objects.visible_to(user)
        .filter(acknowledged_at__isnull=True)
        .select_related("question", "question__activity")
    )


@dataclass(frozen=True)
class QuarterHandling:
    quarter: str  # "2026 K1"
    answered: int
    median_days: Decimal | None


def handling_time_by_quarter(*, user: User) -> list[QuarterHandling]:
    """Handling time (asked → answered) of the questions the user may read, median days per
    quarter of the answer, oldest quarter first. The days and the median are the follow-up's
    (`folja.questions.handling`), so the figures read the same on both pages."""
    days: dict[str, list[Fraction]] = {}
    rows = (
        Question.objects.visible_to(user)
        .filter(answered_at__isnull=False)
        .values_list("asked_at", "answered_at")
    )
    for asked, answered in rows:
        key = f"{answered.year} K{(answered.month - 1) // 3 + 1}"
        days.setdefault(key, []).append(days_to_answer(asked, answered))
    return [
        QuarterHandling(quarter=k, answered=len(v), median_days=median_days(v))
        for k, v in sorted(days.items())
    ]
