"""Provider-side test data: a provider with an accepted order for a person, an escort, and an
API token (its secret returned, as it is only ever shown once)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime

from folja.accounts.models import Role, User
from folja.people.models import Person
from folja.providers.models import Escort, Order, Provider
from folja.providers.services import token_create
from folja.rules.luhn import make_personnummer
from folja.testing.factories import (
    DecisionFactory,
    EscortFactory,
    OrderFactory,
    PersonFactory,
    ProviderFactory,
    make_user,
    reference_data,
)

# factories.PersonFactory can repeat a personnummer (its parity fix maps two serials onto one),
# so persons here get numbers from their own sequence of even (female) serials.
_serials = itertools.count(2, 2)


def unique_person(**kwargs) -> Person:
    serial = next(_serials)
    birth = date(1970 + serial // 1000 % 40, 3, 1 + serial // 40000 % 28)
    return PersonFactory(personnummer=make_personnummer(birth, serial % 1000 or 998), **kwargs)


@dataclass
class ProviderWorld:
    provider: Provider
    order: Order
    person: Person
    escort: Escort
    staff: User
    admin: User
    token: str


_REFERENCE: dict[type, list[dict]] = {}


def fast_reference_data() -> None:
    """The production reference data, loaded the slow way once per test run and then copied
    in bulk: each test's transaction starts without it, and loading it computes holidays for
    two decades."""
    from django.forms.models import model_to_dict

    from folja.guidelines.models import GuidelineVersion, LegalBasis, LifeArea, LovRate

    models = (GuidelineVersion, LovRate, LegalBasis, LifeArea)
    if GuidelineVersion.objects.exists():
        return
    if not _REFERENCE:
        reference_data()
        for model in models:
            _REFERENCE[model] = [model_to_dict(o) for o in model.objects.all()]
        return
    for model in models:
        model.objects.bulk_create(model(**row) for row in _REFERENCE[model])


def provider_world(*, provider: Provider | None = None, **order_kwargs) -> ProviderWorld:
    fast_reference_data()
    provider = provider or ProviderFactory()
    decision = order_kwargs.pop("decision", None) or DecisionFactory(person=unique_person())
    order = OrderFactory(decision=decision, provider=provider, **order_kwargs)
    escort = EscortFactory(provider=provider, languages=["svenska", "arabiska"])
    staff = make_user(Role.PROVIDER_STAFF, provider=provider)
    admin = make_user(Role.PROVIDER_ADMIN, provider=provider)
    token = token_create(user=admin, provider=provider, name="test").secret
    return ProviderWorld(provider, order, order.person, escort, staff, admin, token)


def february_paid(world: ProviderWorld, *, external_id: str):
    """The world's provider paid for one executed evening session (20 February 2024,
    18:00-21:30): the session reported by the provider's staff and February's payment run
    built. Call it with the clock in March 2024, when the report is in time."""
    from folja.delivery.services import session_report
    from folja.payments.services import payment_run_build

    session_report(
        user=world.staff,
        provider=world.provider,
        person=world.person,
        order=world.order,
        start=datetime(2024, 2, 20, 18, 0),
        end=datetime(2024, 2, 20, 21, 30),
        status="executed",
        external_id=external_id,
    )
    return payment_run_build(user=None, provider=world.provider, month=date(2024, 2, 1))


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
