from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from folja.accounts.models import Role
from folja.audit.models import AuditEvent
from folja.cases.models import Task, TaskKind
from folja.delivery.models import CostlyActivityApplication, ExpenseClaim
from folja.portal.models import Feedback, ProviderChangeRequest
from folja.testing.factories import ProviderFactory, make_user
from folja.testing.factories_portal import make_portal_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(datetime(2024, 2, 15, 12), tick=False):
        yield


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def _expense_post(receipt):
    return {
        "date": "2024-02-10",
        "amount_sek": "125,50",
        "description": "Biljett till ledsagaren",
        "receipt": receipt,
    }


def test_an_expense_claim_with_a_png_receipt_is_saved_and_audited(client):
    pp = make_portal_person()
    client.force_login(pp.user)
    upload = SimpleUploadedFile("kvitto.png", png_bytes(), content_type="image/png")
    response = client.post(reverse("portal:expense_new"), _expense_post(upload))
    assert response.status_code == 302
    claim = ExpenseClaim.objects.get(person=pp.person)
    assert claim.amount_sek == Decimal("125.50")
    assert claim.receipt_content_type == "image/png"
    assert claim.provider == pp.provider
    assert AuditEvent.objects.filter(
        action="expense_claim.create", object_id=str(claim.pk)
    ).exists()
    task = Task.objects.get(person=pp.person, kind=TaskKind.EXPENSE_REVIEW)
    assert task.subject == f"expense_claim:{claim.pk}"


def test_a_receipt_that_is_not_an_image_or_pdf_is_refused_next_to_the_field(client):
    pp = make_portal_person()
    client.force_login(pp.user)
    fake = SimpleUploadedFile("kvitto.jpg", b"just text pretending", content_type="image/jpeg")
    response = client.post(reverse("portal:expense_new"), _expense_post(fake))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Filen är inte en bild eller PDF" in html
    assert 'aria-describedby="id_receipt_help id_receipt_error"' in html
    assert not ExpenseClaim.objects.exists()


