"""Closing a payment month and revoking an API key cannot be undone: each is a step of its
own, a page that says what it means and a box to tick, checked on the server (no JavaScript)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from folja.accounts.models import Role
from folja.payments.services import payment_run_build
from folja.providers.models import ApiToken
from folja.testing.factories import make_user
from folja.testing.factories_providers import provider_world

pytestmark = pytest.mark.django_db
NOW = datetime(2024, 3, 2, 9, 0)


@pytest.fixture
def world():
    with time_machine.travel(NOW, tick=False):
        return provider_world()


@pytest.fixture
def run(world):
    with time_machine.travel(NOW, tick=False):
        return payment_run_build(user=None, provider=world.provider, month=date(2024, 2, 1))


@time_machine.travel(NOW, tick=False)
def test_the_run_page_leads_to_a_confirmation_instead_of_closing_the_month(client, run):
    client.force_login(make_user(Role.ADMINISTRATOR))
    close = reverse("payments:close", args=[run.pk])
    html = client.get(reverse("payments:run", args=[run.pk])).content.decode()
    assert f'href="{close}"' in html
    assert f'action="{close}"' not in html  # no button that closes the month in one click
    page = client.get(close)
    assert page.status_code == 200
    text = page.content.decode()
    assert "februari 2024" in text and run.provider.name in text
    assert 'type="checkbox"' in text and "required" in text
    run.refresh_from_db()
    assert not run.is_closed


@time_machine.travel(NOW, tick=False)
def test_a_month_is_not_closed_without_the_box_ticked(client, run):
    client.force_login(make_user(Role.ADMINISTRATOR))
    response = client.post(reverse("payments:close", args=[run.pk]))
    assert response.status_code == 400
    assert "Kryssa i rutan för att bekräfta." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    run.refresh_from_db()
    assert not run.is_closed


@time_machine.travel(NOW, tick=False)
def test_a_month_is_closed_once_confirmed(client, run):
    client.force_login(make_user(Role.ADMINISTRATOR))
    response = client.post(reverse("payments:close", args=[run.pk]), {"confirm": "on"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.is_closed
    # A closed month has nothing left to confirm: the page goes back to the run.
    again = client.get(reverse("payments:close", args=[run.pk]))
    assert again.status_code == 302


@time_machine.travel(NOW, tick=False)
def test_only_an_administrator_sees_the_closing_step(client, run, world):
    client.force_login(world.admin)
    assert client.get(reverse("payments:close", args=[run.pk])).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_a_key_is_revoked_only_after_confirmation(client, world):
    client.force_login(world.admin)
    token = ApiToken.objects.get(provider=world.provider)
    revoke = reverse("providers:token_revoke", args=[token.pk])
    listing = client.get(reverse("providers:tokens")).content.decode()
    assert f'href="{revoke}"' in listing and f'action="{revoke}"' not in listing
    page = client.get(revoke)
    assert page.status_code == 200 and token.name in page.content.decode()
    refused = client.post(revoke)
    assert refused.status_code == 400
    assert "Kryssa i rutan för att bekräfta." in refused.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.post(revoke, {"confirm": "on"}).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


@time_machine.travel(NOW, tick=False)
def test_another_providers_key_has_no_revoking_step(client, world):
    other = provider_world()
    client.force_login(world.admin)
    token = ApiToken.objects.get(provider=other.provider)
    revoke = reverse("providers:token_revoke", args=[token.pk])
    assert client.get(revoke).status_code == 404
    assert client.post(revoke, {"confirm": "on"}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
