"""Rounding of minutes and money.

All intermediate arithmetic is exact (`Fraction` or `Decimal` without division), and rounding
happens once, half-up, at the end of each computed item, as DESIGN.md requires. Exactness
matters: a prorated grant like 600 × 15 / 30 must round the same way on every machine.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

ORE = Decimal("0.01")

Number = Decimal | Fraction | int


def _round_half_up(value: Fraction) -> int:
    """Round to the nearest integer, ties away from zero (Decimal's ROUND_HALF_UP)."""
    magnitude = abs(value)
    rounded = (magnitude.numerator * 2 + magnitude.denominator) // (2 * magnitude.denominator)
    return rounded if value >= 0 else -rounded


def round_half_up_ratio(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half-up (ties away from zero), in integers only: the
    fast path for the hot loops of bulk verification."""
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)
    return magnitude if numerator >= 0 else -magnitude


def ore_to_sek(ore: int) -> Decimal:
    """Whole öre as SEK with two decimals."""
    return Decimal(ore).scaleb(-2)


def round_half_up_minutes(value: Number) -> int:
    """Whole minutes, rounded half-up (e.g. a prorated monthly grant)."""
    return _round_half_up(Fraction(value))


def to_ore(value: Number) -> Decimal:
    """SEK rounded half-up to öre, always with two decimals."""
    if isinstance(value, Decimal):
        return value.quantize(ORE, rounding=ROUND_HALF_UP)
    return (Decimal(_round_half_up(Fraction(value) * 100)) / 100).quantize(ORE)


def format_sek(value: Decimal) -> str:
    """Money as the contract prints it: a plain decimal string with two decimals."""
    return f"{to_ore(value):.2f}"
