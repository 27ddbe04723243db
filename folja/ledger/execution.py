"""The days a decision was carried out, as the ledger sees them: the engine's session results
(each names the decision whose grant it used) with their dates. The rule for decisions not
carried out (folja.rules.execution) reads these, so "executed" means what it means for the
balance and the payment, never a second count."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from folja.delivery.models import Session
from folja.rules.engine import Evaluation
from folja.rules.execution import NotCarriedOut, not_carried_out
from folja.rules.model import EXECUTED


def executed_days(*, person_id: int, evaluation: Evaluation) -> dict[int, list[date]]:
    """Decision id → the days of its executed sessions, from `evaluation`
    (folja.ledger.bridge.person_evaluation of the person)."""
    by_session = {
        int(r.id): int(r.decision_id)
        for r in evaluation.sessions
        if r.kind == EXECUTED and r.decision_id is not None
    }
    days: dict[int, list[date]] = defaultdict(list)
    starts = Session.objects.filter(person_id=person_id, pk__in=list(by_session)).values_list(
        "pk", "start"
    )
    for pk, start in starts:
        days[by_session[pk]].append(start.date())
    return days


def decisions_not_carried_out(
    *, decisions, person_id: int, evaluation: Evaluation, today: date
) -> list[tuple[object, NotCarriedOut]]:
    """(decision, finding) for each of the person's granting `decisions` that went three
    months without being carried out."""
    days = executed_days(person_id=person_id, evaluation=evaluation)
    return [
        (d, found)
        for d in decisions
        for found in not_carried_out(
            decided_on=d.decided_on,
            valid_from=d.valid_from,
            valid_to=d.valid_to,
            executed=days.get(d.pk, ()),
            today=today,
        )
    ]
