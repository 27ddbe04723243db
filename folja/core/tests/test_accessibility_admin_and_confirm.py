"""axe-core in real Chromium on the administrator's start page and the confirmation steps
(closing a payment month, revoking an API key), also as they read with the field error."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from folja.accounts.models import Role
from folja.payments.services import payment_run_build
from folja.providers.models import ApiToken
from folja.testing.browser import axe_violations, login
from folja.testing.factories import make_user
from folja.testing.factories_providers import provider_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _summary(violations: list[dict]) -> list[tuple[str, list]]:
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


def _check(page, url: str) -> None:
    page.goto(url)
    assert page.locator("h1").count() == 1, url
    assert _summary(axe_violations(page)) == [], url


def _skip_browser_validation(page) -> None:
    page.locator("main form").evaluate("form => { form.noValidate = true; }")


def test_the_administrator_start_page_and_the_closing_step_have_no_axe_violations(page):
    with time_machine.travel(datetime(2024, 3, 2, 9, 0), tick=False):
        world = provider_world()
        run = payment_run_build(user=None, provider=world.provider, month=date(2024, 2, 1))
    make_user(Role.ADMINISTRATOR, username="admin", is_staff=True, is_superuser=True)
    login(page, "admin")
    _check(page, "/")
    _check(page, f"/utbetalning/{run.pk}/stang/")
    # The browser itself refuses the form with the box unticked (required); sent anyway, as a
    # browser without that check would, the server answers with the error, without violations.
    _skip_browser_validation(page)
    page.get_by_role("button", name="Stäng månaden").click()
    page.locator("#confirm-error").wait_for()
    assert _summary(axe_violations(page)) == []


def test_the_revoking_step_has_no_axe_violations(page):
    world = provider_world()
    world.admin.username = "utforare-admin"
    world.admin.save(update_fields=["username"])
    token = ApiToken.objects.get(provider=world.provider)
    login(page, "utforare-admin")
    _check(page, f"/utforare/api-nycklar/{token.pk}/aterkalla/")
    _skip_browser_validation(page)
    page.get_by_role("button", name="Återkalla nyckeln").click()
    page.locator("#confirm-error").wait_for()
    assert _summary(axe_violations(page)) == []
