"""Reads for payment runs: summaries by legal basis and band, and export rows. (A person's
`folja calc` scenario, to check a figure, is `folja.ledger.scenario.person_scenario`.)"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from folja.payments.models import PaymentRun
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
    """One row per line for the finance system, typed (times, Decimal amounts, booleans): the
    CSV writer and the Excel sheet each write them in their own convention. Persons appear by
    pseudonym only."""
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
                line.start,  # written by the one CSV writer / Excel helper in their forms
                line.end,
                line.status,
                *[(line.band_minutes or {}).get(b, 0) for b in BANDS],
                line.payable_minutes,
                line.excluded_minutes,
                line.amount_sek,
                line.excluded,
                " ".join(line.reason_codes or []),
            ]
        )
    return out
