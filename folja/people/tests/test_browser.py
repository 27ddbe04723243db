"""The person registry in real Chromium, as a new caseworker would use it: register a person
and their representative by the labels, see both on the person page; the unit manager names
staff; a Navet file is uploaded. axe-core reports no violations on any of these pages."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from folja.accounts.models import Role
from folja.people.models import Person, Representative
from folja.rules.luhn import make_personnummer
from folja.testing.browser import axe_violations, login
from folja.testing.factories import DistrictFactory, PersonFactory, make_user, reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASTRID = make_personnummer(date(1968, 4, 2), 246)
GOOD_MAN = make_personnummer(date(1955, 9, 30), 137)


def _summary(violations: list[dict]) -> list[tuple[str, list]]:
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


def _no_violations(page) -> None:
    assert page.locator("h1").count() == 1, page.url
    assert _summary(axe_violations(page)) == [], page.url


def test_a_caseworker_registers_a_person_with_a_representative(page, tmp_path):
    reference_data()
    district = DistrictFactory(name="Farsta")
    make_user(Role.CASEWORKER, district=district, username="hanna")
    make_user(Role.UNIT_MANAGER, district=district, username="chefen", first_name="Chef")

    login(page, "hanna")
    page.goto("/handlaggning/")
    page.get_by_role("link", name="Registrera ny person").click()
    page.wait_for_url(re.compile(r"/personregister/ny/$"))
    _no_violations(page)
    # A wrong number first: the error is next to the field, in Swedish, and nothing is lost.
    page.get_by_label("Personnummer").fill(ASTRID[:-1] + str((int(ASTRID[-1]) + 1) % 10))
    page.get_by_label("Förnamn").fill("Astrid")
    page.get_by_label("Efternamn").fill("Lund")
    page.get_by_role("button", name="Registrera personen").click()
    expect(page.locator(".error-summary")).to_contain_text("giltigt personnummer")
    expect(page.get_by_label("Förnamn")).to_have_value("Astrid")
    _no_violations(page)
    page.get_by_label("Personnummer").fill(ASTRID)
    page.get_by_label(re.compile(r"^Adress")).fill("Storgatan 1")
    page.get_by_label("Skyddad identitet").select_option("confidentiality_mark")
    page.get_by_role("button", name="Registrera personen").click()
    person = Person.objects.get(personnummer=ASTRID)
    page.wait_for_url(re.compile(rf"/handlaggning/person/{person.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text("Personen är registrerad.")
    _no_violations(page)

    page.get_by_role("link", name="Lägg till företrädare").click()
    _no_violations(page)
    page.get_by_label("God man").check()
    page.get_by_label("Namn", exact=True).fill("Gunnar Man")
    page.get_by_label("Företrädarens personnummer").fill(GOOD_MAN)
    page.get_by_label("Förordnad från").fill("2024-01-01")
    page.get_by_role("button", name="Registrera företrädaren").click()
    page.wait_for_url(re.compile(rf"/handlaggning/person/{person.pk}/$"))
    expect(page.locator("main")).to_contain_text("Gunnar Man")
    assert Representative.objects.get(person=person).personnummer == GOOD_MAN

    page.get_by_role("link", name="Ändra personuppgifter").click()
    _no_violations(page)
    page.goto(f"/handlaggning/person/{person.pk}/")
    page.get_by_role("link", name="Ändra Gunnar Man").click()
    page.wait_for_url(re.compile(r"/personregister/foretradare/[0-9]+/$"))
    _no_violations(page)

    # The unit manager names the caseworker for the protected person.
    page.context.clear_cookies()
    login(page, "chefen")
    page.goto(f"/handlaggning/person/{person.pk}/")
    page.get_by_role("link", name="Behörighet till skyddade uppgifter").click()
    _no_violations(page)
    page.get_by_label(re.compile("^Test Användare")).first.check()
    page.get_by_role("button", name="Spara behörigheten").click()
    page.wait_for_url(re.compile(rf"/handlaggning/person/{person.pk}/$"))
    assert person.named_staff.count() == 1


def test_the_navet_upload_and_the_access_log_search_have_no_axe_violations(page, tmp_path):
    reference_data()
    district = DistrictFactory(name="Farsta")
    make_user(Role.UNIT_MANAGER, district=district, username="chefen")
    person = PersonFactory(district=district, last_name="Lind")
    PersonFactory(district=district, last_name="Lind")
    login(page, "chefen")
    page.goto("/personregister/navet/")
    _no_violations(page)
    bad = tmp_path / "fel.txt"
    bad.write_text(
        "#NAVET_AVISERING 1\n#KOMMUN 0180\n#SKAPAD 20240101\n#POST_START\n"
        "#PERSONNUMMER 1\n#POST_SLUT\n",
        encoding="utf-8",
    )
    page.get_by_label("Fil från folkbokföringen (Navet)").set_input_files(str(bad))
    page.get_by_role("button", name="Läs in filen").click()
    expect(page.get_by_role("table")).to_contain_text("PERSONNUMMER")
    _no_violations(page)
    good = tmp_path / "ratt.txt"
    good.write_text(
        "#NAVET_AVISERING 1\n#KOMMUN 0180\n#SKAPAD 20240101\n#POST_START\n"
        f"#PERSONNUMMER {person.personnummer}\n#SEKRETESSMARKERING J\n#POST_SLUT\n",
        encoding="utf-8",
    )
    page.get_by_label("Fil från folkbokföringen (Navet)").set_input_files(str(good))
    page.get_by_role("button", name="Läs in filen").click()
    expect(page.get_by_role("status")).to_contain_text("Filen är inläst")
    _no_violations(page)
    for query in ("Lind", "Ingen Alls"):
        page.goto(f"/granskning/?q={query}")
        _no_violations(page)


def test_a_representative_of_two_chooses_and_of_one_goes_straight_to_the_principal(page):
    reference_data()
    district = DistrictFactory(name="Farsta")
    anna = PersonFactory(district=district, first_name="Anna", last_name="Ek")
    bo = PersonFactory(district=district, first_name="Bo", last_name="Ek")
    two = make_user(Role.REPRESENTATIVE, username="tva")
    for person in (anna, bo):
        Representative.objects.create(person=person, user=two, kind="god_man", name="Två")
    one = make_user(Role.REPRESENTATIVE, username="en")
    Representative.objects.create(person=bo, user=one, kind="forvaltare", name="En")

    login(page, "tva")
    page.goto("/mina-sidor/valj-person/")
    _no_violations(page)
    page.get_by_label("Vem vill du se uppgifter för?").select_option(label="Bo Ek")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_url(re.compile(r"/mina-sidor/$"))
    expect(page.locator(".acting-for")).to_contain_text("Bo Ek")

    page.context.clear_cookies()
    login(page, "en")
    page.goto("/mina-sidor/valj-person/")
    page.wait_for_url(re.compile(r"/mina-sidor/$"))
    expect(page.locator(".acting-for")).to_contain_text("Bo Ek")
    expect(page.get_by_role("link", name="Byt person")).to_have_count(0)
