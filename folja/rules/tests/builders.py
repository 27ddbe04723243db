"""Small builders so each test states only what matters to it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from folja.rules.model import DecisionGrant, Expense, Guideline, Rate, SessionReport

STORHELG_2024 = frozenset(
    date.fromisoformat(d)
    for d in ("2024-12-24", "2024-12-25", "2024-12-26", "2024-12-31", "2025-01-01")
)

# Stockholm's 2024 private-regi rates (FACTS.md), as in the CALC.md example.
RATE_2024_PRIVATE = Rate(
    year=2024,
    regi="private",
    day=Decimal(434),
    evening=Decimal(461),
    night=Decimal(500),
    weekend=Decimal(500),
    storhelg=Decimal(569),
)
RATE_2024_MUNICIPAL = Rate(
    year=2024,
    regi="municipal",
    day=Decimal(423),
    evening=Decimal(450),
    night=Decimal(487),
    weekend=Decimal(487),
    storhelg=Decimal(555),
)
# An illustrative 2025 rate (not a published figure) for sessions crossing New Year.
RATE_2025_PRIVATE = Rate(
    year=2025,
    regi="private",
    day=Decimal(445),
    evening=Decimal(473),
    night=Decimal(513),
    weekend=Decimal(513),
    storhelg=Decimal(584),
)
RATES = (RATE_2024_PRIVATE, RATE_2024_MUNICIPAL, RATE_2025_PRIVATE)


def guideline(**overrides: object) -> Guideline:
    values: dict[str, object] = {
        "period_anchor": "decision_start",
        "late_cancellation_cutoff_hours": Decimal(24),
        "late_cancellation_charged": True,
        "no_show_charged": True,
        "expense_allowance_per_month": Decimal(300),
        "free_review_threshold": Decimal("2.0"),
        "storhelg": STORHELG_2024,
    }
    values.update(overrides)
    return Guideline(**values)  # type: ignore[arg-type]


def decision(
    valid_from: str,
    valid_to: str,
    hours: str = "10",
    model: str = "flex3",
    *,
    id: str = "d1",
    double_staffing: bool = False,
) -> DecisionGrant:
    return DecisionGrant(
        id=id,
        valid_from=date.fromisoformat(valid_from),
        valid_to=date.fromisoformat(valid_to),
        hours_per_month=Decimal(hours),
        model=model,
        double_staffing=double_staffing,
    )


def session(
    id: str,
    start: str,
    end: str,
    status: str = "executed",
    *,
    escorts: int = 1,
    regi: str = "private",
    cancelled_at: str | None = None,
    excess_approved: bool = False,
) -> SessionReport:
    return SessionReport(
        id=id,
        start=datetime.fromisoformat(start),
        end=datetime.fromisoformat(end),
        status=status,
        escorts=escorts,
        regi=regi,
        cancelled_at=None if cancelled_at is None else datetime.fromisoformat(cancelled_at),
        excess_approved=excess_approved,
    )


def expense(id: str, day: str, amount: str) -> Expense:
    return Expense(id=id, date=date.fromisoformat(day), amount=Decimal(amount))
