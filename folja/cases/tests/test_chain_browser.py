"""The whole chain of issue 13 in real Chromium, as a new caseworker, a new person, their
representative and a provider would do it: register a person with a representative; the person
applies on Mina sidor; the caseworker assesses, decides, writes the letter, records the
provider choice and orders; the provider accepts; a reconsideration changes the hours and the
provider sees it; a second appeal goes to court and its judgment is recorded. Every step waits
on a URL or an element, never on time; axe-core checks the new pages."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from folja.accounts.models import Role
from folja.cases.models import (
    AppealStatus,
    Application,
    ApplicationAttachment,
    Decision,
    DecisionLetter,
    Task,
    TaskKind,
)
from folja.core.clock import today
from folja.people.models import Person, Representative
from folja.providers.models import Order, OrderNotice, ProviderChoice
from folja.providers.selectors import decision_in_force
from folja.rules.luhn import make_personnummer
from folja.testing.browser import axe_violations, login
from folja.testing.factories import (
    DecisionFactory,
    DistrictFactory,
    PersonFactory,
    ProviderFactory,
    make_user,
    reference_data,
)
from folja.testing.receipts import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSON_NUMBER = make_personnummer(date(1984, 3, 12), 238)  # a woman (even serial)
REP_NUMBER = make_personnummer(date(1961, 9, 30), 135)


@pytest.fixture
def city(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    reference_data()
    district = DistrictFactory(
        name="Farsta", appeal_address="Farsta stadsdelsförvaltning\nBox 81\n123 21 Farsta"
    )
    caseworker = make_user(
        Role.CASEWORKER, district=district, username="hanna", first_name="Hanna", last_name="Berg"
    )
    make_user(Role.UNIT_MANAGER, district=district, username="chefen")
    provider = ProviderFactory(name="Följeslagarna AB")
    make_user(Role.PROVIDER_STAFF, provider=provider, username="utforaren")
    # The representative's e-ID login exists before the caseworker registers the mandate; the
    # registry links the two by the representative's own personnummer.
    make_user(Role.REPRESENTATIVE, username="godman", personnummer=REP_NUMBER)
    return {"district": district, "caseworker": caseworker, "provider": provider}


def _logout(page) -> None:
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("button", name="Logga ut")).to_have_count(0)


def _register_person_with_representative(page) -> Person:
    login(page, "hanna")
    page.get_by_role("link", name="Registrera ny person").click()
    page.get_by_label("Personnummer", exact=True).fill(PERSON_NUMBER)
    page.get_by_label("Förnamn").fill("Astrid")
    page.get_by_label("Efternamn").fill("Lund")
    page.get_by_label("Adress").fill("Storgatan 1")
    page.get_by_label("Postnummer").fill("123 45")
    page.get_by_label("Ort").fill("Farsta")
    page.get_by_role("button", name="Registrera personen").click()
    page.wait_for_url(re.compile(r"/handlaggning/person/\d+/$"))
    person = Person.objects.get(personnummer=PERSON_NUMBER)

    page.get_by_role("link", name="Lägg till företrädare").click()
    page.get_by_label("God man").check()
    page.get_by_label("Namn", exact=True).fill("Gustav Man")
    page.get_by_label("Företrädarens personnummer").fill(REP_NUMBER)
    page.get_by_label("Förordnad från").fill("2024-01-01")
    page.get_by_role("button", name="Registrera företrädaren").click()
    page.wait_for_url(re.compile(rf"/handlaggning/person/{person.pk}/$"))
    expect(page.locator("strong", has_text="Gustav Man")).to_be_visible()
    assert Representative.objects.get(person=person).user.username == "godman"
    _logout(page)
    return person


def _apply_on_mina_sidor(page, person: Person, tmp_path) -> Application:
    # The person's own e-ID login (in tests a password stands in for the e-ID).
    make_user(Role.PERSON, person=person, username="astrid")
    login(page, "astrid")
    page.goto("/mina-sidor/")
    page.get_by_role("link", name="Ansökningar").click()
    page.get_by_role("link", name="Sök ledsagning").click()
    expect(page.get_by_role("heading", name="Sök ledsagning")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Ledsagning till vissa aktiviteter").check()
    page.get_by_label("Vilka aktiviteter?").fill("Simning på onsdagar, konserter.")
    page.get_by_label("LSS – om du har rätt till stöd enligt LSS (ledsagarservice)").check()
    page.get_by_label("Hur många timmar i månaden behöver du?").fill("12")
    certificate = tmp_path / "lakarintyg.png"
    certificate.write_bytes(image_bytes("PNG", (40, 30)))
    page.get_by_label("Bifoga dokument (om du vill)").set_input_files(str(certificate))
    # The needs are forgotten: a field error in plain Swedish, and nothing typed is lost.
    page.get_by_role("button", name="Skicka ansökan").click()
    expect(page.get_by_role("alert")).to_contain_text("Berätta vad du behöver hjälp med.")
    expect(page.get_by_label("Vilka aktiviteter?")).to_have_value("Simning på onsdagar, konserter.")
    expect(page.get_by_label("Hur många timmar i månaden behöver du?")).to_have_value("12")
    expect(page.get_by_text("Ta bort lakarintyg.png")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Berätta vad du behöver hjälp med", exact=True).fill(
        "Jag ser dåligt och kan inte ta mig till simhallen själv."
    )
    page.get_by_role("button", name="Skicka ansökan").click()
    page.wait_for_url(re.compile(r"/mina-sidor/ansokan/$"))
    expect(page.get_by_role("table")).to_contain_text("Mottagen. Din handläggare hör av sig.")
    assert axe_violations(page) == []
    application = Application.objects.get(person=person)
    assert ApplicationAttachment.objects.get(application=application).content_type == "image/png"
    _logout(page)

    # The representative sees the principal's application and its status.
    login(page, "godman")
    page.goto("/mina-sidor/ansokan/")
    expect(page.get_by_role("table")).to_contain_text("Simning på onsdagar")
    _logout(page)
    return application


def _assess_decide_letter_and_order(page, person: Person, application: Application) -> Decision:
    login(page, "hanna")
    page.goto("/handlaggning/arbetslista/")
    expect(page.get_by_role("table")).to_contain_text("Ny ansökan från Mina sidor")
    task = Task.objects.get(kind=TaskKind.E_APPLICATION, person=person)
    assert task.assigned_to is not None
    page.goto(f"/handlaggning/person/{person.pk}/")
    page.get_by_role("link", name=application.received_on.isoformat()).click()
    page.wait_for_url(re.compile(rf"/ansokan/{application.pk}/$"))
    expect(page.locator("dl.facts")).to_contain_text("Jag ser dåligt")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Börja utredningen").click()

    page.get_by_label("Behov", exact=True).fill("Behöver ledsagning till simning och konserter.")
    for select in page.locator("select[id^=id_cw_]").all():
        select.select_option("4")
    page.get_by_role("button", name="Spara utredning och gå till beslut").click()

    expect(page.get_by_role("heading", name="Beslutsstöd: jämförbara beslut")).to_be_visible()
    expect(page.get_by_label("Tilldelningsmodell")).to_have_value("")
    page.get_by_label("Bifall").check()
    page.get_by_label("Beviljade timmar per månad").fill("12")
    page.get_by_label("Motivering", exact=True).fill("Behovet av stöd för fritid är utrett.")
    page.get_by_role("button", name="Fatta beslut").click()
    page.wait_for_url(re.compile(r"/beslut/\d+/$"))
    decision = Decision.objects.get(person=person)
    assert decision.application_id == application.pk and decision.hours_per_month == 12

    page.get_by_role("button", name="Utfärda beslutsbrev").click()
    page.wait_for_url(re.compile(r"/brev/\d+/$"))
    letter = DecisionLetter.objects.get(decision=decision)
    assert "Box 81" in letter.html and "exempelvärde" not in letter.html
    page.get_by_role("link", name="Till beslutet", exact=True).click()

    # The person's choice of provider, made with the caseworker on the comparison page.
    page.get_by_role("link", name="Val av utförare").click()
    page.wait_for_url(re.compile(r"/val-av-utforare/$"))
    page.get_by_label("Den enskilde har valt utförare").check()
    page.get_by_label("Utförare som den enskilde valt").select_option(label="Följeslagarna AB")
    page.get_by_role("button", name="Spara valet och gå till beställningen").click()
    page.wait_for_url(re.compile(r"/bestallning/$"))
    # The order form preselects the choice.
    expect(page.get_by_label("Utförare som den enskilde valt")).to_have_value(
        str(ProviderChoice.objects.get(person=person).provider_id)
    )
    page.get_by_label("Mål med insatsen").fill("Simma varje vecka.")
    page.get_by_label("Aktiviteter", exact=True).fill("Simning, konserter.")
    page.get_by_label("Kommunikationsbehov").fill("Tydligt tal.")
    page.get_by_label("Kontaktvägar och överenskommelser").fill("Sms dagen före.")
    page.get_by_role("button", name="Spara och skicka till utföraren").click()
    page.wait_for_url(re.compile(rf"/person/{person.pk}/$"))
    assert Order.objects.get(person=person).status == "sent"
    _logout(page)
    return decision


def _provider_accepts(page) -> None:
    login(page, "utforaren")
    page.goto("/utforare/")
    page.get_by_role("button", name="Acceptera beställningen för Astrid Lund").click()
    expect(
        page.get_by_role("button", name="Acceptera beställningen för Astrid Lund")
    ).to_have_count(0)
    _logout(page)


def _register_appeal(page, decision: Decision, grounds: str) -> int:
    page.goto(f"/handlaggning/beslut/{decision.pk}/")
    page.get_by_label("Den enskildes skäl").fill(grounds)
    page.get_by_role("button", name="Registrera överklagande").click()
    page.wait_for_url(re.compile(r"/overklagande/\d+/$"))
    return int(re.search(r"/overklagande/(\d+)/$", page.url).group(1))


def _reconsideration_changes_the_hours(page, decision: Decision) -> Decision:
    login(page, "hanna")
    _register_appeal(page, decision, "Jag behöver fler timmar.")
    # The court is not offered before the reconsideration is recorded.
    expect(page.get_by_role("button", name="Överlämna")).to_have_count(0)
    page.get_by_label("Ja – beslutet ändras").check()
    page.get_by_label("Omprövningens motivering").fill("Nytt läkarintyg visar större behov.")
    page.get_by_label("Nytt utfall").select_option("granted")
    page.get_by_label("Nya timmar per månad").fill("16")
    page.get_by_role("button", name="Spara omprövning").click()
    expect(page.locator("dl.facts")).to_contain_text("Omprövad – beslutet ändrat")
    new = Decision.objects.get(supersedes=decision)
    assert new.hours_per_month == 16
    page.goto(f"/handlaggning/beslut/{decision.pk}/")
    expect(page.locator("#decision-replaced")).to_contain_text("Beslutet är ersatt.")
    assert axe_violations(page) == []
    _logout(page)

    login(page, "utforaren")
    page.goto("/utforare/")
    expect(page.get_by_text("Beslutet har ändrats: 12 → 16 timmar per månad")).to_be_visible()
    page.get_by_role("button", name="Kvittera ändringen för Astrid Lund").click()
    expect(page.get_by_role("button", name="Kvittera ändringen för Astrid Lund")).to_have_count(0)
    _logout(page)
    return new


def _appeal_to_court_and_judgment(page, decision: Decision) -> Decision:
    login(page, "hanna")
    appeal_id = _register_appeal(page, decision, "Jag behöver 20 timmar.")
    page.get_by_label("Nej – beslutet står fast").check()
    page.get_by_label("Omprövningens motivering").fill("Inga nya uppgifter.")
    page.get_by_role("button", name="Spara omprövning").click()
    expect(page.get_by_role("button", name="Överlämna")).to_be_visible()
    page.get_by_label(re.compile(r"^Målnummer")).fill("4711-24")
    page.get_by_role("button", name="Överlämna").click()
    expect(page.locator("dl.facts")).to_contain_text("Överlämnad till förvaltningsrätten")
    expect(page.get_by_role("heading", name="Förvaltningsrättens dom")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Bifall", exact=True).check()
    page.get_by_label("Domen i korthet").fill("Rätt till 20 timmar i månaden.")
    page.get_by_label("Timmar per månad enligt domen").fill("20")
    page.get_by_role("button", name="Registrera domen").click()
    expect(page.locator("dl.facts")).to_contain_text("Avgjord av domstol")
    expect(page.locator("dl.facts")).to_contain_text("Beslut enligt domen")
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile(r"^Bifall, 20 timmar per månad")).click()
    page.wait_for_url(re.compile(r"/beslut/\d+/$"))
    expect(page.locator("#decision-replaces")).to_contain_text("förvaltningsrättens dom")
    _logout(page)
    appeal = decision.appeals.get(pk=appeal_id)
    assert appeal.status == AppealStatus.DECIDED_BY_COURT
    return appeal.court_decision


def test_the_chain_from_registration_to_a_court_judgment(page, city, tmp_path):
    person = _register_person_with_representative(page)
    application = _apply_on_mina_sidor(page, person, tmp_path)
    decision = _assess_decide_letter_and_order(page, person, application)
    _provider_accepts(page)
    order = Order.objects.get(person=person)
    assert order.status == "accepted"

    reconsidered = _reconsideration_changes_the_hours(page, decision)
    assert decision_in_force(order).pk == reconsidered.pk
    assert OrderNotice.objects.get(order=order).acknowledged_at is not None

    judged = _appeal_to_court_and_judgment(page, reconsidered)
    assert judged.hours_per_month == Decimal("20")
    assert decision_in_force(order).pk == judged.pk
    assert OrderNotice.objects.filter(order=order, decision=judged).exists()
    application.refresh_from_db()
    assert application.decisions.filter(superseded_by__isnull=True).get().pk == judged.pk


def test_a_late_appeal_is_dismissed_with_a_letter_of_its_own(page, city):
    person = PersonFactory(district=city["district"], first_name="Bo", last_name="Ek")
    decision = DecisionFactory(
        person=person, caseworker=city["caseworker"], notified_on=today() - timedelta(days=60)
    )
    login(page, "hanna")
    _register_appeal(page, decision, "Jag glömde bort att skicka det.")
    expect(page.locator("dl.facts")).to_contain_text("För sent inkommet")
    page.get_by_label("Motivering").fill("Överklagandet kom in fem veckor för sent.")
    page.get_by_role("button", name="Avvisa").click()
    expect(page.locator("dl.facts")).to_contain_text("Avvisad – för sent inkommen")
    facts = page.locator("dl.facts").inner_text()
    assert "Omprövat" not in facts and "fem veckor för sent" in facts
    assert axe_violations(page) == []
    page.get_by_role("link", name="Visa avvisningsbeslutet").click()
    page.wait_for_url(re.compile(r"/brev/\d+/$"))
    assert axe_violations(page) == []
    letter = DecisionLetter.objects.get(appeal__decision=decision)
    assert letter.kind == "dismissal" and "Ditt överklagande kom in för sent" in letter.html
