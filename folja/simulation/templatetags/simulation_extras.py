from __future__ import annotations

from django import template

from folja.core import clock
from folja.simulation.models import PilotStatus
from folja.simulation.selectors import pilot_status
from folja.simulation.texts import num

register = template.Library()


@register.filter
def n0(value: float) -> str:
    return num(float(value))


@register.filter
def n1(value: float) -> str:
    return num(float(value), 1)


@register.filter
def status_today(group) -> str:
    """The pilot's status as its dates and today's date make it (selectors.pilot_status)."""
    return PilotStatus(pilot_status(group, today=clock.today())).label