def test_a_receipt_over_five_megabytes_is_refused(client):
    pp = make_portal_person()
    client.force_login(pp.user)
    big = SimpleUploadedFile("k.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), "application/pdf")
    response = client.post(reverse("portal:expense_new"), _expense_post(big))
    assert "för stor" in response.content.decode()
    assert not ExpenseClaim.objects.exists()


def test_bad_input_gives_swedish_errors_not_a_500(client):
    pp = make_portal_person()
    client.force_login(pp.user)
    response = client.post(
        reverse("portal:costly_new"), {"activity": "", "date": "igår", "estimated_cost_sek": "x"}
    )
    assert response.status_code == 200
    assert "Något behöver rättas" in response.content.decode()


def test_a_costly_activity_application_reaches_the_caseworker_as_a_task(client):
    pp = make_portal_person()
    client.force_login(pp.user)
    response = client.post(
        reverse("portal:costly_new"),
        {"activity": "Konsert i Göteborg", "date": "2024-05-10", "estimated_cost_sek": "1800"},
    )
    assert response.status_code == 302
    application = CostlyActivityApplication.objects.get(person=pp.person)
    task = Task.objects.get(person=pp.person, kind=TaskKind.COSTLY_ACTIVITY)
    assert task.district == pp.district
    assert task.details["costly_activity_id"] == application.pk
    caseworker = make_user(Role.CASEWORKER, district=pp.district)
    assert Task.objects.visible_to(caseworker).filter(pk=task.pk).exists()
    assert AuditEvent.objects.filter(action="costly_activity_apply").exists()


def test_a_provider_change_request_reaches_the_caseworker_as_a_task(client):
    pp = make_portal_person()
    other = ProviderFactory(name="Andra Ledsagning AB")
    client.force_login(pp.user)
    response = client.post(
        reverse("portal:providers"), {"to_provider": other.pk, "reason": "Vill ha arabisktalande"}
    )
    assert response.status_code == 302
    request = ProviderChangeRequest.objects.get(person=pp.person)
    assert request.from_provider == pp.provider and request.to_provider == other
    task = Task.objects.get(person=pp.person, kind=TaskKind.PROVIDER_CHANGE)
    assert task.details["provider_change_request_id"] == request.pk
    assert AuditEvent.objects.filter(action="provider_change_request").exists()


def test_the_current_provider_cannot_be_chosen_as_the_new_one(client):
    pp = make_portal_person()
    client.force_login(pp.user)
    response = client.post(reverse("portal:providers"), {"to_provider": pp.provider.pk})
    assert response.status_code == 200
    assert not ProviderChangeRequest.objects.exists()


def test_the_provider_comparison_flags_practice_that_differs_from_the_guideline(client):
    pp = make_portal_person()
    ProviderFactory(name="Strikt Ledsagning AB", cancellation_cutoff_hours=72)
    client.force_login(pp.user)
    html = client.get(reverse("portal:providers")).content.decode()
    assert "Strikt Ledsagning AB" in html
    assert "Skillnad:" in html and "72 timmar" in html


def test_feedback_about_the_provider_is_routed_to_the_provider_and_the_reply_is_shown(client):
    pp = make_portal_person()
    client.force_login(pp.user)
    response = client.post(
        reverse("portal:feedback_new"),
        {"about": "provider", "kind": "complaint", "text": "Ledsagaren kom för sent."},
    )
    assert response.status_code == 302
    fb = Feedback.objects.get(person=pp.person)
    assert fb.provider == pp.provider

    staff = make_user(Role.PROVIDER_STAFF, provider=pp.provider)
    client.force_login(staff)
    assert "Anna" in client.get(reverse("portal:feedback_inbox")).content.decode()
    url = reverse("portal:feedback_reply", args=[fb.pk])
    assert client.post(url, {"reply": "Förlåt, vi ändrar rutinen."}).status_code == 302

    client.force_login(pp.user)
    assert "Förlåt, vi ändrar rutinen." in client.get(reverse("portal:feedback")).content.decode()


def test_feedback_about_the_district_is_not_shown_to_the_provider(client):
    pp = make_portal_person()
    client.force_login(pp.user)
    client.post(
        reverse("portal:feedback_new"),
        {"about": "district", "kind": "suggestion", "text": "Fler handläggare, tack."},
    )
    fb = Feedback.objects.get(person=pp.person)
    assert fb.provider is None
    staff = make_user(Role.PROVIDER_STAFF, provider=pp.provider)
    client.force_login(staff)
    assert client.get(reverse("portal:feedback_reply", args=[fb.pk])).status_code == 404

    caseworker = make_user(Role.CASEWORKER, district=pp.district)
    client.force_login(caseworker)
    url = reverse("portal:feedback_reply", args=[fb.pk])
    assert client.post(url, {"reply": "Tack för förslaget."}).status_code == 302
    fb.refresh_from_db()
    assert fb.reply == "Tack för förslaget." and fb.replied_by == caseworker


def test_district_staff_may_read_but_not_answer_feedback_routed_to_the_provider(client):
    pp = make_portal_person()
    fb = Feedback.objects.create(
        person=pp.person,
        about="provider",
        kind="complaint",
        provider=pp.provider,
        district=pp.district,
        text="Sen ledsagare.",
        created_at=datetime(2024, 2, 1, 9),
    )
    caseworker = make_user(Role.CASEWORKER, district=pp.district)
    client.force_login(caseworker)
    url = reverse("portal:feedback_reply", args=[fb.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reply": "Nej"}).status_code == 400
    fb.refresh_from_db()
    assert fb.reply == ""


def test_feedback_about_the_provider_needs_a_provider(client):
    pp = make_portal_person()
    pp.order.status = "ended"
    pp.order.save()
    client.force_login(pp.user)
    response = client.post(
        reverse("portal:feedback_new"), {"about": "provider", "kind": "praise", "text": "Bra!"}
    )
    assert response.status_code == 200
    assert "Du har ingen utförare just nu." in response.content.decode()
