"""Luhn check digit and construction of valid numbers, used to make synthetic persons."""

from __future__ import annotations

from datetime import date


def luhn_check_digit(nine_digits: str) -> int:
    """The check digit for the first nine digits of a 10-digit personnummer (YYMMDDNNN)."""
    total = 0
    for i, ch in enumerate(nine_digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n // 10 + n % 10
    return (10 - total % 10) % 10


def make_personnummer(birth_date: date, serial: int, *, coordination: bool = False) -> str:
    """A valid number `YYYYMMDD-NNNN` for `birth_date` with a three-digit birth serial (its
    last digit odd for men, even for women); `coordination` adds 60 to the day."""
    if not 1 <= serial <= 999:
        raise ValueError("serial must be 1..999 (birth number 000 is never issued)")
    day = birth_date.day + (60 if coordination else 0)
    nine = f"{birth_date:%y%m}{day:02d}{serial:03d}"
    return f"{birth_date:%Y%m}{day:02d}-{serial:03d}{luhn_check_digit(nine)}"
