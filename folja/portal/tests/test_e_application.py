"""E-application on Mina sidor (issue 13, item 3): the person, or a representative on their
behalf, applies openly or for named activities, describes their needs and attaches documents;
the application lands in the district's work list with an owner and the applicant sees its
status. Bad input gets plain-Swedish field errors and nothing typed or uploaded is lost."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from folja.accounts.models import Role
from folja.audit.models import AuditEvent
from folja.cases.models import (
    Application,
    ApplicationAttachment,
    ApplicationChannel,
    Task,
    TaskKind,
)
from folja.testing.factories import (
    DecisionFactory,
    DistrictFactory,
    PersonFactory,
    make_representative,
    make_user,
    reference_data,
)
from folja.testing.receipts import JPEG, PDF, image_bytes

pytestmark = pytest.mark.django_db

URL = "/mina-sidor/ansokan/ny/"
LIST = "/mina-sidor/ansokan/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2024, 6, 14, 10, 0), tick=False):
        yield


@pytest.fixture
def city(db):
    reference_data()
    district = DistrictFactory(name="Farsta")
    person = PersonFactory(district=district, first_name="Astrid", last_name="Lund")
    return {
        "district": district,
        "person": person,
        "manager": make_user(Role.UNIT_MANAGER, district=district, username="chef"),
        "login": make_user(Role.PERSON, person=person, username="astrid"),
    }


def _post(client, **extra):
    data = {
        "kind": "specific",
        "activities": "Simning på onsdagar.",
        "needs": "Jag ser dåligt och kan inte ta mig till simhallen själv.",
        "requested_act": "LSS",
        "requested_hours_per_month": "8",
    }
    data.update(extra)
    return client.post(URL, data)


def _png(name="intyg.png"):
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")


def test_a_person_applies_and_it_lands_in_the_work_list_with_an_owner(client, city):
    client.force_login(city["login"])
    response = _post(client, attachments=[_png()])
    assert response.status_code == 302 and response.url == LIST
    application = Application.objects.get(person=city["person"])
    assert application.channel == ApplicationChannel.E_SERVICE
    assert application.kind == "specific" and application.activities == "Simning på onsdagar."
    assert application.needs.startswith("Jag ser dåligt")
    assert application.received_on.isoformat() == "2024-06-14"
    assert application.submitted_by == city["login"]
    task = Task.objects.get(kind=TaskKind.E_APPLICATION, person=city["person"])
    # No caseworker has decided on the person yet: the unit manager owns the task.
    assert task.assigned_to == city["manager"] and task.district == city["district"]
    assert task.details["application_id"] == application.pk
    attachment = ApplicationAttachment.objects.get(application=application)
    assert attachment.content_type == "image/png" and attachment.original_name == "intyg.png"
    assert AuditEvent.objects.filter(action="application.e_submit").exists()


def test_the_persons_caseworker_owns_the_task_and_the_application(client, city):
    caseworker = make_user(Role.CASEWORKER, district=city["district"], username="hanna")
    DecisionFactory(person=city["person"], caseworker=caseworker)
    client.force_login(city["login"])
    _post(client, kind="open", activities="")
    application = Application.objects.get(person=city["person"])
    assert application.caseworker == caseworker and application.activities == ""
    assert Task.objects.get(kind=TaskKind.E_APPLICATION).assigned_to == caseworker


def test_the_applicant_sees_the_status_on_mina_sidor(client, city):
    client.force_login(city["login"])
    _post(client)
    page = client.get(LIST).content.decode()
    assert "Mottagen. Din handläggare hör av sig." in page
    assert "Tack! Din ansökan är skickad." in page
    application = Application.objects.get(person=city["person"])
    application.status = "decided"
    application.save()
    DecisionFactory(person=city["person"], application=application, outcome="granted")
    assert "Beslutad: Bifall." in client.get(LIST).content.decode()


def test_a_representative_applies_on_behalf_of_the_principal_only(client, city):
    rep = make_representative(city["person"], username="godman")
    other = PersonFactory(district=city["district"], first_name="Bo", last_name="Ek")
    client.force_login(rep)
    _post(client)
    application = Application.objects.get()
    assert application.person == city["person"] and application.submitted_by == rep
    assert Task.objects.get(kind=TaskKind.E_APPLICATION).details["by_representative"] is True
    # Choosing a person who is not a principal changes nothing: the portal stays on their own.
    session = client.session
    session["portal_person_id"] = other.pk
    session.save()
    _post(client, needs="Annan text.")
    assert not Application.objects.filter(person=other).exists()


def test_bad_input_gets_swedish_field_errors_and_keeps_what_was_typed(client, city):
    client.force_login(city["login"])
    response = _post(client, kind="specific", activities="", requested_hours_per_month="tio")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Skriv vilka aktiviteter du söker ledsagning till." in page
    assert "Skriv ett antal timmar med siffror" in page
    assert "Jag ser dåligt och kan inte ta mig till simhallen själv." in page  # kept
    assert not Application.objects.exists() and not Task.objects.exists()


def test_a_valid_document_is_kept_while_another_field_is_corrected(client, city):
    client.force_login(city["login"])
    response = _post(client, needs="", attachments=[_png("lakarintyg.png")])
    assert response.status_code == 400
    assert "Berätta vad du behöver hjälp med." in response.content.decode()
    assert "lakarintyg.png" in response.content.decode()
    kept = ApplicationAttachment.objects.get(application__isnull=True)
    assert _post(client).status_code == 302  # the file is not chosen again
    kept.refresh_from_db()
    assert kept.application == Application.objects.get()


def test_a_kept_document_can_be_taken_back(client, city):
    client.force_login(city["login"])
    _post(client, needs="", attachments=[_png()])
    kept = ApplicationAttachment.objects.get()
    _post(client, ta_bort=[str(kept.pk)])
    assert not ApplicationAttachment.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "intyg.pdf", "är inte en bild eller PDF"),
        (
            PDF.replace(b"<< /Type /Catalog >>", b"<< /Type /Catalog /OpenAction 2 0 R >>"),
            "intyg.pdf",
            "innehåller något som vi inte kan ta emot",
        ),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "intyg.png", "går inte att läsa"),
    ],
)
def test_a_document_is_judged_by_its_content(client, city, content, name, message):
    client.force_login(city["login"])
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = _post(client, attachments=[upload])
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ApplicationAttachment.objects.exists() and not Application.objects.exists()


def test_an_image_is_encoded_again_before_it_is_stored(client, city):
    client.force_login(city["login"])
    polyglot = JPEG + b"<html><script>alert(1)</script></html>"
    _post(client, attachments=[SimpleUploadedFile("foto.jpg", polyglot, "image/jpeg")])
    attachment = ApplicationAttachment.objects.get()
    stored = attachment.file.read()
    assert stored.startswith(b"\xff\xd8") and b"<script>" not in stored


def test_at_most_five_documents(client, city):
    client.force_login(city["login"])
    response = _post(client, attachments=[_png(f"{i}.png") for i in range(6)])
    assert response.status_code == 400
    assert "högst 5 filer" in response.content.decode()


def test_the_caseworker_reads_the_application_and_its_documents(client, city):
    caseworker = make_user(Role.CASEWORKER, district=city["district"], username="hanna")
    client.force_login(city["login"])
    _post(client, attachments=[_png()])
    application = Application.objects.get()
    attachment = ApplicationAttachment.objects.get()
    client.force_login(caseworker)
    page = client.get(reverse("cases:application_detail", args=[application.pk]))
    assert page.status_code == 200
    assert "Jag ser dåligt" in page.content.decode()
    assert "E-ansökan på Mina sidor" in page.content.decode()
    response = client.get(reverse("cases:attachment_file", args=[attachment.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_pending_upload_is_not_the_districts_to_read(client, city):
    caseworker = make_user(Role.CASEWORKER, district=city["district"], username="hanna")
    client.force_login(city["login"])
    _post(client, needs="", attachments=[_png()])
    pending = ApplicationAttachment.objects.get()
    client.force_login(caseworker)
    assert client.get(reverse("cases:attachment_file", args=[pending.pk])).status_code == 404


def test_another_districts_caseworker_gets_404(client, city):
    client.force_login(city["login"])
    _post(client, attachments=[_png()])
    other = make_user(Role.CASEWORKER, district=DistrictFactory(name="Bromma"), username="b")
    client.force_login(other)
    application = Application.objects.get()
    attachment = ApplicationAttachment.objects.get()
    assert client.get(reverse("cases:application_detail", args=[application.pk])).status_code == 404
    assert client.get(reverse("cases:attachment_file", args=[attachment.pk])).status_code == 404


def test_the_work_list_links_the_task_to_the_application_and_the_assessment_closes_it(client, city):
    from folja.cases import services
    from folja.cases.services import Rating
    from folja.guidelines.models import LifeArea

    caseworker = make_user(Role.CASEWORKER, district=city["district"], username="hanna")
    client.force_login(city["login"])
    _post(client)
    application = Application.objects.get()
    client.force_login(caseworker)
    page = client.get(reverse("cases:worklist")).content.decode()
    assert "Ny ansökan från Mina sidor" in page
    assert reverse("cases:application_detail", args=[application.pk]) in page
    area = LifeArea.objects.filter(active=True).first()
    services.assessment_create(
        application=application,
        user=caseworker,
        assessed_on=application.received_on,
        needs="Utrett.",
        ratings=[Rating(life_area=area, caseworker_rating=4, person_rating=None)],
        other_services=[],
    )
    task = Task.objects.get(kind=TaskKind.E_APPLICATION)
    assert task.closed_at is not None and task.closed_by == caseworker
    client.force_login(city["login"])
    assert "Handläggaren utreder din ansökan." in client.get(LIST).content.decode()


def test_an_empty_post_gets_field_errors_not_a_500(client, city):
    client.force_login(city["login"])
    response = client.post(URL, {})
    assert response.status_code == 400
    assert "Berätta vad du behöver hjälp med." in response.content.decode()


def test_a_person_without_hours_is_offered_the_application(client, city):
    client.force_login(city["login"])
    page = client.get("/mina-sidor/").content.decode()
    assert 'href="/mina-sidor/ansokan/ny/"' in page and "Sök ledsagning" in page
