from __future__ import annotations

from django import template

from folja.simulation.texts import num

register = template.Library()


@register.filter
def n0(value: float) -> str:
    return num(float(value))


@register.filter
def n1(value: float) -> str:
    return num(float(value), 1)
