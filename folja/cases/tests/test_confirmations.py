"""Small things a user notices (issue 13, item 8): every action confirms itself, and a label
says "(frivilligt)" only when the field really is optional."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from folja.cases.models import Task
from folja.testing.factories import (
    ApplicationFactory,
    DecisionFactory,
    ProviderFactory,
)

pytestmark = pytest.mark.django_db

OPTIONAL = '<span class="muted">(frivilligt)</span>'


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_registering_an_application_confirms_it(client, ref, person, caseworker, frozen):
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:application_create", args=[person.pk]),
        {"received_on": "2024-06-10", "kind": "open", "requested_act": "LSS"},
        follow=True,
    )
    assert "Ansökan är registrerad." in _messages(response)


def test_sending_an_order_confirms_it_with_the_provider(client, ref, person, caseworker, frozen):
    decision = DecisionFactory(person=person, caseworker=caseworker)
    provider = ProviderFactory(name="Följeslagarna AB")
    client.force_login(caseworker)
    data = {
        "provider": provider.pk,
        "goals": "Delta i fritidsaktiviteter.",
        "activities": "Konserter",
        "communication_needs": "Inga särskilda",
        "contact_rules": "Ring före besöket.",
    }
    saved = client.post(
        reverse("cases:order_create", args=[decision.pk]), {**data, "action": "save"}, follow=True
    )
    assert "Beställningen är sparad som utkast." in _messages(saved)
    order = decision.orders.get()
    sent = client.post(
        reverse("cases:order_edit", args=[order.pk]), {**data, "action": "send"}, follow=True
    )
    assert "Beställningen är skickad till Följeslagarna AB." in _messages(sent)


def test_registering_an_appeal_confirms_it(client, ref, person, caseworker, frozen):
    decision = DecisionFactory(person=person, caseworker=caseworker)
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:appeal_create", args=[decision.pk]),
        {"received_on": "2024-06-12", "grounds": "Jag behöver fler timmar."},
        follow=True,
    )
    assert "Överklagandet är registrerat." in _messages(response)


def test_closing_a_task_confirms_it_and_returns_to_the_list(client, ref, person, caseworker):
    from folja.cases.services_tasks import task_raise

    task = task_raise(kind="death", person=person, subject="navet:1")
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:task_close", args=[task.pk]), {"resolution": "Klart."}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("cases:worklist")
    assert "Uppgiften är avslutad." in _messages(response)
    assert Task.objects.get().closed_at is not None


def _marked_optional(html: str, label: str) -> bool:
    return re.search(re.escape(label) + r"\s*" + re.escape(OPTIONAL), html) is not None


def test_fields_required_in_some_cases_are_not_called_optional(
    client, ref, person, caseworker, frozen
):
    application = ApplicationFactory(person=person, received_on=date(2024, 6, 1))
    client.force_login(caseworker)
    html = client.get(reverse("cases:decision_create", args=[application.pk])).content.decode()
    for label in ("Beviljade timmar per månad", "Gäller från", "Skäl för avslag, del 1"):
        assert label in html
        assert not _marked_optional(html, label), label
    # Truly optional: the rejected parts themselves and the double staffing box.
    assert _marked_optional(html, "Avslagen del 1")

    html = client.get(reverse("cases:application_create", args=[person.pk])).content.decode()
    assert not _marked_optional(html, "Aktiviteter som ansökan gäller")
    assert _marked_optional(html, "Sökta timmar per månad")


def test_no_label_says_optional_twice(client, ref, person, caseworker, frozen):
    from folja.testing.factories_cases import AppealFactory

    appeal = AppealFactory(decision=DecisionFactory(person=person, caseworker=caseworker))
    client.force_login(caseworker)
    html = client.get(reverse("cases:appeal_detail", args=[appeal.pk])).content.decode()
    assert "(frivilligt) " + OPTIONAL not in html
    assert "(frivilligt)</label>" not in html.replace(OPTIONAL, "")
