"""Building and closing monthly payment runs.

Amounts are the stored verification results, which the rules engine wrote (via
`folja.ledger.bridge`); that includes a flagged excess a caseworker approved, which the
engine makes payable. Nothing is priced here.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum

from folja.audit.services import audit_record
from folja.core import clock
from folja.delivery.models import Session, SessionStatus
from folja.ledger.payable import Due, session_due
from folja.payments.models import LineKind, PaymentLine, PaymentRun, RunStatus
from folja.providers.models import Provider


class RunClosed(Exception):
    """A closed month is immutable."""


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _line(run: PaymentRun, session: Session, due: Due, legal_basis: str, **kw) -> PaymentLine:
    return PaymentLine(
        run=run,
        session=session,
        person_id=session.person_id,
        person_pseudonym=session.person.pseudonym,
        external_id=session.external_id,
        legal_basis=legal_basis,
        regi=run.provider.regi,
        start=session.start,
        end=session.end,
        status=session.status,
        payable_minutes=due.payable_minutes,
        excluded_minutes=due.excluded_minutes,
        band_minutes=due.band_minutes,
        amount_sek=due.amount,
        excluded=due.excluded,
        reason_codes=due.reasons,
        **kw,
    )


def _legal_basis(session: Session) -> str:
    if session.order_id and session.order.decision_id:
        return session.order.decision.legal_basis.reference
    return ""


def _sessions(provider: Provider):
    return (
        Session.objects.filter(provider=provider)
        .exclude(status=SessionStatus.BOOKED)
        .select_related("person", "order__decision__legal_basis")
    )


def _relevant(session: Session) -> bool:
    # Sessions that charge nothing and carry no reason code (a cancellation in time, one by
    # the provider) are not part of the payment at all.
    return session.charged_minutes > 0 or bool(session.flags)


@transaction.atomic
def payment_run_build(*, user, provider: Provider, month: date) -> PaymentRun:
    """Create or refresh the open run for `provider` and `month`: one line per session of the
    month, and adjustment lines for earlier, closed months whose sessions changed since."""
    month = month_start(month)
    run, _created = PaymentRun.objects.select_for_update().get_or_create(
        provider=provider, month=month
    )
    if run.is_closed:
        raise RunClosed(f"{provider.pk} {month:%Y-%m} is closed")
    run.lines.all().delete()
    lines: list[PaymentLine] = []
    for s in _sessions(provider).filter(start__gte=month, start__lt=next_month(month)):
        if _relevant(s):
            lines.append(_line(run, s, session_due(s), _legal_basis(s)))
    PaymentLine.objects.bulk_create(lines)
    lines = list(run.lines.all())  # ids for adjustments to refer to on SQLite too
    adjustments = _adjustments(run, provider, month)
    PaymentLine.objects.bulk_create(adjustments)
    totals = run.lines.filter(excluded=False).aggregate(
        amount=Sum("amount_sek"), minutes=Sum("payable_minutes")
    )
    run.total_sek = totals["amount"] or Decimal("0.00")
    run.payable_minutes = totals["minutes"] or 0
    run.refreshed_at = clock.now()
    run.save()
    audit_record(
        user=user,
        action="payment_run.build",
        obj=run,
        details={
            "provider_id": provider.pk,
            "month": month.isoformat(),
            "lines": len(lines) + len(adjustments),
            "total_sek": str(run.total_sek),
        },
    )
    return run


def _adjustments(run: PaymentRun, provider: Provider, month: date) -> list[PaymentLine]:
    """Differences between what earlier closed months' sessions are owed now and what every
    other run has already booked for them.

    A session's own line in another open run is not a booking: that run is refreshed with it.
    A session paid in a closed month that has since moved out of it (a re-sent report with
    another date, or one turned back into a booking) is owed nothing there any more: its own
    month's line pays it, so what the closed months booked for it is reversed here."""
    closed = dict(
        PaymentRun.objects.filter(
            provider=provider, status=RunStatus.CLOSED, month__lt=month
        ).values_list("pk", "month")
    )
    if not closed:
        return []
    closed_months = set(closed.values())
    booked: dict[int, Decimal] = defaultdict(Decimal)
    booked_minutes: dict[int, int] = defaultdict(int)
    # The line an adjustment corrects is one in a closed run: an open run's lines are deleted
    # when it is refreshed, and an adjustment must not point at (and so block) one of them.
    original: dict[int, PaymentLine] = {}
    paid_in_closed: set[int] = set()
    seen: set[int] = set()
    for line in (
        PaymentLine.objects.filter(run__provider=provider, session__isnull=False)
        .exclude(run=run)
        .order_by("id")
    ):
        if line.run_id in closed:
            paid_in_closed.add(line.session_id)
            original.setdefault(line.session_id, line)
        elif line.kind == LineKind.SESSION:
            continue
        seen.add(line.session_id)
        if not line.excluded:
            booked[line.session_id] += line.amount_sek
            booked_minutes[line.session_id] += line.payable_minutes
    first = min(closed_months)
    candidates = Session.objects.filter(
        Q(start__gte=first, start__lt=month) & ~Q(status=SessionStatus.BOOKED)
        | Q(pk__in=paid_in_closed)
    ).select_related("person", "order__decision__legal_basis")
    out: list[PaymentLine] = []
    for s in candidates.filter(provider=provider).order_by("start", "id"):
        due = session_due(s)
        if month_start(s.start.date()) in closed_months and s.status != SessionStatus.BOOKED:
            owed = Decimal("0.00") if due.excluded else due.amount
            minutes = 0 if due.excluded else due.payable_minutes
        elif s.pk in paid_in_closed:
            owed, minutes = Decimal("0.00"), 0
        else:
            continue
        delta = owed - booked.get(s.pk, Decimal("0.00"))
        if delta == 0 and minutes == booked_minutes.get(s.pk, 0):
            continue
        if s.pk not in seen and not _relevant(s):
            continue
        adjustment = Due(
            amount=delta,
            payable_minutes=minutes - booked_minutes.get(s.pk, 0),
            excluded_minutes=0,
            band_minutes={},
            excluded=False,
            reasons=due.reasons,
        )
        out.append(
            _line(
                run,
                s,
                adjustment,
                _legal_basis(s),
                kind=LineKind.ADJUSTMENT,
                adjusts=original.get(s.pk),
            )
        )
    return out


@transaction.atomic
def payment_run_close(*, user, run: PaymentRun) -> PaymentRun:
    """Close the month. From now on nothing in it changes."""
    run = PaymentRun.objects.select_for_update().get(pk=run.pk)
    if run.is_closed:
        raise RunClosed(f"run {run.pk} is already closed")
    run.status = RunStatus.CLOSED
    run.closed_at = clock.now()
    run.closed_by = user if getattr(user, "pk", None) else None
    run.save(update_fields=["status", "closed_at", "closed_by"])
    audit_record(
        user=user,
        action="payment_run.close",
        obj=run,
        details={"total_sek": str(run.total_sek), "month": run.month.isoformat()},
    )
    return run
