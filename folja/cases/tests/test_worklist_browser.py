"""The live work list in real Chromium, as a new caseworker would use it: the tasks are there
without pressing anything, a provider-change request leads to the provider comparison where
the choice is recorded with the person, a decision not carried out leads to its reason, and
each action confirms itself and returns to the list. axe-core checks every page."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from folja.accounts.models import Role
from folja.cases.models import NonExecution
from folja.core.clock import today
from folja.portal import services as portal_services
from folja.providers.models import ProviderChoice
from folja.testing.browser import axe_violations, login
from folja.testing.factories import DistrictFactory, ProviderFactory, make_user
from folja.testing.factories_portal import make_portal_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _summary(violations: list[dict]) -> list[tuple[str, list]]:
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


@pytest.fixture
def city(db):
    district = DistrictFactory(name="Farsta")
    caseworker = make_user(
        Role.CASEWORKER, district=district, username="hanna", first_name="Hanna", last_name="Berg"
    )
    # A decision of seven months that has never been carried out, and a change request.
    start = today() - timedelta(days=200)
    pp = make_portal_person(
        district=district,
        valid_from=start,
        valid_to=start + timedelta(days=364),
        hours_per_month=Decimal("8"),
    )
    pp.decision.caseworker = caseworker
    pp.decision.save()
    wanted = ProviderFactory(name="Vänner i Vardagen AB")
    portal_services.provider_change_request(
        user=pp.user,
        person=pp.person,
        from_provider=pp.provider,
        to_provider=wanted,
        reason="Jag vill ha en ledsagare som talar finska.",
    )
    return pp, wanted


def test_a_caseworker_works_the_list_from_request_to_recorded_choice_and_reason(page, city):
    pp, wanted = city
    login(page, "hanna")
    page.goto("/handlaggning/arbetslista/")
    expect(page.get_by_role("heading", name="Arbetslista")).to_be_visible()
    expect(page.get_by_text("Vill byta till: Vänner i Vardagen AB")).to_be_visible()
    expect(page.get_by_text("Jag vill ha en ledsagare som talar finska.")).to_be_visible()
    expect(page.get_by_role("button", name="Uppdatera arbetslistan")).to_have_count(0)
    assert _summary(axe_violations(page)) == []

    page.get_by_role("link", name=re.compile("Registrera valet")).click()
    page.wait_for_url(re.compile(r"/val-av-utforare/"))
    expect(page.get_by_role("table", name="Utförare att välja mellan")).to_be_visible()
    assert _summary(axe_violations(page)) == []
    page.get_by_label("Den enskilde har valt utförare").check()
    page.get_by_label("Utförare som den enskilde valt").select_option(label=wanted.name)
    page.get_by_role("button", name="Spara valet och gå till beställningen").click()
    page.wait_for_url(re.compile(r"/arbetslista/$"))
    expect(page.get_by_text("Valet av utförare är sparat: Vänner i Vardagen AB.")).to_be_visible()
    assert ProviderChoice.objects.get().provider == wanted

    page.get_by_role("link", name=re.compile("Ange skäl")).click()
    page.wait_for_url(re.compile(r"/ej-verkstallt/"))
    assert _summary(axe_violations(page)) == []
    page.get_by_label("Den enskilde vill vänta").check()
    page.get_by_role("button", name="Spara skälet").click()
    page.wait_for_url(re.compile(r"/arbetslista/$"))
    expect(page.get_by_text("Skälet är sparat i registret")).to_be_visible()
    assert NonExecution.objects.get().reason == "waiting"

    # The order form starts from the recorded choice.
    page.goto(f"/handlaggning/beslut/{pp.decision.pk}/bestallning/")
    expect(page.get_by_label("Utförare som den enskilde valt")).to_have_value(str(wanted.pk))
    assert _summary(axe_violations(page)) == []


def test_the_not_found_page_is_swedish_has_a_way_back_and_no_axe_violations(page, city):
    login(page, "hanna")
    response = page.goto("/handlaggning/beslut/999999/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Sidan finns inte")).to_be_visible()
    assert _summary(axe_violations(page)) == []
    page.get_by_role("link", name="Till startsidan").click()
    page.wait_for_url(lambda url: not url.endswith("/999999/"))
