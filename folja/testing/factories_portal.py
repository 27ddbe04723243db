"""Factories for the portal and accessible formats: a demo-like person with a flex3 decision,
an accepted order with a LOV provider, an escort, sessions and expenses, and their logins."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from folja.accounts.models import Role, User
from folja.cases.models import Decision
from folja.people.models import District, Person
from folja.providers.models import Escort, Order, Provider
from folja.rules.luhn import make_personnummer
from folja.testing.factories import (
    DecisionFactory,
    DistrictFactory,
    EscortFactory,
    ExpenseClaimFactory,
    OrderFactory,
    PersonFactory,
    ProviderFactory,
    SessionFactory,
    make_representative,
    make_user,
    reference_data,
)

# factories.PersonFactory can repeat a personnummer (an odd serial is bumped onto the next even
# one); portal persons get their own birth dates so they never collide with it or each other.
_births = itertools.count(1)


def _unique_pnr() -> tuple[date, str]:
    birth = date(1950, 1, 1) + timedelta(days=next(_births))
    return birth, make_personnummer(birth, 202)


@dataclass
class PortalPerson:
    person: Person
    user: User
    district: District
    decision: Decision
    order: Order
    provider: Provider
    escort: Escort


def make_portal_person(
    *,
    district: District | None = None,
    first_name: str = "Anna",
    last_name: str = "Lind",
    username: str | None = None,
    valid_from: date = date(2024, 1, 1),
    valid_to: date = date(2024, 12, 31),
    hours_per_month: Decimal = Decimal("10"),
    provider: Provider | None = None,
    sessions: list[tuple[datetime, int, str]] | None = None,
) -> PortalPerson:
    """A person with a login, a granted flex3 decision, an accepted order with a provider and
    some executed sessions with escort "Sara Berg". Sessions: (start, minutes, activity)."""
    reference_data()
    district = district or DistrictFactory()
    birth, pnr = _unique_pnr()
    person = PersonFactory(
        district=district,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth,
        personnummer=pnr,
    )
    user = make_user(Role.PERSON, person=person, **({"username": username} if username else {}))
    decision = DecisionFactory(
        person=person,
        decided_on=valid_from - timedelta(days=10),
        notified_on=valid_from - timedelta(days=8),
        valid_from=valid_from,
        valid_to=valid_to,
        hours_per_month=hours_per_month,
        requested_hours_per_month=hours_per_month,
    )
    provider = provider or ProviderFactory(name="Följeslagarna AB")
    order = OrderFactory(decision=decision, person=person, provider=provider, status="accepted")
    escort = EscortFactory(provider=provider, first_name="Sara", last_name="Berg")
    for start, minutes, activity in sessions or []:
        SessionFactory(
            order=order,
            person=person,
            provider=provider,
            escort=escort,
            start=start,
            end=start + timedelta(minutes=minutes),
            activity=activity,
        )
    return PortalPerson(person, user, district, decision, order, provider, escort)


def make_demo_person(**kwargs) -> PortalPerson:
    """The demo-like person the accessible-format tests use: period Jan–Mar 2024, two sessions
    and one expense."""
    pp = make_portal_person(
        sessions=[
            (datetime(2024, 1, 12, 18, 0), 180, "Teater"),
            (datetime(2024, 2, 3, 10, 0), 120, "Promenad i Hagaparken"),
        ],
        **kwargs,
    )
    ExpenseClaimFactory(person=pp.person, provider=pp.provider, date=date(2024, 1, 12))
    return pp


__all__ = ["PortalPerson", "make_demo_person", "make_portal_person", "make_representative"]
