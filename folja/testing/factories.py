"""factory_boy factories for every model tests need. Tests build exactly the data they read;
named users for each role come from `make_user(role, ...)`."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from folja.accounts.models import Role, User
from folja.cases.models import Application, Assessment, Decision
from folja.delivery.models import CostlyActivityApplication, ExpenseClaim, Session
from folja.guidelines.models import GuidelineVersion, LegalBasis
from folja.guidelines.reference import load_reference_data
from folja.people.models import District, Person, Representative
from folja.portal.models import Feedback
from folja.providers.models import Escort, Order, Provider
from folja.rules.luhn import make_personnummer

_serials = itertools.count(1)


def reference_data() -> None:
    """Guideline versions, LOV rates, legal bases and life areas, as in production."""
    load_reference_data()


def legal_basis(act: str = "LSS", on: date | None = None) -> LegalBasis:
    if not LegalBasis.objects.exists():
        load_reference_data()
    on = on or date(2024, 1, 1)
    return (
        LegalBasis.objects.filter(act=act, valid_from__lte=on)
        .exclude(valid_to__lt=on)
        .order_by("-valid_from")
        .first()
    )


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"Stadsdel {n}")


def _pnr(obj) -> str:
    # Even serial for women, odd for men (the ninth digit of the 10-digit form); 500 distinct
    # numbers per sex and birth date (birth number 000 is never issued), far more than any one
    # test creates.
    n = next(_serials)
    serial = 2 + 2 * (n % 499) if obj.sex == "female" else 1 + 2 * (n % 500)
    return make_personnummer(obj.birth_date, serial)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Iterator(["Anna", "Erik", "Maria", "Johan", "Fatima", "Ali", "Eva"])
    last_name = factory.Iterator(["Andersson", "Johansson", "Karlsson", "Nilsson", "Hassan"])
    sex = "female"
    birth_date = date(1980, 5, 17)
    personnummer = factory.LazyAttribute(_pnr)
    district = factory.SubFactory(DistrictFactory)
    address = "Storgatan 1"
    postal_code = "123 45"
    city = "Stockholm"
    phone = "08-123 456"
    pseudonym = factory.Sequence(lambda n: f"P{n:08d}")


class ProviderFactory(DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Ledsagning {n} AB")
    org_number = factory.Sequence(lambda n: f"556{n:03d}-{n:04d}"[:11])
    regi = "private"
    languages = ["svenska", "engelska"]
    activities = ["kultur", "promenader", "idrott"]


class EscortFactory(DjangoModelFactory):
    class Meta:
        model = Escort

    provider = factory.SubFactory(ProviderFactory)
    first_name = factory.Iterator(["Sara", "Karim", "Lena", "Oskar"])
    last_name = "Berg"
    gender = "female"
    age_band = "30-49"
    languages = ["svenska"]
    interests = ["musik"]


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Användare {n}")
    role = Role.CASEWORKER
    password = factory.PostGenerationMethodCall("set_password", "demo")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_user(role: str, **kwargs) -> User:
    """A user of `role`; district or provider is created when the role needs one and none is
    given."""
    if role in (Role.CASEWORKER, Role.UNIT_MANAGER) and "district" not in kwargs:
        kwargs["district"] = DistrictFactory()
    if role in (Role.PROVIDER_STAFF, Role.PROVIDER_ADMIN) and "provider" not in kwargs:
        kwargs["provider"] = ProviderFactory()
    if role == Role.PERSON and "person" not in kwargs:
        kwargs["person"] = PersonFactory()
    return UserFactory(role=role, **kwargs)


def make_representative(person: Person, **kwargs) -> User:
    user = UserFactory(role=Role.REPRESENTATIVE, **kwargs)
    Representative.objects.create(person=person, user=user, kind="god_man", name=str(user))
    return user


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = Application

    person = factory.SubFactory(PersonFactory)
    district = factory.SelfAttribute("person.district")
    received_on = date(2024, 1, 10)
    kind = "open"
    requested_act = "LSS"
    requested_hours_per_month = Decimal("10")


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = Assessment

    application = factory.SubFactory(ApplicationFactory)
    person = factory.SelfAttribute("application.person")
    assessed_on = date(2024, 1, 25)
    needs = "Behöver stöd för att ta sig till fritidsaktiviteter."
    need_score = Decimal("4.0")


class DecisionFactory(DjangoModelFactory):
    class Meta:
        model = Decision

    person = factory.SubFactory(PersonFactory)
    district = factory.SelfAttribute("person.district")
    decided_on = date(2024, 2, 10)
    outcome = "granted"
    legal_basis = factory.LazyFunction(lambda: legal_basis("LSS"))
    requested_hours_per_month = Decimal("10")
    hours_per_month = Decimal("10")
    model = "flex3"
    guideline_version = factory.LazyFunction(
        lambda: GuidelineVersion.objects.filter(valid_from__lte=date(2024, 2, 10)).first()
    )
    valid_from = date(2024, 2, 14)
    valid_to = date(2025, 2, 13)
    notified_on = date(2024, 2, 12)


class OrderFactory(DjangoModelFactory):
    class Meta:
        model = Order

    decision = factory.SubFactory(DecisionFactory)
    person = factory.SelfAttribute("decision.person")
    provider = factory.SubFactory(ProviderFactory)
    status = "accepted"
    goals = "Delta i kulturlivet."
    activities = "Teater, konserter."
    communication_needs = "Tydligt tal."
    contact_rules = "Ring dagen före."


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    order = factory.SubFactory(OrderFactory)
    person = factory.SelfAttribute("order.person")
    provider = factory.SelfAttribute("order.provider")
    start = datetime(2024, 2, 20, 18, 0)
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=3, minutes=30))
    status = "executed"
    escorts = 1


class ExpenseClaimFactory(DjangoModelFactory):
    class Meta:
        model = ExpenseClaim

    person = factory.SubFactory(PersonFactory)
    date = date(2024, 2, 20)
    amount_sek = Decimal("250.00")
    description = "Entrébiljett för ledsagaren"


class CostlyActivityFactory(DjangoModelFactory):
    class Meta:
        model = CostlyActivityApplication

    person = factory.SubFactory(PersonFactory)
    activity = "Konsert i Göteborg"
    date = date(2024, 5, 10)
    estimated_cost_sek = Decimal("1800.00")


class FeedbackFactory(DjangoModelFactory):
    class Meta:
        model = Feedback

    person = factory.SubFactory(PersonFactory)
    about = "district"
    kind = "suggestion"
    district = factory.SelfAttribute("person.district")
    text = "Det vore bra med fler ledsagare som talar arabiska."
    created_at = datetime(2024, 3, 1, 10, 0)
