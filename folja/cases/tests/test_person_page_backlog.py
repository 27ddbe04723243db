"""The person page lists a page's worth of flagged sessions, however long the backlog."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from folja.accounts.models import Role
from folja.cases.selectors import FLAGGED_SHOWN
from folja.testing.factories import OrderFactory, SessionFactory, make_user, reference_data

pytestmark = pytest.mark.django_db


def test_the_person_page_shows_the_oldest_flagged_sessions_and_how_many_wait(client):
    reference_data()
    order = OrderFactory()
    first = datetime(2024, 3, 1, 10, 0)
    for day in range(FLAGGED_SHOWN + 5):
        start = first + timedelta(days=day)
        SessionFactory(
            order=order, start=start, end=start + timedelta(hours=1), review_status="pending"
        )
    caseworker = make_user(Role.CASEWORKER, district=order.person.district)
    client.force_login(caseworker)
    response = client.get(reverse("cases:person_detail", args=[order.person.pk]))
    assert response.status_code == 200
    shown = response.context["file"].flagged_sessions
    assert len(shown) == FLAGGED_SHOWN
    assert shown[0].start == first
    assert response.context["file"].flagged_count == FLAGGED_SHOWN + 5
    assert f"{FLAGGED_SHOWN + 5} pass väntar på beslut" in response.text


def test_the_person_page_shows_the_latest_decisions_and_orders_of_a_long_history(client):
    from datetime import date
    from decimal import Decimal

    from folja.cases.selectors import RECENT_SHOWN
    from folja.testing.factories import DecisionFactory, PersonFactory

    reference_data()
    person = PersonFactory()
    for year in range(2014, 2014 + RECENT_SHOWN + 3):
        decision = DecisionFactory(
            person=person,
            decided_on=date(year, 1, 5),
            valid_from=date(year, 1, 10),
            valid_to=date(year, 12, 31),
            hours_per_month=Decimal("10"),
        )
        OrderFactory(decision=decision)
    caseworker = make_user(Role.CASEWORKER, district=person.district)
    client.force_login(caseworker)
    with __import__("time_machine").travel(datetime(2014 + RECENT_SHOWN + 2, 6, 1, 12, 0)):
        response = client.get(reverse("cases:person_detail", args=[person.pk]))
    file = response.context["file"]
    assert len(file.decisions) == RECENT_SHOWN
    assert file.decisions_count == RECENT_SHOWN + 3
    assert file.decisions[0].decided_on.year == 2014 + RECENT_SHOWN + 2
    assert (len(file.orders), file.orders_count) == (RECENT_SHOWN, RECENT_SHOWN + 3)
    assert file.current_decision == file.decisions[0]
    assert f"De {RECENT_SHOWN} senaste av {RECENT_SHOWN + 3} beslut visas." in response.text
