from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from folja.rules.money import format_sek, round_half_up_minutes, to_ore


def test_it_rounds_minutes_half_up() -> None:
    assert round_half_up_minutes(Decimal("331.5")) == 332
    assert round_half_up_minutes(Decimal("331.4999")) == 331
    assert round_half_up_minutes(Fraction(600 * 16, 29)) == 331
    assert round_half_up_minutes(Fraction(600 * 13, 28)) == 279


def test_it_rounds_money_half_up_to_ore() -> None:
    assert to_ore(Decimal("1.005")) == Decimal("1.01")
    assert to_ore(Decimal("1.004")) == Decimal("1.00")
    assert to_ore(Fraction(300 * 16, 29)) == Decimal("165.52")
    assert to_ore(Fraction(1, 200)) == Decimal("0.01")


def test_it_rounds_ties_away_from_zero_like_decimal() -> None:
    assert round_half_up_minutes(Decimal("-2.5")) == -3
    assert to_ore(Fraction(-1, 200)) == Decimal("-0.01")


def test_it_formats_money_with_two_decimals() -> None:
    assert format_sek(Decimal(250)) == "250.00"
    assert format_sek(Decimal("-12.3")) == "-12.30"
