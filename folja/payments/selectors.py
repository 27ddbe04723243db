"""Reads for payment runs: summaries by legal basis and band, export rows, and the `folja calc`
scenario of a person built from the database (what an auditor would run to check a figure)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from folja.cases.models import Decision
from folja.delivery.models import ExpenseClaim, Session
from folja.guidelines.models import LovRate
from folja.ledger.bridge import (
    decision_grants,
    expense_items,
    guideline_version_on,
    session_reports,
)
from folja.payments.models import PaymentLine, PaymentRun
from folja.people.models import Person
from folja.rules.model import BANDS


@dataclass
class SummaryRow:
    legal_basis: str
    band_minutes: dict[str, int]
    payable_minutes: int
    amount_sek: Decimal


def run_lines(run: PaymentRun):
    return run.lines.select_related("person", "adjusts__run").order_by("kind", "start", "id")


def run_summary(run: PaymentRun) -> list[SummaryRow]:
    """Payable minutes by LOV band and legal basis, and amounts, of the lines paid."""
    rows: dict[str, SummaryRow] = {}
    for line in run.lines.filter(excluded=False):
        key = line.legal_basis or "–"
        row = rows.setdefault(key, SummaryRow(key, defaultdict(int), 0, Decimal("0.00")))
        for band, minutes in (line.band_minutes or {}).items():
            row.band_minutes[band] += minutes
        row.payable_minutes += line.payable_minutes
        row.amount_sek += line.amount_sek
    for row in rows.values():
        row.band_minutes = {b: row.band_minutes.get(b, 0) for b in BANDS}
    return sorted(rows.values(), key=lambda r: r.legal_basis)


def excluded_lines(run: PaymentRun):
    return [
        line
        for line in run_lines(run)
        if line.excluded or line.excluded_minutes or line.reason_codes
    ]


EXPORT_HEADER = [
    "provider_org_number",
    "month",
    "line_id",
    "kind",
    "adjusts_line_id",
    "session_id",
    "external_id",
    "person_pseudonym",
    "legal_basis",
    "regi",
    "start",
    "end",
    "status",
    *[f"minutes_{b}" for b in BANDS],
    "payable_minutes",
    "excluded_minutes",
    "amount_sek",
    "excluded",
    "reason_codes",
]


def export_rows(run: PaymentRun) -> list[list[Any]]:
    """One row per line for the finance system. Persons appear by pseudonym only."""
    org = run.provider.org_number
    month = f"{run.month:%Y-%m}"
    out = []
    for line in run_lines(run):
        out.append(
            [
                org,
                month,
                line.pk,
                line.kind,
                line.adjusts_id or "",
                line.session_id or "",
                line.external_id,
                line.person_pseudonym,
                line.legal_basis,
                line.regi,
                f"{line.start:%Y-%m-%dT%H:%M}",
                f"{line.end:%Y-%m-%dT%H:%M}",
                line.status,
                *[(line.band_minutes or {}).get(b, 0) for b in BANDS],
                line.payable_minutes,
                line.excluded_minutes,
                f"{line.amount_sek:.2f}",
                "1" if line.excluded else "0",
                " ".join(line.reason_codes or []),
            ]
        )
    return out


def calc_scenario(*, person: Person, on: date) -> dict[str, Any]:
    """The person's `folja calc` scenario (CALC.md "Input") from the database, with the same
    guideline, rates, decisions, sessions and expenses the verification used."""
    from folja.providers.models import Provider

    version = guideline_version_on(on)
    sessions = list(Session.objects.filter(person=person).order_by("start", "id"))
    regi = dict(
        Provider.objects.filter(pk__in={s.provider_id for s in sessions}).values_list("pk", "regi")
    )
    reports = session_reports(sessions, regi)
    return {
        "guideline": {
            "period_anchor": version.period_anchor,
            "late_cancellation_cutoff_hours": version.late_cancellation_cutoff_hours,
            "late_cancellation_charged": version.late_cancellation_charged,
            "no_show_charged": version.no_show_charged,
            "expense_allowance_per_month_sek": str(version.expense_allowance_per_month),
            "free_review_threshold": str(version.free_review_threshold),
            "storhelg": list(version.storhelg),
        },
        "rates": [
            {
                "year": r.year,
                "regi": r.regi,
                **{b: str(getattr(r, b)) for b in BANDS},
            }
            for r in LovRate.objects.all()
        ],
        "decisions": [
            {
                "id": g.id,
                "valid_from": g.valid_from.isoformat(),
                "valid_to": g.valid_to.isoformat(),
                "hours_per_month": str(g.hours_per_month),
                "model": g.model,
                "double_staffing": g.double_staffing,
            }
            for g in decision_grants(Decision.objects.filter(person=person))
        ],
        "sessions": [
            {
                "id": r.id,
                "start": f"{r.start:%Y-%m-%dT%H:%M}",
                "end": f"{r.end:%Y-%m-%dT%H:%M}",
                "status": r.status,
                "escorts": r.escorts,
                "regi": r.regi,
                **({"cancelled_at": f"{r.cancelled_at:%Y-%m-%dT%H:%M}"} if r.cancelled_at else {}),
            }
            for r in reports
        ],
        "expenses": [
            {"id": e.id, "date": e.date.isoformat(), "amount_sek": str(e.amount)}
            for e in expense_items(ExpenseClaim.objects.filter(person=person))
        ],
        "on": on.isoformat(),
    }


def lines_by_person(run: PaymentRun) -> dict[int, list[PaymentLine]]:
    out: dict[int, list[PaymentLine]] = defaultdict(list)
    for line in run.lines.all():
        if line.person_id:
            out[line.person_id].append(line)
    return out
