"""Handling time of tillämpningsfrågor (asked → answered) for the follow-up: how many were
asked and answered in a period, the median days from question to answer, and how many were
still open when the period ended.

An aggregate for the follow-up, read unscoped as the rest of it is (the tertial report is
written by a job with no user): counts and medians only, never a question's text. The one
median is `folja.rules.stats.percentile`, rounded half-up to one decimal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

from django.db.models import QuerySet

from folja.questions.models import Question
from folja.rules.stats import percentile

DAY_PLACES = 1


@dataclass(frozen=True)
class Period:
    label: str
    first: date
    last: date  # inclusive


@dataclass(frozen=True)
class Handling:
    label: str
    asked: int  # asked during the period
    answered: int  # answered during the period
    median_days: Decimal | None  # of those answered; None when none was
    open_at_end: int  # asked by the period's end (or now) and not answered by then


def days_to_answer(asked: datetime, answered: datetime) -> Fraction:
    """Calendar days from question to answer, exactly (to the second)."""
    return Fraction(int((answered - asked).total_seconds()), 86400)


def median_days(days: list[Fraction]) -> Decimal | None:
    return percentile(days, 50, places=DAY_PLACES)


def _rows(qs: QuerySet) -> list[tuple[datetime, datetime | None]]:
    return list(qs.values_list("asked_at", "answered_at"))


def handling_time(
    *, periods: list[Period], now: datetime, district_id: int | None = None
) -> list[Handling]:
    """One row per period. A period still running counts its open questions as of `now`."""
    qs = Question.objects.all()
    if district_id is not None:
        qs = qs.filter(district_id=district_id)
    if not periods:
        return []
    rows = _rows(qs.filter(asked_at__lt=datetime.combine(max(p.last for p in periods), time.max)))
    result = []
    for p in periods:
        start = datetime.combine(p.first, time(0))
        end = min(datetime.combine(p.last + timedelta(days=1), time(0)), now)
        answered = [
            days_to_answer(asked, done)
            for asked, done in rows
            if done is not None and start <= done < end
        ]
        result.append(
            Handling(
                label=p.label,
                asked=sum(1 for asked, _ in rows if start <= asked < end),
                answered=len(answered),
                median_days=median_days(answered),
                open_at_end=sum(
                    1 for asked, done in rows if asked < end and (done is None or done >= end)
                ),
            )
        )
    return result
