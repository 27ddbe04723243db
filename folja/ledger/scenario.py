"""One person's `folja calc` scenario (CALC.md "Exporting a person's scenario"), from the rows.

The export is the engine's own input written out, not a second reading of the database: the
decisions, sessions and expenses are exactly what `folja.ledger.bridge` gives the engine
(`decision_grants`, `session_reports`, `expense_items` over the same rows `verify_person_sessions`
reads), the guideline versions are the schedule the engine is given, and the rates are the LOV
table it prices with. So `folja calc` on the export reproduces what the application stored,
and a change to what the bridge hands the engine changes the export with it.

What the export adds to the contract, and what it leaves out, is written down in
docs/scenario.md.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from folja.core import clock
from folja.delivery.models import SessionStatus
from folja.guidelines.models import LovRate
from folja.ledger.bridge import (
    _person_rows,
    _regi_by_provider,
    decision_grants,
    expense_items,
    session_reports,
)
from folja.ledger.guidelines import GuidelineVersions
from folja.people.models import Person
from folja.rules.model import (
    BANDS,
    CANCELLED_BY_PERSON,
    CANCELLED_BY_PROVIDER,
    EXECUTED,
    NO_SHOW,
    Guideline,
    SessionReport,
)
from folja.rules.money import format_sek

# The application's session statuses as CALC.md names them. A booked session never reaches
# the export: the bridge does not give the engine a session that is not yet reported.
STATUS = {
    SessionStatus.EXECUTED: EXECUTED,
    SessionStatus.CANCELLED_BY_PERSON: CANCELLED_BY_PERSON,
    SessionStatus.NO_SHOW: NO_SHOW,
    SessionStatus.CANCELLED_BY_PROVIDER: CANCELLED_BY_PROVIDER,
}

_MINUTE = timedelta(minutes=1)


def _wall_clock(moment: datetime) -> str:
    return f"{moment:%Y-%m-%dT%H:%M}"


def _cancelled_at(report: SessionReport) -> tuple[str, bool]:
    """`cancelled_at` in whole minutes, and whether the application knew the time at all.

    A person's cancellation registered "now" carries seconds, which the contract's format
    cannot hold. The engine compares whole seconds of notice with a cut-off of whole hours, so
    rounding the time *up* to the next minute keeps every cancellation on the side of the
    cut-off it is on (a notice of n minutes and some seconds is under h hours exactly when n
    minutes are). A cancellation without a time counts as late in the engine; one minute after
    the start is late under every cut-off, so the export says that, and marks it.
    """
    if report.cancelled_at is None:
        return _wall_clock(report.start + _MINUTE), False
    moment = report.cancelled_at
    if moment.second or moment.microsecond:
        moment = moment.replace(second=0, microsecond=0) + _MINUTE
    return _wall_clock(moment), True


def _decimal_text(value: Decimal) -> str:
    return format(value, "f")


def _guideline(valid_from: date, g: Guideline) -> dict[str, Any]:
    cutoff = g.late_cancellation_cutoff_hours
    return {
        "valid_from": valid_from.isoformat(),
        "period_anchor": g.period_anchor,
        "late_cancellation_cutoff_hours": (
            int(cutoff) if cutoff == cutoff.to_integral_value() else _decimal_text(cutoff)
        ),
        "late_cancellation_charged": g.late_cancellation_charged,
        "no_show_charged": g.no_show_charged,
        "expense_allowance_per_month_sek": format_sek(g.expense_allowance_per_month),
        "free_review_threshold": _decimal_text(g.free_review_threshold),
        "storhelg": sorted(day.isoformat() for day in g.storhelg),
    }


def _session(report: SessionReport) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": int(report.id),  # the session's id in the API
        "start": _wall_clock(report.start),
        "end": _wall_clock(report.end),
        "status": STATUS[report.status],
        "escorts": report.escorts,
        "regi": report.regi,
    }
    if report.status == CANCELLED_BY_PERSON:
        item["cancelled_at"], known = _cancelled_at(report)
        if not known:
            item["cancelled_at_unknown"] = True
    # Beyond the contract (documented in docs/scenario.md): a caseworker approved the excess.
    item["excess_approved"] = report.excess_approved
    return item


def person_scenario(*, person: Person, on: date | None = None) -> dict[str, Any]:
    """The person's scenario in CALC.md's input format, with `guidelines` (dated versions).

    Reads the database only: the caller scopes and logs the read (it is personal data).
    """
    on = on or clock.today()
    decisions, sessions, claims = _person_rows(person)
    # Every dated version as the engine is given it (rules_guideline of each row), so a
    # version's parameters are written exactly as the engine reads them.
    schedule = GuidelineVersions().schedule()
    return {
        "person": person.pk,
        "guidelines": [
            _guideline(valid_from, g)
            for valid_from, g in zip(schedule.valid_from, schedule.versions, strict=True)
        ],
        # The whole LOV table, as `bridge.rate_table()` reads it: only rates that exist, so a
        # session priced in a year without a rate makes `folja calc` name that year, where the
        # application holds the session back (`no_rate`).
        "rates": [
            {"year": r.year, "regi": r.regi, **{band: str(getattr(r, band)) for band in BANDS}}
            for r in LovRate.objects.order_by("year", "regi")
        ],
        "decisions": [
            {
                "id": int(g.id),
                "valid_from": g.valid_from.isoformat(),
                "valid_to": g.valid_to.isoformat(),
                "hours_per_month": _decimal_text(g.hours_per_month),
                "model": g.model,
                "double_staffing": g.double_staffing,
            }
            for g in decision_grants(decisions)
        ],
        "sessions": [_session(r) for r in session_reports(sessions, _regi_by_provider(sessions))],
        "expenses": [
            {"id": int(e.id), "date": e.date.isoformat(), "amount_sek": format_sek(e.amount)}
            for e in expense_items(claims)
        ],
        "on": on.isoformat(),
    }
