"""What a provider is owed for a session: the one answer behind the provider's pages, the API
and the payment run, so the figure a provider reads is the line of its payment file.

The engine prices every session (`payment_sek`, `payable_minutes`); some reason codes from the
database's context keep a verified session out of the payment as a whole (no order, a duplicate,
a report after the deadline), and `no_rate` holds it back until the year's LOV rate exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from folja.rules.engine import (
    DOUBLE_STAFFING_NOT_GRANTED,
    EXCEEDS_GRANT,
    NO_RATE,
    OUTSIDE_DECISION,
    OVERLAP,
)

# Reason codes set from database context by the delivery services (folja.delivery.services).
NO_ORDER = "no_order"
LATE_REPORT = "late_report"
DUPLICATE = "duplicate"

# Reason codes that keep a whole session out of the payment.
EXCLUDING = (NO_ORDER, DUPLICATE, LATE_REPORT, OUTSIDE_DECISION, OVERLAP, NO_RATE)

# Each reason code's short label (a table cell, a tag) and its explanation in plain Swedish, for
# every page and command that shows one. Files and the API keep the codes.
REASON_LABELS = {
    OUTSIDE_DECISION: _("Utanför beslutet"),
    OVERLAP: _("Överlappar"),
    DOUBLE_STAFFING_NOT_GRANTED: _("Dubbelbemanning ej beviljad"),
    EXCEEDS_GRANT: _("Överskrider beviljad tid"),
    NO_RATE: _("Ersättning saknas"),
    NO_ORDER: _("Ingen beställning"),
    LATE_REPORT: _("Sent rapporterat"),
    DUPLICATE: _("Dubblett"),
}

REASON_TEXTS = {
    OUTSIDE_DECISION: _("Passet ligger utanför beslutets giltighetstid."),
    OVERLAP: _("Passet överlappar ett annat pass för samma person."),
    DOUBLE_STAFFING_NOT_GRANTED: _("Dubbelbemanning är inte beviljad: ersätts för en ledsagare."),
    EXCEEDS_GRANT: _(
        "Passet ryms inte i periodens tid: överskottet väntar på handläggarens beslut."
    ),
    NO_RATE: _("Det finns ingen LOV-ersättning för året än. Passet betalas när den finns."),
    NO_ORDER: _("Det finns ingen aktiv beställning hos utföraren för passet."),
    LATE_REPORT: _("Passet rapporterades efter sista rapporteringsdag."),
    DUPLICATE: _("Passet är redan rapporterat."),
}


def reason_text(code: str) -> str:
    return str(REASON_TEXTS.get(code, code))


def reason_label(code: str) -> str:
    return str(REASON_LABELS.get(code, code))


@dataclass
class Due:
    """What a session is owed now, by the stored verification result."""

    amount: Decimal
    payable_minutes: int
    excluded_minutes: int
    band_minutes: dict[str, int]
    excluded: bool
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_texts(self) -> list[str]:
        return [reason_text(code) for code in self.reasons]


def _duration(session) -> int:
    return int((session.end - session.start).total_seconds()) // 60


def session_due(session) -> Due:
    """What the session is owed: its stored payment, unless a reason code keeps it out."""
    flags = list(session.flags or [])
    excluding = [f for f in flags if f in EXCLUDING]
    if excluding:
        return Due(
            amount=Decimal("0.00"),
            payable_minutes=0,
            excluded_minutes=session.charged_minutes or _duration(session),
            band_minutes={},
            excluded=True,
            reasons=excluding,
        )
    reasons = [f for f in flags if f == DOUBLE_STAFFING_NOT_GRANTED]
    excess = session.charged_minutes - session.payable_minutes
    if EXCEEDS_GRANT in flags and excess > 0:
        reasons.append(EXCEEDS_GRANT)
    return Due(
        amount=session.payment_sek,
        payable_minutes=session.payable_minutes,
        excluded_minutes=max(0, excess) if EXCEEDS_GRANT in flags else 0,
        band_minutes=dict(session.band_minutes or {}),
        excluded=False,
        reasons=reasons,
    )
