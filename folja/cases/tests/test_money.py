"""The caseworker decides on expense claims and costly-activity money; the receipt is shown to
those whose scope holds the claim and to nobody else."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from folja.accounts.models import Role
from folja.audit.models import AccessLog, AuditEvent
from folja.cases import services_money
from folja.cases.models import TaskKind
from folja.delivery.models import ClaimStatus
from folja.testing.factories import (
    CostlyActivityFactory,
    ExpenseClaimFactory,
    PersonFactory,
    ProviderFactory,
    make_representative,
    make_user,
)
from folja.testing.factories_cases import TaskFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _claim_with_receipt(person, provider=None):
    claim = ExpenseClaimFactory(person=person, provider=provider, receipt_content_type="image/png")
    claim.receipt.save("kvitto.png", ContentFile(PNG), save=True)
    return claim


def test_approving_a_claim_records_who_and_when_and_closes_its_task(
    ref, district, caseworker, frozen
):
    claim = ExpenseClaimFactory(person=PersonFactory(district=district))
    task = TaskFactory(
        person=claim.person,
        district=district,
        kind=TaskKind.EXPENSE_REVIEW,
        subject=services_money.claim_task_subject(claim),
    )

    services_money.expense_claim_decide(claim=claim, user=caseworker, approve=True, note="")

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert claim.decided_by == caseworker
    assert claim.decided_on == date(2024, 6, 14)
    task.refresh_from_db()
    assert task.closed_at is not None and task.closed_by == caseworker
    assert AuditEvent.objects.filter(action="expense_claim.decide", object_id=str(claim.pk))


def test_refusing_a_claim_needs_a_reason_and_a_claim_is_tried_only_once(ref, district, caseworker):
    claim = ExpenseClaimFactory(person=PersonFactory(district=district))
    with pytest.raises(ValidationError) as refused:
        services_money.expense_claim_decide(claim=claim, user=caseworker, approve=False, note=" ")
    assert "note" in refused.value.error_dict

    services_money.expense_claim_decide(
        claim=claim, user=caseworker, approve=False, note="Gäller inte ledsagarens kostnad."
    )
    with pytest.raises(ValidationError):
        services_money.expense_claim_decide(claim=claim, user=caseworker, approve=True, note="")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED
    assert claim.decision_note == "Gäller inte ledsagarens kostnad."


def test_costly_activity_money_is_granted_within_the_yearly_ceiling_only(
    ref, district, caseworker, frozen
):
    # The guideline's ceiling is 3,000 kr a year; 1,800 kr is already granted this year.
    person = PersonFactory(district=district)
    CostlyActivityFactory(
        person=person,
        date=date(2024, 3, 1),
        status=ClaimStatus.APPROVED,
        approved_amount_sek=Decimal("1800"),
    )
    application = CostlyActivityFactory(person=person, date=date(2024, 9, 1))
    task = TaskFactory(
        person=person,
        district=district,
        kind=TaskKind.COSTLY_ACTIVITY,
        subject=services_money.costly_task_subject(application),
    )

    with pytest.raises(ValidationError) as over:
        services_money.costly_activity_decide(
            application=application,
            user=caseworker,
            approve=True,
            approved_amount_sek=Decimal("1500"),
            note="",
        )
    assert "1200" in str(over.value.error_dict["approved_amount_sek"])
    with pytest.raises(ValidationError) as missing:
        services_money.costly_activity_decide(
            application=application,
            user=caseworker,
            approve=True,
            approved_amount_sek=None,
            note="",
        )
    assert "approved_amount_sek" in missing.value.error_dict

    services_money.costly_activity_decide(
        application=application,
        user=caseworker,
        approve=True,
        approved_amount_sek=Decimal("1200"),
        note="Resten av årets tak.",
    )
    application.refresh_from_db()
    assert application.status == ClaimStatus.APPROVED
    assert application.approved_amount_sek == Decimal("1200.00")
    assert application.decided_by == caseworker and application.decided_on == date(2024, 6, 14)
    task.refresh_from_db()
    assert task.closed_at is not None
    assert "Resten av årets tak." in task.resolution


def test_the_person_page_lists_money_waiting_for_a_decision_and_the_form_decides_it(
    client, ref, district, caseworker, frozen
):
    person = PersonFactory(district=district)
    claim = _claim_with_receipt(person)
    application = CostlyActivityFactory(person=person)
    client.force_login(caseworker)

    page = client.get(reverse("cases:person_detail", args=[person.pk])).content.decode()
    assert reverse("cases:claim_decide", args=[claim.pk]) in page
    assert reverse("cases:costly_decide", args=[application.pk]) in page
    assert reverse("delivery:receipt", args=[claim.pk]) in page

    refused = client.post(reverse("cases:claim_decide", args=[claim.pk]), {"verdict": "reject"})
    assert refused.status_code == 400
    assert "Skriv skälet till avslaget." in refused.content.decode()

    done = client.post(
        reverse("cases:costly_decide", args=[application.pk]),
        {"verdict": "approve", "approved_amount_sek": "1800,00", "note": ""},
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == ClaimStatus.APPROVED


def test_another_districts_caseworker_gets_404_for_the_decisions_and_the_receipt(
    client, ref, district, other_district
):
    person = PersonFactory(district=district)
    claim = _claim_with_receipt(person)
    application = CostlyActivityFactory(person=person)
    client.force_login(make_user(Role.CASEWORKER, district=other_district))

    for url in (
        reverse("cases:claim_decide", args=[claim.pk]),
        reverse("cases:costly_decide", args=[application.pk]),
        reverse("delivery:receipt", args=[claim.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("cases:claim_decide", args=[claim.pk]), {}).status_code == 404
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_a_receipt_is_served_with_its_checked_type_to_each_role_in_scope_and_logged(
    client, ref, district, caseworker
):
    provider = ProviderFactory()
    person = PersonFactory(district=district)
    claim = _claim_with_receipt(person, provider=provider)
    representative = make_representative(person)
    readers = [
        caseworker,
        make_user(Role.PROVIDER_STAFF, provider=provider),
        representative,
    ]
    for reader in readers:
        client.force_login(reader)
        response = client.get(reverse("delivery:receipt", args=[claim.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert response["Content-Disposition"].startswith("inline")
        assert b"".join(response.streaming_content) == PNG
        assert AccessLog.objects.filter(user=reader, person=person, what="receipt").exists()


def test_a_pdf_receipt_is_downloaded_rather_than_shown(client, ref, district, caseworker):
    claim = ExpenseClaimFactory(
        person=PersonFactory(district=district), receipt_content_type="application/pdf"
    )
    claim.receipt.save("kvitto.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=True)
    client.force_login(caseworker)
    response = client.get(reverse("delivery:receipt", args=[claim.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="kvitto-{claim.pk}.pdf"'


def test_a_receipt_is_404_for_another_provider_another_person_and_the_analyst(
    client, ref, district
):
    claim = _claim_with_receipt(PersonFactory(district=district), provider=ProviderFactory())
    others = [
        make_user(Role.PROVIDER_STAFF, provider=ProviderFactory()),
        make_representative(PersonFactory(district=district)),
        make_user(Role.ANALYST),
    ]
    for other in others:
        client.force_login(other)
        assert client.get(reverse("delivery:receipt", args=[claim.pk])).status_code == 404
    client.logout()
    anonymous = client.get(reverse("delivery:receipt", args=[claim.pk]))
    assert anonymous.status_code == 302
