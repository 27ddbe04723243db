"""A changed decision reaches the provider: the order shows the decision in force, and the
provider gets a notice of what changed, which it acknowledges."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from folja.accounts.models import Role
from folja.audit.models import AccessLog, AuditEvent
from folja.cases import services as cases
from folja.cases.models import Decision
from folja.providers import selectors
from folja.providers.models import OrderNotice
from folja.providers.services import ProviderError, order_notice_acknowledge
from folja.testing.factories import DecisionFactory, OrderFactory, make_user
from folja.testing.factories_providers import bearer, provider_world, unique_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(datetime(2024, 3, 1, 9, 0), tick=False):
        yield


@pytest.fixture
def world():
    return provider_world(decision=DecisionFactory(person=unique_person(), hours_per_month=20))


@pytest.fixture
def caseworker(world):
    return make_user(Role.CASEWORKER, district=world.person.district)


def reconsider(decision, caseworker, *, hours="24", outcome="granted"):
    """Appeal `decision` in time and change it on reconsideration; the new decision."""
    decision = Decision.objects.get(pk=decision.pk)  # as a view reads it
    appeal = cases.appeal_register(
        decision=decision, user=caseworker, received_on=date(2024, 2, 20)
    )
    cases.appeal_reconsider(
        appeal=appeal,
        user=caseworker,
        reconsidered_on=date(2024, 2, 26),
        change=True,
        note="Nya uppgifter om behovet.",
        outcome=outcome,
        hours_per_month=None if outcome == "rejected" else Decimal(hours),
        reasons="Behovet är större än bedömt.",
    )
    appeal.refresh_from_db()
    return appeal.new_decision


# --- the order shows the decision in force ----------------------------------------------------


def test_after_a_reconsideration_the_order_page_shows_the_new_hours(client, world, caseworker):
    reconsider(world.order.decision, caseworker)
    client.force_login(world.staff)
    html = client.get(reverse("providers:order", args=[world.order.pk])).content.decode()
    assert "<dd>24</dd>" in html
    assert "<dd>20</dd>" not in html


def test_after_a_reconsideration_the_inbox_lists_the_new_hours(client, world, caseworker):
    sent = OrderFactory(
        provider=world.provider,
        status="sent",
        decision=DecisionFactory(person=unique_person(), hours_per_month=12),
    )
    reconsider(world.order.decision, caseworker)
    reconsider(sent.decision, caseworker, hours="16")
    client.force_login(world.staff)
    html = client.get(reverse("providers:inbox")).content.decode()
    assert '<td class="num">24</td>' in html and '<td class="num">16</td>' in html
    assert '<td class="num">20</td>' not in html and '<td class="num">12</td>' not in html


def test_after_a_reconsideration_the_api_order_shows_the_new_hours(client, world, caseworker):
    reconsider(world.order.decision, caseworker)
    one = client.get(f"/api/v1/orders/{world.order.pk}", **bearer(world.token)).json()
    listed = client.get("/api/v1/orders", **bearer(world.token)).json()
    assert one["hours_per_month"] == "24.00"
    assert [o["hours_per_month"] for o in listed if o["id"] == world.order.pk] == ["24.00"]


def test_a_second_reconsideration_is_followed_to_the_decision_in_force(world, caseworker):
    first = reconsider(world.order.decision, caseworker)
    second = reconsider(first, caseworker, hours="30")
    assert selectors.decision_in_force(world.order) == second
    notices = list(OrderNotice.objects.filter(order=world.order).order_by("id"))
    assert [(n.old_hours_per_month, n.new_hours_per_month) for n in notices] == [
        (Decimal("20.00"), Decimal("24.00")),
        (Decimal("24.00"), Decimal("30.00")),
    ]


def test_the_decisions_in_force_of_a_page_of_orders_take_a_query_per_step_not_per_order(
    world, caseworker
):
    orders = [
        OrderFactory(provider=world.provider, decision=DecisionFactory(person=unique_person()))
        for _ in range(5)
    ]
    for order in orders:
        reconsider(order.decision, caseworker, hours="11")
    with CaptureQueriesContext(connection) as queries:
        in_force = selectors.decisions_in_force(
            type(world.order).objects.filter(pk__in=[o.pk for o in orders])
        )
    # the orders, their own decisions, the replacing decisions
    assert len(queries) == 3
    assert {d.hours_per_month for d in in_force.values()} == {Decimal("11.00")}


def test_a_reconsideration_to_a_rejection_shows_no_hours_on_the_order(client, world, caseworker):
    reconsider(world.order.decision, caseworker, outcome="rejected")
    client.force_login(world.staff)
    html = client.get(reverse("providers:order", args=[world.order.pk])).content.decode()
    assert "Avslag: inga timmar är beviljade." in html
    assert "Beslutet har ändrats till avslag: inga timmar är längre beviljade." in html
    assert client.get(reverse("providers:inbox")).status_code == 200


# --- the provider is told ------------------------------------------------------------------------


def test_a_reconsideration_tells_the_provider_what_changed(client, world, caseworker):
    new = reconsider(world.order.decision, caseworker)
    notice = OrderNotice.objects.get(order=world.order)
    assert (notice.previous_decision, notice.decision) == (world.order.decision, new)
    assert (notice.old_hours_per_month, notice.new_hours_per_month) == (20, 24)
    assert notice.acknowledged_at is None
    event = AuditEvent.objects.get(action="order_notice.create")
    assert event.object_id == str(notice.pk)
    assert event.person_pseudonym == world.person.pseudonym
    assert event.details["changes"] == {"hours_per_month": ["20.00", "24.00"]}

    client.force_login(world.staff)
    html = client.get(reverse("providers:inbox")).content.decode()
    assert "Beslutet har ändrats: 20 → 24 timmar per månad" in html
    assert "1 ändrat beslut väntar på att kvitteras." in html
    logged = AccessLog.objects.filter(what="provider: order inbox", person=world.person)
    assert logged.exists()


def test_validity_and_model_changes_are_told_in_plain_swedish(world):
    old = world.order.decision
    new = DecisionFactory(
        person=world.person,
        hours_per_month=old.hours_per_month,
        valid_from=date(2024, 3, 1),
        model="free",
    )
    notice = OrderNotice(
        order=world.order,
        old_outcome="granted",
        new_outcome="granted",
        old_hours_per_month=old.hours_per_month,
        new_hours_per_month=new.hours_per_month,
        old_valid_from=old.valid_from,
        new_valid_from=new.valid_from,
        old_valid_to=old.valid_to,
        new_valid_to=new.valid_to,
        old_model=old.model,
        new_model=new.model,
    )
    assert selectors.notice_changes(notice) == [
        "Beslutet har ändrats: gäller 2024-02-14 – 2025-02-13 → 2024-03-01 – 2025-02-13",
        "Beslutet har ändrats: tilldelningsmodell Tremånadersperiod → Fri ledsagning",
    ]


def test_a_reconsideration_that_keeps_hours_validity_and_model_sends_no_notice(world, caseworker):
    reconsider(world.order.decision, caseworker, hours="20")
    assert not OrderNotice.objects.exists()


def test_only_sent_and_accepted_orders_of_the_replaced_decision_get_a_notice(world, caseworker):
    decision = world.order.decision
    draft = OrderFactory(decision=decision, provider=world.provider, status="draft")
    ended = OrderFactory(
        decision=decision, provider=world.provider, status="ended", ended_on=date(2024, 2, 20)
    )
    other_person = OrderFactory(
        provider=world.provider, status="accepted", decision=DecisionFactory(person=unique_person())
    )
    reconsider(decision, caseworker)
    noticed = set(OrderNotice.objects.values_list("order_id", flat=True))
    assert noticed == {world.order.pk}
    assert not noticed & {draft.pk, ended.pk, other_person.pk}


def test_every_provider_with_an_active_order_on_the_decision_is_told(world, caseworker):
    second = provider_world(decision=world.order.decision, status="sent")
    reconsider(world.order.decision, caseworker)
    assert set(OrderNotice.objects.values_list("order__provider_id", flat=True)) == {
        world.provider.pk,
        second.provider.pk,
    }


# --- the provider acknowledges --------------------------------------------------------------------


def test_acknowledging_a_notice_takes_it_off_the_inbox_and_keeps_it_on_the_order(
    client, world, caseworker
):
    reconsider(world.order.decision, caseworker)
    notice = OrderNotice.objects.get()
    client.force_login(world.staff)
    r = client.post(reverse("providers:notice_acknowledge", args=[notice.pk]), {"from": "order"})
    assert r.status_code == 302 and r["Location"] == reverse(
        "providers:order", args=[world.order.pk]
    )
    notice.refresh_from_db()
    assert notice.acknowledged_by == world.staff
    assert notice.acknowledged_at == timezone.now()
    assert AuditEvent.objects.filter(
        action="order_notice.acknowledge", object_id=str(notice.pk)
    ).exists()
    inbox = client.get(reverse("providers:inbox")).content.decode()
    assert "Beslutet har ändrats" not in inbox
    page = client.get(reverse("providers:order", args=[world.order.pk])).content.decode()
    assert "Tidigare ändringar av beslutet" in page and "Kvitterad 2024-03-01" in page


def test_acknowledging_twice_keeps_the_first_acknowledgement(client, world, caseworker):
    reconsider(world.order.decision, caseworker)
    notice = OrderNotice.objects.get()
    order_notice_acknowledge(user=world.staff, notice=notice)
    again = order_notice_acknowledge(user=world.admin, notice=notice)
    assert again.acknowledged_by == world.staff
    assert AuditEvent.objects.filter(action="order_notice.acknowledge").count() == 1


def test_another_provider_can_neither_see_nor_acknowledge_the_notice(client, world, caseworker):
    reconsider(world.order.decision, caseworker)
    notice = OrderNotice.objects.get()
    other = provider_world()
    client.force_login(other.staff)
    assert "Beslutet har ändrats" not in client.get(reverse("providers:inbox")).content.decode()
    r = client.post(reverse("providers:notice_acknowledge", args=[notice.pk]))
    assert r.status_code == 404
    with pytest.raises(ProviderError):
        order_notice_acknowledge(user=other.staff, notice=notice)
    notice.refresh_from_db()
    assert notice.acknowledged_at is None
    assert list(OrderNotice.objects.visible_to(other.staff)) == []


def test_acknowledging_is_a_post(client, world, caseworker):
    reconsider(world.order.decision, caseworker)
    client.force_login(world.staff)
    url = reverse("providers:notice_acknowledge", args=[OrderNotice.objects.get().pk])
    assert client.get(url).status_code == 405
    assert OrderNotice.objects.get().acknowledged_at is None


def test_a_replaced_decision_cannot_be_ordered_and_the_caseworkers_order_page_shows_the_new_one(
    client,
):
    from django.core.exceptions import ValidationError

    from folja.cases.services import order_create
    from folja.testing.factories import ProviderFactory, reference_data

    reference_data()
    old = DecisionFactory(hours_per_month=Decimal("20"))
    new = DecisionFactory(person=old.person, hours_per_month=Decimal("24"))
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    provider = ProviderFactory()
    with pytest.raises(ValidationError):
        order_create(decision=old, provider=provider, user=None)
    order = OrderFactory(decision=old, provider=provider, status="draft")
    caseworker = make_user("caseworker", district=old.district)
    client.force_login(caseworker)
    response = client.get(reverse("cases:order_edit", args=[order.pk]))
    assert response.status_code == 200
    assert response.context["decision"] == new
