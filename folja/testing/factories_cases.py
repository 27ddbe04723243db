"""Factories for casework tests: appeals, tasks and stored letters (see factories.py for the
rest)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from folja.cases.models import Appeal, Decision, DecisionLetter, Task
from folja.testing.factories import DecisionFactory, PersonFactory, legal_basis


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


def decision_made(application, caseworker, **overrides) -> Decision:
    """The caseworker's decision on the application through the service, as the decision form
    makes it: a grant of 10 hours a month under LSS for a year from 1 June 2024; `overrides`
    change any argument."""
    from folja.cases import services

    values = {
        "application": application,
        "user": caseworker,
        "decided_on": date(2024, 6, 1),
        "outcome": "granted",
        "legal_basis": legal_basis("LSS", date(2024, 6, 1)),
        "hours_per_month": Decimal("10"),
        "double_staffing": False,
        "valid_from": date(2024, 6, 1),
        "valid_to": date(2025, 5, 31),
        "reasons": "Behovet är utrett.",
        "rejected_parts": [],
    }
    values.update(overrides)
    return services.decision_create(**values)
