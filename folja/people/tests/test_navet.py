"""The population-register file (Navet, docs/navet.md): all or nothing with per-row errors, and
the effects of a move, a death and a new protection marking."""

from __future__ import annotations

import json
from datetime import date, datetime
from io import StringIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from folja.accounts.models import Role
from folja.audit.models import AuditEvent
from folja.cases.models import Decision, Task, TaskKind
from folja.people.models import Person
from folja.people.navet import NavetRejected, parse_navet
from folja.people.services_navet import navet_import
from folja.providers.models import Order, OrderStatus
from folja.rules.luhn import make_personnummer
from folja.testing.factories import (
    ApplicationFactory,
    DecisionFactory,
    DistrictFactory,
    OrderFactory,
    PersonFactory,
    SessionFactory,
    make_user,
    reference_data,
)

pytestmark = pytest.mark.django_db
TODAY = date(2024, 6, 14)


@pytest.fixture(scope="module", autouse=True)
def _reference(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        reference_data()


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2024, 6, 14, 10), tick=False):
        yield


def navet(*posts: str, municipality: str = "0180", created: str = "20240614") -> str:
    body = "".join(f"#POST_START\n{post.strip()}\n#POST_SLUT\n" for post in posts)
    return f"#NAVET_AVISERING 1\n#KOMMUN {municipality}\n#SKAPAD {created}\n{body}"


def test_a_file_with_a_move_a_death_and_a_new_protection_marking_has_each_effect():
    district = DistrictFactory(name="Farsta")
    caseworker = make_user(Role.CASEWORKER, district=district)
    manager = make_user(Role.UNIT_MANAGER, district=district)
    mover = PersonFactory(district=district)
    dead = PersonFactory(district=district)
    hidden = PersonFactory(district=district, address="Storgatan 1")
    # The dead person's caseworker decided; the others have none, so the unit manager owns.
    decision = DecisionFactory(
        person=dead,
        application=ApplicationFactory(person=dead),
        caseworker=caseworker,
        valid_from=date(2024, 2, 14),
        valid_to=date(2025, 2, 13),
    )
    order = OrderFactory(decision=decision, person=dead, status=OrderStatus.ACCEPTED)
    after_death = SessionFactory(
        order=order, person=dead, provider=order.provider, start=datetime(2024, 6, 10, 10)
    )
    before_death = SessionFactory(
        order=order, person=dead, provider=order.provider, start=datetime(2024, 5, 20, 10)
    )
    text = navet(
        f"#PERSONNUMMER {mover.personnummer}\n#KOMMUNKOD 1480\n#FOLKBOKFORINGSDATUM 20240601",
        f"#PERSONNUMMER {dead.personnummer}\n#AVREGISTRERINGSORSAK AV\n"
        "#AVREGISTRERINGSDATUM 20240605",
        f"#PERSONNUMMER {hidden.personnummer}\n#SKYDDAD_FOLKBOKFORING J\n#SEKRETESSMARKERING N",
        "#PERSONNUMMER 19121212-1212",  # not a person of Följa: left alone
    )

    result = navet_import(text=text, user=caseworker, persons=Person.objects.all())

    assert (result.posts, result.updated, result.not_found) == (4, 3, 1)
    mover.refresh_from_db()
    assert mover.moved_out_on == date(2024, 6, 1)
    move = Task.objects.get(person=mover, kind=TaskKind.MOVED_OUT)
    assert move.assigned_to == manager
    assert move.details["municipality"] == "1480"

    dead.refresh_from_db()
    decision.refresh_from_db()
    order.refresh_from_db()
    assert dead.deceased_on == date(2024, 6, 5)
    assert decision.valid_to == date(2024, 6, 5)
    assert (order.status, order.ended_on) == (OrderStatus.ENDED, date(2024, 6, 5))
    death = Task.objects.get(person=dead, kind=TaskKind.DEATH)
    assert death.assigned_to == caseworker
    assert death.details["decisions_ended"] == [decision.pk]
    # The figures changed through the ledger: a session after the death no longer falls
    # within a decision, one before it still does.
    after_death.refresh_from_db()
    before_death.refresh_from_db()
    assert "outside_decision" in after_death.flags
    assert "outside_decision" not in before_death.flags
    assert after_death.payment_sek == 0 < before_death.payment_sek

    hidden.refresh_from_db()
    assert hidden.protected_identity == "protected_registration"
    assert Task.objects.get(person=hidden, kind=TaskKind.PROTECTION).assigned_to == manager

    # Hidden at once, on the very next page view.
    from django.test import Client

    client = Client()
    client.force_login(caseworker)
    page = client.get(reverse("cases:person_detail", args=[hidden.pk])).content.decode()
    assert "Storgatan 1" not in page
    assert "Skyddad folkbokföring" in page

    # The same file again changes nothing and raises no second task.
    again = navet_import(text=text, user=caseworker, persons=Person.objects.all())
    assert (again.updated, again.unchanged) == (0, 3)
    assert Task.objects.filter(person__district=district).count() == 3


