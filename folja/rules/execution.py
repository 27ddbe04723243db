"""Decisions not carried out (ej verkställda beslut): the one rule for when a granting
decision becomes reportable.

SoL 16 kap. 6 f § and LSS 28 f §: a decision that has not been carried out within three months
of the day it was made, or whose execution was interrupted and not resumed within three months
of the interruption, is reported (to IVO, and to the council). The register the caseworker
keeps, with the reason, is what that report reads. Pure: the executed days come from the
ledger (folja.ledger.execution), never from a second count here.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

NOT_STARTED = "not_started"
INTERRUPTED = "interrupted"
MONTHS = 3


def months_after(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it has no such day
    (30 November + 3 months = 28/29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class NotCarriedOut:
    kind: str  # NOT_STARTED or INTERRUPTED
    since: date  # the day the three months run from: the decision's start, or the break
    reportable_on: date  # three months later: from this day the decision is reportable
    carried_out_on: date | None  # the first executed day after, once there is one


def not_carried_out(
    *,
    decided_on: date,
    valid_from: date,
    valid_to: date,
    executed: Iterable[date],
    today: date,
) -> list[NotCarriedOut]:
    """Every time the decision went three months without being carried out, up to `today`.

    The clock starts on the day of the decision, or on the decision's first valid day when
    the person was granted a later start (the three months cannot run while the person has
    not asked for the help yet). An interruption runs from the last executed day; it ends the
    day before the next one, or with the decision's validity, or today. A decision that ended
    before its three months were up is not reportable."""
    days = sorted({d for d in executed if valid_from <= d <= valid_to})
    found: list[NotCarriedOut] = []
    start = max(decided_on, valid_from)
    first = days[0] if days else None
    limit = months_after(start, MONTHS)
    if limit <= min(today, valid_to + timedelta(days=1)) and (first is None or first >= limit):
        found.append(NotCarriedOut(NOT_STARTED, start, limit, first))
    for i, day in enumerate(days):
        following = days[i + 1] if i + 1 < len(days) else None
        limit = months_after(day, MONTHS)
        end = following or min(today, valid_to + timedelta(days=1))
        if limit <= end and limit <= today:
            found.append(NotCarriedOut(INTERRUPTED, day, limit, following))
    return found
