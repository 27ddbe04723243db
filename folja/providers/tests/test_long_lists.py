"""A large provider's inbox and session list come a page at a time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from folja.audit.models import AccessLog
from folja.providers.views import ACTIVE_PAGE_SIZE
from folja.providers.views_sessions import SESSIONS_PAGE_SIZE
from folja.testing.factories import DecisionFactory, OrderFactory, SessionFactory
from folja.testing.factories_providers import provider_world, unique_person

pytestmark = pytest.mark.django_db


def _accepted_orders(world, count: int) -> list:
    return [
        OrderFactory(
            provider=world.provider,
            status="accepted",
            decision=DecisionFactory(person=unique_person()),
        )
        for _ in range(count)
    ]


def test_the_inbox_shows_fifty_ongoing_assignments_per_page_and_a_link_to_the_next(client):
    world = provider_world(status="accepted")
    _accepted_orders(world, ACTIVE_PAGE_SIZE)
    client.force_login(world.staff)

    first = client.get(reverse("providers:inbox")).content.decode()
    second = client.get(reverse("providers:inbox"), {"sida": 2}).content.decode()

    assert first.count('href="/utforare/bestallning/') == ACTIVE_PAGE_SIZE
    assert second.count('href="/utforare/bestallning/') == 1
    assert "Sida 1 av 2" in first and "sida=2" in first
    logged = AccessLog.objects.filter(what="provider: order inbox")
    assert logged.count() == ACTIVE_PAGE_SIZE + 1  # each person once, on the page showing them


def test_searching_the_inbox_by_name_finds_only_the_matching_assignment(client):
    world = provider_world(status="accepted")
    for last_name in ("Zetterlund", "Andersson"):
        OrderFactory(
            provider=world.provider,
            status="accepted",
            decision=DecisionFactory(person=unique_person(last_name=last_name)),
        )
    client.force_login(world.staff)

    html = client.get(reverse("providers:inbox"), {"q": "zetter"}).content.decode()

    assert "Zetterlund" in html
    assert "Andersson" not in html
    assert "1 accepterad beställning" in html


def test_a_search_that_matches_no_assignment_says_so(client):
    world = provider_world(status="accepted")
    client.force_login(world.staff)
    html = client.get(reverse("providers:inbox"), {"q": "Finnsinte"}).content.decode()
    assert "Inget pågående uppdrag matchar sökningen." in html


def test_the_session_list_pages_without_counting_every_session(client):
    world = provider_world(status="accepted")
    start = datetime(2024, 3, 1, 10, 0)
    for i in range(SESSIONS_PAGE_SIZE + 1):
        SessionFactory(order=world.order, start=start + timedelta(days=i), status="booked")
    client.force_login(world.staff)

    first = client.get(reverse("providers:sessions")).content.decode()
    second = client.get(reverse("providers:sessions"), {"sida": "2"}).content.decode()
    nonsense = client.get(reverse("providers:sessions"), {"sida": "x"})

    assert first.count("Rapportera utförd tid") == SESSIONS_PAGE_SIZE
    assert "2024-04-20 10:00" in first and "2024-03-01 10:00" not in first
    assert second.count("Rapportera utförd tid") == 1 and "2024-03-01 10:00" in second
    assert "Sida 2" in second and "Föregående" in second and "Nästa" not in second
    assert nonsense.status_code == 200
