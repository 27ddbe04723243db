"""LOV payment of a session (CALC.md rule 5).

Payment = Σ over the payable minutes of rate(band, year, regi) × paid escorts / 60, rounded
half-up to öre once per session. Summing minutes per band first and dividing once keeps the
arithmetic exact, so splitting the same minutes differently never changes the total by more
than the final rounding.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from folja.rules.bands import band_minutes_by_year
from folja.rules.errors import UnknownRate
from folja.rules.model import BANDS, Rate
from folja.rules.money import to_ore


class RateTable:
    """Rates by (year, regi). Raises `UnknownRate` rather than guessing a missing year."""

    def __init__(self, rates: Iterable[Rate] = ()) -> None:
        self._rates: dict[tuple[int, str], Rate] = {}
        for rate in rates:
            self._rates[(rate.year, rate.regi)] = rate

    def rate(self, year: int, regi: str) -> Rate:
        try:
            return self._rates[(year, regi)]
        except KeyError:
            raise UnknownRate(year, regi) from None

    def __contains__(self, key: object) -> bool:
        return key in self._rates

    def __len__(self) -> int:
        return len(self._rates)


@dataclass(frozen=True)
class Payment:
    band_minutes: dict[str, int]
    amount: Decimal


def session_payment(
    start: datetime,
    payable_minutes: int,
    *,
    regi: str,
    paid_escorts: int,
    rates: RateTable,
    storhelg: Container[date],
) -> Payment:
    """Price the first `payable_minutes` of a session starting at `start`.

    Raises `UnknownRate` only when a payable minute falls in a year without a rate: minutes
    that are not paid need no rate.
    """
    if payable_minutes <= 0:
        return Payment({}, to_ore(Decimal(0)))
    end = start + timedelta(minutes=payable_minutes)
    by_year = band_minutes_by_year(start, end, storhelg)
    total = Decimal(0)
    per_band: dict[str, int] = {}
    for (year, band), minutes in sorted(by_year.items()):
        if not minutes:
            continue
        total += rates.rate(year, regi).for_band(band) * minutes
        per_band[band] = per_band.get(band, 0) + minutes
    amount = to_ore(Fraction(total) * paid_escorts / 60)
    return Payment({band: per_band[band] for band in BANDS if per_band.get(band)}, amount)
