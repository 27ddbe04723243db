"""Display helpers for casework templates: minutes as hours, shares as percent."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def hours(minutes: int | None) -> str:
    """Minutes as hours with one decimal, in the active locale (e.g. 12,5)."""
    if minutes is None:
        return "–"
    return number_format(Decimal(minutes) / 60, decimal_pos=1)


@register.filter
def percent(share: Decimal | float | None) -> str:
    if share is None:
        return "–"
    return f"{number_format(Decimal(str(share)) * 100, decimal_pos=0)} %"
