"""The person registry in the web: a caseworker registers and edits a person and their legal
representatives; the unit manager names who may see a protected person's details."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from folja.accounts.models import Role
from folja.audit.models import AccessLog, AuditEvent
from folja.people.models import Person, Representative
from folja.rules.luhn import make_personnummer
from folja.testing.factories import DistrictFactory, PersonFactory, make_user, reference_data

pytestmark = pytest.mark.django_db

ANNA = make_personnummer(date(1975, 3, 9), 242)
COORDINATION = make_personnummer(date(1990, 11, 4), 123, coordination=True)
GOOD_MAN = make_personnummer(date(1960, 1, 20), 135)


@pytest.fixture(scope="module", autouse=True)
def _reference(django_db_setup, django_db_blocker):
    # Guideline versions and legal bases: the person page reads the figures through them.
    with django_db_blocker.unblock():
        reference_data()


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2024, 6, 14, 10), tick=False):
        yield


@pytest.fixture
def district():
    return DistrictFactory(name="Farsta")


@pytest.fixture
def caseworker(district):
    return make_user(Role.CASEWORKER, district=district, username="hanna")


@pytest.fixture
def colleague(district):
    return make_user(Role.CASEWORKER, district=district, username="kalle")


@pytest.fixture
def manager(district):
    return make_user(Role.UNIT_MANAGER, district=district, username="chefen")


@pytest.fixture
def other_caseworker():
    return make_user(Role.CASEWORKER, district=DistrictFactory(name="Bromma"))


def _person_data(**overrides) -> dict:
    data = {
        "personnummer": ANNA,
        "first_name": "Anna",
        "last_name": "Berg",
        "address": "Storgatan 1",
        "postal_code": "123 45",
        "city": "Stockholm",
        "phone": "070-123 45 67",
        "email": "",
        "language": "svenska",
        "preferred_format": "standard",
        "protected_identity": "none",
    }
    return data | overrides


def test_a_caseworker_registers_a_person_in_their_district_with_birth_date_and_sex_from_the_number(
    client, caseworker, district
):
    client.force_login(caseworker)
    response = client.post(reverse("people:person_register"), _person_data())
    person = Person.objects.get(personnummer=ANNA)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:person_detail", args=[person.pk])
    assert person.district == district
    assert person.birth_date == date(1975, 3, 9)
    assert person.sex == "female"
    assert person.pseudonym.startswith("P") and ANNA not in person.pseudonym
    assert AuditEvent.objects.filter(action="person_registered", object_id=str(person.pk)).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Personen är registrerad." in page


def test_a_samordningsnummer_is_accepted_with_the_day_plus_60(client, caseworker):
    client.force_login(caseworker)
    client.post(reverse("people:person_register"), _person_data(personnummer=COORDINATION))
    person = Person.objects.get(personnummer=COORDINATION)
    assert person.birth_date == date(1990, 11, 4)
    assert COORDINATION[6:8] == "64"


def test_an_invalid_number_gets_a_swedish_field_error_and_nothing_is_stored(client, caseworker):
    client.force_login(caseworker)
    wrong_check_digit = ANNA[:-1] + str((int(ANNA[-1]) + 1) % 10)
    response = client.post(
        reverse("people:person_register"), _person_data(personnummer=wrong_check_digit)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "inte ett giltigt personnummer eller samordningsnummer" in html
    assert 'aria-invalid="true"' in html
    assert not Person.objects.exists()


def test_a_number_already_registered_is_refused_without_showing_the_other_file(
    client, caseworker, other_caseworker
):
    PersonFactory(personnummer=ANNA, district=other_caseworker.district, first_name="Hemlig")
    client.force_login(caseworker)
    response = client.post(reverse("people:person_register"), _person_data())
    html = response.content.decode()
    assert "Det finns redan en person med det numret" in html
    assert "Hemlig" not in html
    assert Person.objects.count() == 1


def test_a_caseworker_edits_a_person_and_the_audit_names_the_fields_only(client, caseworker):
    person = PersonFactory(district=caseworker.district, address="Gamla vägen 1")
    client.force_login(caseworker)
    data = _person_data(personnummer=person.personnummer, address="Nya vägen 2")
    response = client.post(reverse("people:person_edit", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.address == "Nya vägen 2"
    event = AuditEvent.objects.get(action="person_updated")
    assert "address" in event.details["fields"]
    assert "Nya vägen 2" not in str(event.details)
    assert AccessLog.objects.filter(person_id=person.pk, what="person_register").exists()


def test_another_districts_caseworker_gets_404_on_every_registry_page(client, other_caseworker):
    person = PersonFactory()
    rep = Representative.objects.create(person=person, kind="god_man", name="Gun Man")
    client.force_login(other_caseworker)
    for url in (
        reverse("people:person_edit", args=[person.pk]),
        reverse("people:representative_add", args=[person.pk]),
        reverse("people:representative_edit", args=[rep.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_a_representative_is_registered_with_their_own_number_kind_and_mandate_dates(
    client, caseworker
):
    person = PersonFactory(district=caseworker.district)
    login = make_user(Role.REPRESENTATIVE, personnummer=GOOD_MAN)
    client.force_login(caseworker)
    response = client.post(
        reverse("people:representative_add", args=[person.pk]),
        {
            "kind": "forvaltare",
            "name": "Gustav Man",
            "personnummer": GOOD_MAN.replace("-", ""),
            "address": "Box 12",
            "postal_code": "111 22",
            "city": "Stockholm",
            "valid_from": "2024-01-01",
            "valid_to": "2026-12-31",
        },
    )
    assert response.status_code == 302
    rep = Representative.objects.get(person=person)
    assert rep.kind == "forvaltare"
    assert rep.personnummer == GOOD_MAN
    assert (rep.valid_from, rep.valid_to) == (date(2024, 1, 1), date(2026, 12, 31))
    assert rep.active
    # The e-ID login with the same number now acts for this principal on Mina sidor.
    assert rep.user == login
    page = client.get(reverse("cases:person_detail", args=[person.pk])).content.decode()
    assert "Gustav Man" in page and "Förvaltare" in page and GOOD_MAN in page


def test_a_mandate_that_ends_before_it_begins_is_a_field_error(client, caseworker):
    person = PersonFactory(district=caseworker.district)
    client.force_login(caseworker)
    response = client.post(
        reverse("people:representative_add", args=[person.pk]),
        {
            "kind": "god_man",
            "name": "Gun Man",
            "personnummer": GOOD_MAN,
            "valid_from": "2024-05-01",
            "valid_to": "2024-04-01",
        },
    )
    assert response.status_code == 200
    assert "Förordnandet kan inte sluta innan det börjar." in response.content.decode()
    assert not Representative.objects.exists()


def test_an_ended_mandate_ends_the_representatives_access(client, caseworker):
    person = PersonFactory(district=caseworker.district)
    login = make_user(Role.REPRESENTATIVE, personnummer=GOOD_MAN)
    rep = Representative.objects.create(
        person=person, user=login, kind="god_man", name="Gun Man", personnummer=GOOD_MAN
    )
    client.force_login(caseworker)
    client.post(
        reverse("people:representative_edit", args=[rep.pk]),
        {
            "kind": "god_man",
            "name": "Gun Man",
            "personnummer": GOOD_MAN,
            "valid_from": "2023-01-01",
            "valid_to": "2024-05-31",
        },
    )
    rep.refresh_from_db()
    assert not rep.active
    assert not Person.objects.visible_to(login).exists()
    page = client.get(reverse("cases:person_detail", args=[person.pk])).content.decode()
    assert "Gäller inte nu" in page


def test_the_unit_manager_names_staff_and_only_they_see_a_protected_persons_address(
    client, caseworker, colleague, manager
):
    person = PersonFactory(
        district=caseworker.district, protected_identity="protected_registration"
    )
    address = person.address
    detail = reverse("cases:person_detail", args=[person.pk])
    client.force_login(caseworker)
    assert address not in client.get(detail).content.decode()

    client.force_login(manager)
    response = client.post(
        reverse("people:named_staff", args=[person.pk]), {"staff": [caseworker.pk]}
    )
    assert response.status_code == 302
    assert list(person.named_staff.all()) == [caseworker]
    assert AuditEvent.objects.filter(action="named_staff_set").exists()

    client.force_login(caseworker)
    assert address in client.get(detail).content.decode()
    client.force_login(colleague)
    assert address not in client.get(detail).content.decode()
    # Nor does the edit form show it, or let the colleague overwrite it.
    edit = reverse("people:person_edit", args=[person.pk])
    assert address not in client.get(edit).content.decode()
    data = _person_data(personnummer=person.personnummer, address="Hittepå 1")
    client.post(edit, data | {"protected_identity": "protected_registration"})
    person.refresh_from_db()
    assert person.address == address


def test_staff_of_another_district_cannot_be_named(client, manager, other_caseworker):
    person = PersonFactory(district=manager.district, protected_identity="confidentiality_mark")
    client.force_login(manager)
    response = client.post(
        reverse("people:named_staff", args=[person.pk]), {"staff": [other_caseworker.pk]}
    )
    assert response.status_code == 200
    assert not person.named_staff.exists()


def test_a_caseworker_cannot_name_staff(client, caseworker):
    person = PersonFactory(district=caseworker.district, protected_identity="confidentiality_mark")
    client.force_login(caseworker)
    assert client.get(reverse("people:named_staff", args=[person.pk])).status_code == 404


def test_a_representative_sees_the_principal_only_while_the_mandate_is_in_force():
    person = PersonFactory()
    login = make_user(Role.REPRESENTATIVE, personnummer=GOOD_MAN)
    rep = Representative.objects.create(
        person=person,
        user=login,
        kind="god_man",
        name="Gun Man",
        valid_from=date(2024, 1, 1),
        valid_to=date(2024, 6, 30),
    )
    assert list(Person.objects.visible_to(login)) == [person]
    with time_machine.travel(datetime(2024, 7, 1, 10), tick=False):
        # The day after the mandate ended, though nobody has edited the representative.
        assert not Person.objects.visible_to(login).exists()
    rep.valid_from = date(2024, 6, 15)
    rep.save()
    assert not Person.objects.visible_to(login).exists()


def test_marking_a_person_protected_asks_the_unit_manager_to_name_staff(
    client, caseworker, manager
):
    from folja.cases.models import Task, TaskKind

    person = PersonFactory(district=caseworker.district)
    client.force_login(caseworker)
    data = _person_data(personnummer=person.personnummer, protected_identity="fictitious")
    client.post(reverse("people:person_edit", args=[person.pk]), data)
    task = Task.objects.get(person=person, kind=TaskKind.PROTECTION)
    assert task.details["marking"] == "fictitious"
    assert task.assigned_to == manager
    # Saving again changes nothing and raises nothing more.
    client.post(reverse("people:person_edit", args=[person.pk]), data)
    assert Task.objects.filter(person=person).count() == 1


def test_a_caseworker_not_named_cannot_lift_the_protection_to_see_the_address(client, colleague):
    person = PersonFactory(district=colleague.district, protected_identity="confidentiality_mark")
    client.force_login(colleague)
    data = _person_data(personnummer=person.personnummer, protected_identity="none")
    response = client.post(reverse("people:person_edit", args=[person.pk]), data)
    assert response.status_code == 200
    assert "Bara enhetschefen eller personal med behörighet" in response.content.decode()
    person.refresh_from_db()
    assert person.protected_identity == "confidentiality_mark"
    assert person.address not in response.content.decode()
