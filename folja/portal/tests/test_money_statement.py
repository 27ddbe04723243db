"""The person reads a true, plain statement of the expense allowance on Mina sidor and in the
accessible statement, never a bare negative sum, and can say which costly activity a receipt
is for. The person's flex3 decision pools 900 kr over January–March 2024; the clock stands
on 15 February 2024."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from folja.accessible.statement import statement_document
from folja.cases.models import Task, TaskKind
from folja.delivery.models import ClaimStatus, ExpenseClaim
from folja.ledger.bridge import verify_person_sessions
from folja.testing.factories import CostlyActivityFactory, ExpenseClaimFactory
from folja.testing.factories_portal import make_portal_person
from folja.testing.receipts import PNG

pytestmark = pytest.mark.django_db

TODAY = date(2024, 2, 15)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(datetime(2024, 2, 15, 12), tick=False):
        yield


def _claim(person, amount: str, status=ClaimStatus.APPROVED, **kwargs) -> ExpenseClaim:
    return ExpenseClaimFactory(
        person=person, date=date(2024, 2, 1), amount_sek=Decimal(amount), status=status, **kwargs
    )


def _post_receipt(client, amount: str, **extra):
    return client.post(
        reverse("portal:expense_new"),
        {
            "date": "2024-02-10",
            "amount_sek": amount,
            "description": "Biljett till ledsagaren",
            "receipt": SimpleUploadedFile("kvitto.png", PNG, content_type="image/png"),
            **extra,
        },
    )


def _pages(client, pp) -> str:
    client.force_login(pp.user)
    home = client.get(reverse("portal:home")).content.decode()
    money = client.get(reverse("portal:money")).content.decode()
    statement = statement_document(user=pp.user, person=pp.person, on=TODAY).all_text()
    return "\n".join((home, money, statement))


def test_an_overdrawn_pool_reads_as_used_up_with_what_was_approved_beyond_it(client):
    # Before: "Du har -4715,50 kronor kvar".
    pp = make_portal_person()
    _claim(pp.person, "4000.00")
    _claim(pp.person, "1615.50")
    verify_person_sessions(person=pp.person)

    text = _pages(client, pp)

    assert not any(m in text for m in ("-4715", "−4715", "-4\u00a0715", "−4\u00a0715"))
    assert text.count("Du har använt hela omkostnadsersättningen för perioden.") == 3
    assert "Din handläggare har godkänt 4\u00a0715,50 kronor mer än omkostnadsersättningen." in text


def test_a_receipt_above_what_is_left_waits_for_a_decision_and_the_person_reads_so(client):
    pp = make_portal_person()
    _claim(pp.person, "900.00")
    verify_person_sessions(person=pp.person)
    client.force_login(pp.user)

    response = _post_receipt(client, "250")

    assert response.status_code == 302
    claim = ExpenseClaim.objects.get(person=pp.person, amount_sek=Decimal("250.00"))
    assert claim.status == ClaimStatus.PENDING
    assert Task.objects.filter(person=pp.person, kind=TaskKind.EXPENSE_REVIEW).count() == 1
    text = _pages(client, pp)
    assert "Du har använt hela omkostnadsersättningen för perioden." in text
    assert "250 kronor väntar på beslut." in text
    assert "Väntar på beslut" in text  # the claim's own status in the list
    assert "-250" not in text


def test_what_is_left_is_said_with_its_last_day_when_there_is_money_left(client):
    pp = make_portal_person()
    _claim(pp.person, "250.00", status=ClaimStatus.SUBMITTED)
    verify_person_sessions(person=pp.person)
    client.force_login(pp.user)

    money = client.get(reverse("portal:money")).content.decode()

    assert "Du har 650 kronor kvar till ledsagarens kostnader fram till 31 mars 2024." in money


def test_a_receipt_is_linked_to_the_persons_costly_activity_from_the_portal(client):
    pp = make_portal_person()
    activity = CostlyActivityFactory(
        person=pp.person,
        activity="Konsert på Berwaldhallen",
        date=date(2024, 2, 10),
        status=ClaimStatus.APPROVED,
        approved_amount_sek=Decimal("1800.00"),
    )
    CostlyActivityFactory(person=pp.person, activity="Avslagen resa", status=ClaimStatus.REJECTED)
    client.force_login(pp.user)

    form = client.get(reverse("portal:expense_new")).content.decode()
    assert "Konsert på Berwaldhallen" in form and "Avslagen resa" not in form

    response = _post_receipt(client, "1500", costly_activity=activity.pk)

    assert response.status_code == 302
    claim = ExpenseClaim.objects.get(person=pp.person)
    assert claim.costly_activity == activity
    assert claim.status == ClaimStatus.SUBMITTED  # 900 kr from the pool, 600 kr from the activity
    text = _pages(client, pp)
    assert "600 kronor betalas med pengarna för en dyr aktivitet." in text


def test_the_receipt_form_does_not_ask_about_activities_when_there_are_none(client):
    pp = make_portal_person()
    client.force_login(pp.user)
    form = client.get(reverse("portal:expense_new")).content.decode()
    assert "Gäller kvittot en dyr aktivitet?" not in form
