"""Counts for `folja stats`: aggregates only, no personal data (so no access logging)."""

from __future__ import annotations

from folja.cases.models import Decision
from folja.delivery.models import Session
from folja.people.models import District, Person
from folja.providers.models import Escort, Order, Provider


def counts() -> dict[str, int]:
    # `_base_manager` counts rows without any user scope: this is a database statistic, and
    # the numbers carry nothing about any one person.
    return {
        "districts": District.objects.count(),
        "persons": Person._base_manager.count(),
        "decisions": Decision._base_manager.count(),
        "orders": Order._base_manager.count(),
        "sessions": Session._base_manager.count(),
        "providers": Provider.objects.count(),
        "escorts": Escort._base_manager.count(),
    }
