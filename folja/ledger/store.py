"""Storing the engine's period results (`PeriodBalance`) beside the sessions' results.

Every verification of a person replaces that person's stored periods with the engine's, in
the caller's transaction; pages then read them instead of running the engine over a whole
history. The stored rows are exactly the engine's `PeriodResult`s, so nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from folja.core.bulk import copy_insert
from folja.ledger.models import PeriodBalance
from folja.people.models import Person
from folja.rules.engine import Evaluation, PeriodResult

PERIOD_FIELDS = (
    "start",
    "end",
    "model",
    "granted_minutes",
    "used_minutes",
    "allowance_sek",
    "expenses_sek",
)


def period_rows(person_id: int, periods: tuple[PeriodResult, ...]) -> list[PeriodBalance]:
    return [
        PeriodBalance(
            person_id=person_id,
            start=p.start,
            end=p.end,
            model=p.model,
            granted_minutes=p.granted_minutes,
            used_minutes=p.used_minutes,
            allowance_sek=p.allowance,
            expenses_sek=p.expenses,
        )
        for p in periods
    ]


def store_periods(evaluations: Mapping[int, Evaluation]) -> None:
    """Replace the stored periods of each person in `evaluations` (person id → evaluation)."""
    if not evaluations:
        return
    PeriodBalance.objects.filter(person_id__in=list(evaluations)).delete()
    rows = [
        row
        for person_id, evaluation in evaluations.items()
        for row in period_rows(person_id, evaluation.periods)
    ]
    copy_insert(PeriodBalance, rows)


def _result(row: PeriodBalance) -> PeriodResult:
    return PeriodResult(
        start=row.start,
        end=row.end,
        model=row.model,
        granted_minutes=row.granted_minutes,
        used_minutes=row.used_minutes,
        allowance=row.allowance_sek,
        expenses=row.expenses_sek,
    )


def stored_periods(*, person: Person, on: date | None = None) -> list[PeriodResult]:
    """The person's periods as the engine gave them at the last verification, in order.

    One indexed read, whatever the length of the history. A person never verified (no stored
    period yet, e.g. rows written by hand in a shell) is evaluated instead, without storing:
    a read never writes.
    """
    rows = list(
        PeriodBalance.objects.filter(person_id=person.pk).order_by("start").only(*PERIOD_FIELDS)
    )
    if rows:
        return [_result(r) for r in rows]
    from folja.ledger.bridge import person_evaluation  # the bridge stores through this module

    return list(person_evaluation(person=person, on=on).periods)
