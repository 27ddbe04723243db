"""Factories for casework tests: appeals, tasks and stored letters (see factories.py for the
rest)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

import factory
from factory.django import DjangoModelFactory

from folja.cases.models import Appeal, DecisionLetter, Task
from folja.testing.factories import DecisionFactory, PersonFactory


class AppealFactory(DjangoModelFactory):
    class Meta:
        model = Appeal

    decision = factory.SubFactory(DecisionFactory)
    person = factory.SelfAttribute("decision.person")
    received_on = date(2024, 2, 20)
    deadline = date(2024, 3, 4)
    timely = True
    grounds = "Jag behöver fler timmar."


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = Task

    person = factory.SubFactory(PersonFactory)
    district = factory.SelfAttribute("person.district")
    kind = "decision_expiring"
    subject = factory.Sequence(lambda n: f"test:{n}")
    due_on = date(2024, 6, 1)


class DecisionLetterFactory(DjangoModelFactory):
    """A stored letter without rendering (rendering is tested through the service)."""

    class Meta:
        model = DecisionLetter

    decision = factory.SubFactory(DecisionFactory)
    issued_at = datetime(2024, 2, 12, 9, 0)
    appeal_deadline = date(2024, 3, 4)
    html = "<!DOCTYPE html><html lang='sv'><title>Beslut</title><p>Beslut</p></html>"
    pdf = b"%PDF-1.7 test"
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.pdf).hexdigest())
