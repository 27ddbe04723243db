"""The analyst drafts and publishes rulings on the handbook pages; bad input is a Swedish
field error, never a 500."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from folja.accounts.models import Role
from folja.handbook.models import Ruling, RulingStatus
from folja.testing.factories import make_user
from folja.testing.factories_handbook import ActivityFactory, RulingFactory

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-02-10 10:00", tick=False)
def test_the_analyst_drafts_a_new_version_on_the_page_and_publishes_it(client):
    old = RulingFactory(activity=ActivityFactory(name="Resa utomlands", grey_zone=True))
    client.force_login(make_user(Role.ANALYST))
    response = client.post(
        reverse("handbook:new_version", args=[old.pk]),
        {
            "kind": "covered_with_conditions",
            "conditions": "Högst en vecka.",
            "reasoning": "Ledsagning kan ges på en kortare resa.",
            "legal_references": ["sol_assistance"],
            "valid_from": "2026-03-01",
        },
    )
    new = Ruling.objects.get(activity=old.activity, version=2)
    assert response.status_code == 302
    client.post(reverse("handbook:publish", args=[new.pk]))
    new.refresh_from_db()
    assert new.status == RulingStatus.PUBLISHED
    page = client.get(reverse("handbook:ruling", args=[new.pk])).content.decode()
    assert "Högst en vecka." in page and "Ingår med villkor" in page


def test_bad_input_on_the_ruling_form_is_a_swedish_field_error(client):
    old = RulingFactory()
    client.force_login(make_user(Role.ANALYST))
    response = client.post(
        reverse("handbook:new_version", args=[old.pk]),
        {"kind": "covered", "reasoning": "x", "valid_from": "2019-01-01"},
    )
    assert response.status_code == 200
    assert "Den nya versionen måste gälla från en senare dag" in response.content.decode()
    assert Ruling.objects.count() == 1
