"""Plain-Swedish formatting shared with the accessible formats (one way to say a date, a time
and an amount)."""

from __future__ import annotations

from datetime import date

from django import template

from folja.accessible.content import say_allowance_left, say_kronor, say_minutes
from folja.accessible.content import say_date as _say_date

register = template.Library()


@register.filter
def hours_words(minutes) -> str:
    return say_minutes(int(minutes or 0))


@register.filter
def say_date(value: date | None) -> str:
    return _say_date(value) if value else ""


@register.filter
def kronor(value) -> str:
    return say_kronor(value or 0)


@register.filter
def allowance_lines(money, until: date | None = None) -> list[str]:
    """What is left of the period's allowance, sentence by sentence (never a negative sum)."""
    return say_allowance_left(money, until=until) if money else []


@register.filter
def step5(percent) -> int:
    """Meter widths are CSS classes in steps of five (no inline styles under a strict CSP)."""
    return max(0, min(100, 5 * round(int(percent or 0) / 5)))