def test_one_bad_post_rejects_the_whole_file_with_an_error_per_row_and_field():
    good = PersonFactory(first_name="Anna")
    text = navet(
        f"#PERSONNUMMER {good.personnummer}\n#FORNAMN Annika",
        "#PERSONNUMMER 19750309-2427\n#SEKRETESSMARKERING X",  # bad check digit
        f"#PERSONNUMMER {good.personnummer}",  # twice in one file
        "#FORNAMN Utan nummer\n#AVREGISTRERINGSORSAK AV",
    )
    with pytest.raises(NavetRejected) as caught:
        navet_import(text=text, user=None, persons=Person.objects.all())
    errors = {(e.row, e.field, e.code) for e in caught.value.errors}
    assert (2, "PERSONNUMMER", "invalid") in errors
    assert (3, "PERSONNUMMER", "duplicate") in errors
    assert (4, "PERSONNUMMER", "required") in errors
    good.refresh_from_db()
    assert good.first_name == "Anna"
    assert not AuditEvent.objects.filter(action="navet_imported").exists()


def test_post_faults_name_the_term_and_a_code():
    text = navet(
        "#PERSONNUMMER 19750309-2426\n#SEKRETESSMARKERING X\n#KOMMUNKOD 18\n"
        "#AVREGISTRERINGSORSAK ZZ\n#FOLKBOKFORINGSDATUM 20241301\n#OKAND 1",
        "#PERSONNUMMER 19750309-2426",
        created="2024-06-14",
    )
    with pytest.raises(NavetRejected) as caught:
        parse_navet(text, today=TODAY)
    found = {(e.row, e.field, e.code) for e in caught.value.errors}
    assert {
        (1, "SEKRETESSMARKERING", "invalid_code"),
        (1, "KOMMUNKOD", "invalid"),
        (1, "AVREGISTRERINGSORSAK", "invalid_code"),
        (1, "AVREGISTRERINGSDATUM", "required"),
        (1, "FOLKBOKFORINGSDATUM", "invalid_date"),
        (1, "OKAND", "unknown_term"),
        (2, "PERSONNUMMER", "duplicate"),
    } <= found


def test_a_file_without_its_label_part_is_a_row_0_error():
    with pytest.raises(NavetRejected) as caught:
        parse_navet("#POST_START\n#PERSONNUMMER 19750309-2426\n", today=TODAY)
    found = {(e.row, e.field, e.code) for e in caught.value.errors}
    assert (0, "file", "header") in found
    assert (0, "KOMMUN", "invalid") in found
    assert (1, "file", "structure") in found


def test_a_samordningsnummer_in_the_file_finds_its_person():
    number = make_personnummer(date(1990, 11, 4), 123, coordination=True)
    person = PersonFactory(personnummer=number, first_name="Sam")
    ten_digits = number[2:].replace("-", "")
    navet_import(
        text=navet(f"#PERSONNUMMER {ten_digits}\n#FORNAMN Samuel"),
        user=None,
        persons=Person.objects.all(),
    )
    person.refresh_from_db()
    assert person.first_name == "Samuel"


