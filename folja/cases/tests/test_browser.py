"""The whole casework path in real Chromium: application → assessment → decision → letter PDF
→ sent order, and the appeal path. Filled in the way a new user would, with labels."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from folja.accounts.models import Role
from folja.cases.models import Appeal, Decision, DecisionLetter
from folja.core.clock import today
from folja.providers.models import Order
from folja.testing.browser import axe_violations, login
from folja.testing.factories import (
    CostlyActivityFactory,
    DistrictFactory,
    ExpenseClaimFactory,
    PersonFactory,
    ProviderFactory,
    make_user,
    reference_data,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def setup_city(db):
    reference_data()
    district = DistrictFactory(name="Farsta")
    make_user(
        Role.CASEWORKER, district=district, username="hanna", first_name="Hanna", last_name="Berg"
    )
    ProviderFactory(name="Följeslagarna AB")
    return PersonFactory(district=district, first_name="Astrid", last_name="Lund")


def _decide(page, person) -> None:
    login(page, "hanna")
    # Keyboard only: type in the search field, submit with Enter, follow the link with Enter.
    page.get_by_label("Sök på namn eller personnummer").focus()
    page.keyboard.type("Lund")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"[?&]q=Lund"))
    page.get_by_role("link", name="Lund, Astrid").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/person/{person.pk}/$"))
    assert axe_violations(page) == []
    page.get_by_role("link", name="Registrera ny ansökan").click()
    page.get_by_label("Öppen ansökan").check()
    page.get_by_label("Sökt enligt").select_option("LSS")
    page.get_by_label("Sökta timmar per månad").fill("12")
    page.get_by_role("button", name="Spara ansökan och gå till utredning").click()

    page.get_by_label("Behov", exact=True).fill("Behöver ledsagning till konserter och träning.")
    for select in page.locator("select[id^=id_cw_]").all():
        select.select_option("4")
    page.get_by_label("Socialt nätverk – den enskildes egen skattning (1–7)").select_option("3")
    page.get_by_label("Färdtjänst").check()
    page.get_by_role("button", name="Spara utredning och gå till beslut").click()

    expect(page.get_by_role("heading", name="Beslutsstöd: jämförbara beslut")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Bifall").check()
    page.get_by_label("Beviljade timmar per månad").fill("12")
    page.get_by_label("Motivering", exact=True).fill("Behovet av stöd för fritid är utrett.")
    page.get_by_role("button", name="Fatta beslut").click()
    page.wait_for_url(re.compile(r"/beslut/\d+/$"))


def test_a_caseworker_takes_a_person_from_application_to_a_sent_order(page, setup_city):
    person = setup_city
    _decide(page, person)
    decision = Decision.objects.get(person=person)
    assert decision.hours_per_month == 12 and decision.model == "flex3"

    page.get_by_role("button", name="Utfärda beslutsbrev").click()
    page.wait_for_url(re.compile(r"/brev/\d+/$"))
    letter = DecisionLetter.objects.get(decision=decision)
    pdf_link = page.get_by_role("link", name="Ladda ned PDF")
    response = page.request.get(pdf_link.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")
    assert response.body() == bytes(letter.pdf)
    assert "Vi måste ha fått ditt överklagande senast" in letter.html

    page.get_by_role("link", name="Till beslutet").click()
    page.get_by_role("link", name="Ny beställning").click()
    page.get_by_label("Utförare som den enskilde valt").select_option(label="Följeslagarna AB")
    page.get_by_label("Mål med insatsen").fill("Gå på konserter två gånger i månaden.")
    page.get_by_role("button", name="Spara och skicka till utföraren").click()
    # Required handover fields: Swedish errors next to each, and nothing sent.
    assert page.locator("#id_contact_rules_error").inner_text().startswith("Skriv hur utföraren")
    assert Order.objects.get(person=person).status == "draft"
    page.get_by_label("Aktiviteter", exact=True).fill("Konserter, promenader.")
    page.get_by_label("Kommunikationsbehov").fill("Tydligt tal, korta meningar.")
    page.get_by_label("Kontaktvägar och överenskommelser").fill("Sms dagen före.")
    page.get_by_label("Önskat språk hos ledsagaren").fill("svenska, arabiska")
    page.get_by_role("button", name="Spara och skicka till utföraren").press("Enter")
    page.wait_for_url(re.compile(rf"/person/{person.pk}/$"))
    order = Order.objects.get(person=person)
    assert order.status == "sent" and order.preferred_languages == ["svenska", "arabiska"]
    assert "Skickad" in page.content()


def test_a_caseworker_handles_an_appeal_to_the_court(page, setup_city):
    person = setup_city
    _decide(page, person)
    page.get_by_role("button", name="Utfärda beslutsbrev").click()
    page.get_by_role("link", name="Till beslutet").click()
    page.get_by_label("Överklagandet inkom").fill(today().isoformat())
    page.get_by_label("Den enskildes skäl").fill("Jag behöver fler timmar.")
    page.get_by_role("button", name="Registrera överklagande").click()
    page.wait_for_url(re.compile(r"/overklagande/\d+/$"))
    assert "Inkommet i rätt tid" in page.content()
    assert axe_violations(page) == []

    page.get_by_label("Nej – beslutet står fast").check()
    page.get_by_label("Omprövningens motivering").fill("Inga nya uppgifter.")
    page.get_by_role("button", name="Spara omprövning").click()
    page.get_by_label("Överlämnat till förvaltningsrätten").fill(today().isoformat())
    page.get_by_role("button", name="Överlämna").click()
    expect(page.locator("dl.facts")).to_contain_text("Överlämnad till förvaltningsrätten")
    appeal = Appeal.objects.get(person=person)
    assert appeal.status == "forwarded" and appeal.reconsidered_on == today()
    page.get_by_role("link", name="Astrid Lund").click()
    page.wait_for_url(re.compile(rf"/person/{person.pk}/$"))
    assert "Överlämnad till förvaltningsrätten" in page.content()


def test_a_caseworker_tries_a_receipt_and_a_costly_activity_from_the_person_page(
    page, setup_city, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    person = setup_city
    claim = ExpenseClaimFactory(person=person, receipt_content_type="image/png")
    claim.receipt.save("kvitto.png", ContentFile(PNG), save=True)
    application = CostlyActivityFactory(person=person, date=today())
    login(page, "hanna")
    page.goto(f"/handlaggning/person/{person.pk}/")
    expect(page.get_by_role("heading", name="Pengar som väntar på beslut")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name=re.compile("^Pröva utlägg")).click()
    expect(page.get_by_role("heading", name="Pröva utlägg")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Avslå – utlägget ersätts inte").check()
    page.get_by_role("button", name="Spara beslut").click()
    expect(page.get_by_text("Skriv skälet till avslaget.", exact=True)).to_be_visible()
    page.get_by_label("Skäl").fill("Kvittot gäller inte ledsagarens kostnad.")
    page.get_by_role("button", name="Spara beslut").click()
    expect(page.get_by_text("Beslutet är sparat.")).to_be_visible()

    page.get_by_role("link", name=re.compile("^Pröva ansökan")).click()
    expect(page.get_by_label("Beviljat belopp (kr)")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Bevilja", exact=True).check()
    page.get_by_role("button", name="Spara beslut").click()
    expect(page.get_by_text("Beslutet är sparat.")).to_be_visible()

    claim.refresh_from_db()
    application.refresh_from_db()
    assert claim.status == "rejected"
    assert application.status == "approved"
    assert application.approved_amount_sek == application.estimated_cost_sek
