"""Every model that holds personal data has one `visible_to(user)` scope, and another
district's caseworker, another provider's staff, another person, an analyst and an
administrator cannot read through it."""

from __future__ import annotations

import pytest

from folja.accounts.models import Role
from folja.audit.models import AccessLog
from folja.audit.services import log_access
from folja.cases.models import (
    Appeal,
    Application,
    Assessment,
    Decision,
    DecisionLetter,
    LifeAreaRating,
    Task,
)
from folja.delivery.models import CostlyActivityApplication, ExpenseClaim, Session
from folja.guidelines.models import LifeArea
from folja.people.models import Person, Representative
from folja.portal.models import Feedback, ProviderChangeRequest
from folja.providers.models import Escort, ImplementationPlan, Order
from folja.testing.factories import (
    AssessmentFactory,
    CostlyActivityFactory,
    DistrictFactory,
    EscortFactory,
    ExpenseClaimFactory,
    FeedbackFactory,
    SessionFactory,
    make_representative,
    make_user,
    reference_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """One person in district A with a sent order at provider P, and every kind of record."""
    reference_data()
    session = SessionFactory()
    order = session.order
    person = session.person
    decision = order.decision
    assessment = AssessmentFactory(application__person=person)
    LifeAreaRating.objects.create(
        assessment=assessment,
        life_area=LifeArea.objects.first(),
        caseworker_rating=4,
        person_rating=5,
    )
    DecisionLetter.objects.create(
        decision=decision,
        issued_at=session.start,
        appeal_deadline=decision.decided_on,
        html="<p>x</p>",
        pdf=b"%PDF",
        sha256="0" * 64,
    )
    Appeal.objects.create(
        decision=decision,
        person=person,
        received_on=decision.decided_on,
        deadline=decision.decided_on,
        timely=True,
    )
    Task.objects.create(person=person, district=person.district, kind="appeal", subject="x")
    ImplementationPlan.objects.create(
        order=order,
        version=1,
        goals="g",
        activities="a",
        who="w",
        when="n",
        how="h",
        participation="p",
    )
    ExpenseClaimFactory(person=person, provider=order.provider)
    CostlyActivityFactory(person=person)
    FeedbackFactory(person=person, about="provider", provider=order.provider)
    ProviderChangeRequest.objects.create(
        person=person, to_provider=order.provider, created_at=session.start
    )
    EscortFactory(provider=order.provider)
    rep = make_representative(person)
    return {"person": person, "order": order, "assessment": assessment, "representative": rep}


SCOPED = [
    Person,
    Representative,
    Application,
    Assessment,
    Decision,
    Appeal,
    Task,
    Order,
    ImplementationPlan,
    Session,
    ExpenseClaim,
    CostlyActivityApplication,
    Feedback,
    ProviderChangeRequest,
]


def _visible(model, user) -> int:
    return model.objects.visible_to(user).count()


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m.__name__)
def test_a_caseworker_of_the_persons_district_sees_the_record(world, model):
    caseworker = make_user(Role.CASEWORKER, district=world["person"].district)
    assert _visible(model, caseworker) >= 1


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m.__name__)
def test_a_caseworker_of_another_district_sees_nothing(world, model):
    other = make_user(Role.CASEWORKER, district=DistrictFactory())
    assert _visible(model, other) == 0


@pytest.mark.parametrize("model", [*SCOPED, Escort], ids=lambda m: m.__name__)
def test_another_providers_staff_sees_nothing(world, model):
    other = make_user(Role.PROVIDER_STAFF)
    assert _visible(model, other) == 0


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMINISTRATOR])
@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m.__name__)
def test_analysts_and_administrators_see_no_personal_records(world, model, role):
    assert _visible(model, make_user(role)) == 0


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m.__name__)
def test_another_person_sees_nothing_of_the_person(world, model):
    stranger = make_user(Role.PERSON)
    if model is Person:
        assert list(Person.objects.visible_to(stranger)) == [stranger.person]
    else:
        assert _visible(model, stranger) == 0


def test_the_person_and_their_representative_see_the_persons_own_decisions(world):
    person = world["person"]
    own = make_user(Role.PERSON, person=person)
    assert list(Decision.objects.visible_to(own)) == list(Decision.objects.filter(person=person))
    assert Decision.objects.visible_to(world["representative"]).count() == 1


def test_the_provider_holding_the_order_sees_the_order_and_sessions_but_not_the_file(world):
    staff = make_user(Role.PROVIDER_STAFF, provider=world["order"].provider)
    assert Order.objects.visible_to(staff).count() == 1
    assert Session.objects.visible_to(staff).count() == 1
    assert Person.objects.visible_to(staff).count() == 1
    for model in (
        Application,
        Assessment,
        Appeal,
        Task,
        CostlyActivityApplication,
        ProviderChangeRequest,
    ):
        assert _visible(model, staff) == 0, model.__name__


def test_a_draft_order_is_not_visible_to_the_provider_until_it_is_sent(world):
    order = world["order"]
    order.status = "draft"
    order.save()
    staff = make_user(Role.PROVIDER_STAFF, provider=order.provider)
    assert Order.objects.visible_to(staff).count() == 0
    assert Person.objects.visible_to(staff).count() == 0


def test_an_anonymous_or_inactive_user_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    inactive = make_user(Role.CASEWORKER, district=world["person"].district, is_active=False)
    for user in (AnonymousUser(), inactive):
        assert Person.objects.visible_to(user).count() == 0


def test_reading_a_person_writes_an_access_log_row_naming_who_and_whose(world):
    person = world["person"]
    other = make_user(Role.CASEWORKER, district=DistrictFactory())
    row = log_access(user=other, person=person, what="person_page", path="/x")
    assert row.person_pseudonym == person.pseudonym
    assert row.in_caseload is False
    manager = make_user(Role.UNIT_MANAGER, district=person.district)
    assert AccessLog.objects.visible_to(manager).filter(pk=row.pk).exists()
    assert not AccessLog.objects.visible_to(other).exists()
