"""The administrator's start page: links to everything the role may use, each of which opens;
no redirect to Django's admin (which sent a user without staff rights round in a loop)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from folja.accounts.models import Role
from folja.testing.factories import make_user, reference_data

pytestmark = pytest.mark.django_db


def _links(html: str) -> set[str]:
    main = html[html.index('<main id="main"') :]
    return set(re.findall(r'href="(/[^"]*)"', main))


def test_the_administrator_gets_a_start_page_not_a_redirect(client):
    client.force_login(make_user(Role.ADMINISTRATOR))
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    links = _links(html)
    assert {reverse("payments:runs"), reverse("audit:export"), reverse("followup:dashboard")} <= (
        links
    )
    for url in links:
        assert client.get(url).status_code == 200, url


def test_without_staff_rights_the_page_offers_no_admin_link_that_would_loop(client):
    client.force_login(make_user(Role.ADMINISTRATOR, is_staff=False))
    html = client.get("/").content.decode()
    assert reverse("admin:index") not in html  # neither on the page nor in the menu
    assert "inte behörighet till administrationen" in html


def test_a_staff_administrator_reaches_the_reference_data_from_the_start_page(client):
    reference_data()
    client.force_login(make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    html = client.get("/").content.decode()
    links = _links(html)
    for model in ("people/district", "guidelines/legalbasis", "guidelines/guidelineversion"):
        assert f"/admin/{model}/" in links
    for url in links:
        assert client.get(url).status_code == 200, url


def test_the_menu_of_an_administrator_names_payment_runs_and_the_log_export(client):
    client.force_login(make_user(Role.ADMINISTRATOR))
    html = client.get(reverse("payments:runs")).content.decode()
    nav = html[html.index("<nav") : html.index("</nav>")]
    assert reverse("payments:runs") in nav and reverse("audit:export") in nav


@pytest.mark.parametrize(
    ("role", "start"),
    [(Role.CASEWORKER, "cases:caseload"), (Role.ANALYST, "followup:dashboard")],
)
def test_other_roles_still_start_on_their_own_page(client, role, start):
    client.force_login(make_user(role))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse(start)