def test_the_command_prints_row_errors_as_json_and_exits_2(tmp_path, capsys):
    path = tmp_path / "navet.txt"
    path.write_text(navet("#PERSONNUMMER 123"), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        call_command("navet_import", str(path))
    assert exit_.value.code == 2
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    assert {k: lines[0][k] for k in ("row", "field", "code")} == {
        "row": 1,
        "field": "PERSONNUMMER",
        "code": "invalid",
    }
    assert lines[0]["message"]


def test_the_command_imports_and_says_what_it_did(tmp_path):
    person = PersonFactory()
    path = tmp_path / "navet.txt"
    path.write_text(
        navet(f"#PERSONNUMMER {person.personnummer}\n#SEKRETESSMARKERING J"), encoding="utf-8"
    )
    out = StringIO()
    call_command("navet_import", str(path), stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["updated"] == 1 and summary["newly_protected"] == 1
    person.refresh_from_db()
    assert person.protected_identity == "confidentiality_mark"
    event = AuditEvent.objects.get(action="navet_imported")
    assert event.details["cli_os_user"]


def test_the_upload_changes_only_the_uploaders_district(client):
    district = DistrictFactory()
    caseworker = make_user(Role.CASEWORKER, district=district)
    own = PersonFactory(district=district, last_name="Egen")
    other = PersonFactory(last_name="Annans")
    text = navet(
        f"#PERSONNUMMER {own.personnummer}\n#EFTERNAMN Ny",
        f"#PERSONNUMMER {other.personnummer}\n#EFTERNAMN Ny",
    )
    client.force_login(caseworker)
    upload = SimpleUploadedFile("navet.txt", text.encode("utf-8"), content_type="text/plain")
    response = client.post(reverse("people:navet_upload"), {"file": upload})
    assert response.status_code == 200
    assert "Filen är inläst" in response.content.decode()
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.last_name, other.last_name) == ("Ny", "Annans")


def test_the_upload_lists_each_row_error_and_changes_nothing(client):
    caseworker = make_user(Role.CASEWORKER)
    person = PersonFactory(district=caseworker.district, last_name="Kvar")
    text = navet(f"#PERSONNUMMER {person.personnummer}\n#EFTERNAMN Ny", "#PERSONNUMMER 1")
    client.force_login(caseworker)
    upload = SimpleUploadedFile("navet.txt", text.encode("utf-8"), content_type="text/plain")
    html = client.post(reverse("people:navet_upload"), {"file": upload}).content.decode()
    assert "Filen har fel. Inget har ändrats." in html
    assert "PERSONNUMMER" in html and "invalid" in html
    person.refresh_from_db()
    assert person.last_name == "Kvar"


def test_a_file_that_is_not_utf8_is_a_field_error_not_a_500(client):
    caseworker = make_user(Role.CASEWORKER)
    client.force_login(caseworker)
    upload = SimpleUploadedFile("navet.txt", "Åsa".encode("utf-16"), content_type="text/plain")
    response = client.post(reverse("people:navet_upload"), {"file": upload})
    assert response.status_code == 200
    assert "Filen måste vara i UTF-8." in response.content.decode()


def test_death_leaves_a_decision_that_starts_later_for_the_caseworker_and_names_it():
    person = PersonFactory()
    later = DecisionFactory(
        person=person,
        application=ApplicationFactory(person=person),
        valid_from=date(2024, 7, 1),
        valid_to=date(2025, 6, 30),
    )
    navet_import(
        text=navet(
            f"#PERSONNUMMER {person.personnummer}\n#AVREGISTRERINGSORSAK AV\n"
            "#AVREGISTRERINGSDATUM 20240605"
        ),
        user=None,
        persons=Person.objects.all(),
    )
    later.refresh_from_db()
    assert later.valid_to == date(2025, 6, 30)
    task = Task.objects.get(person=person, kind=TaskKind.DEATH)
    assert task.details["later"] == [later.pk]
    assert Decision.objects.filter(person=person).count() == 1
    assert not Order.objects.filter(person=person).exists()


def test_the_work_list_says_what_each_register_event_was(client):
    district = DistrictFactory()
    manager = make_user(Role.UNIT_MANAGER, district=district)
    mover = PersonFactory(district=district)
    dead = PersonFactory(district=district)
    hidden = PersonFactory(district=district)
    navet_import(
        text=navet(
            f"#PERSONNUMMER {mover.personnummer}\n#KOMMUNKOD 1480",
            f"#PERSONNUMMER {dead.personnummer}\n#AVREGISTRERINGSORSAK AV\n"
            "#AVREGISTRERINGSDATUM 20240605",
            f"#PERSONNUMMER {hidden.personnummer}\n#SEKRETESSMARKERING J",
        ),
        user=None,
        persons=Person.objects.all(),
    )
    client.force_login(manager)
    html = client.get(reverse("cases:worklist")).content.decode()
    assert "Folkbokförd i kommun 1480 från 2024-06-14" in html
    assert "Avled 2024-06-05. 0 beslut avslutade." in html
    assert reverse("people:named_staff", args=[hidden.pk]) in html
