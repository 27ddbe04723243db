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

from folja.rules.bands import band_minutes_by_year
from folja.rules.errors import UnknownRate
from folja.rules.model import BANDS, Rate
from folja.rules.money import to_ore


class RateTable:
    """Rates by (year, regi). Raises `UnknownRate` rather than guessing a missing year.

    Every rate is also kept as an integer in units of 1/`scale` SEK (scale = 10^decimals of the
    most precise rate, at least öre), so pricing a session is integer arithmetic: exact, and
    fast enough to verify hundreds of thousands of sessions in a bulk import.
    """

    def __init__(self, rates: Iterable[Rate] = ()) -> None:
        self._rates: dict[tuple[int, str], Rate] = {}
        for rate in rates:
            self._rates[(rate.year, rate.regi)] = rate
        places = 2
        for rate in self._rates.values():
            for band in BANDS:
                exponent = rate.for_band(band).normalize().as_tuple().exponent
                if isinstance(exponent, int):
                    places = max(places, -exponent)
        self.scale = 10**places
        self._scaled: dict[tuple[int, str, str], int] = {
            (year, regi, band): int(rate.for_band(band) * self.scale)
            for (year, regi), rate in self._rates.items()
            for band in BANDS
        }

    def scaled(self, year: int, regi: str, band: str) -> int:
        """The rate of `band` in units of 1/`scale` SEK per hour."""
        try:
            return self._scaled[(year, regi, band)]
        except KeyError:
            raise UnknownRate(year, regi) from None

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
    total = 0  # in 1/scale SEK × minutes per hour
    per_band: dict[str, int] = {}
    for (year, band), minutes in by_year.items():
        if not minutes:
            continue
        total += rates.scaled(year, regi, band) * minutes
        per_band[band] = per_band.get(band, 0) + minutes
    # öre = total × escorts × 100 / (scale × 60), rounded half-up in integers.
    numerator = total * paid_escorts * 100
    denominator = rates.scale * 60
    ore = (2 * numerator + denominator) // (2 * denominator)
    amount = Decimal(ore).scaleb(-2)
    return Payment({band: per_band[band] for band in BANDS if per_band.get(band)}, amount)
