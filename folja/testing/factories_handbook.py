"""Factories for the activity handbook."""

from __future__ import annotations

from datetime import date

import factory

from folja.handbook.models import Activity, Ruling, RulingKind, RulingStatus


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    code = factory.Sequence(lambda n: f"aktivitet-{n}")
    name = factory.Sequence(lambda n: f"Aktivitet {n}")
    grey_zone = False
    position = factory.Sequence(lambda n: n)


class RulingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ruling

    activity = factory.SubFactory(ActivityFactory)
    version = 1
    kind = RulingKind.COVERED
    reasoning = "Aktiviteten ingår i ledsagning."
    legal_references = ["sol_assistance"]
    valid_from = date(2020, 1, 1)
    status = RulingStatus.PUBLISHED
