"""Decision letters are stored as issued; orders cannot be sent without the handover."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from folja.audit.models import AuditEvent
from folja.cases import services
from folja.cases.models import DecisionLetter
from folja.providers.models import OrderStatus
from folja.rules.deadlines import appeal_deadline
from folja.testing.factories import DecisionFactory, OrderFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def test_a_letter_is_issued_as_pdf_with_the_appeal_deadline(
    ref, person, caseworker, settings, frozen
):
    settings.FOLJA_CITY_NAME = "Exempelstads kommun"
    decision = DecisionFactory(person=person, notified_on=None, caseworker=caseworker)
    letter = services.letter_issue(decision=decision, user=caseworker, notified_on=date(2024, 6, 3))
    decision.refresh_from_db()
    assert decision.notified_on == date(2024, 6, 3)
    assert letter.appeal_deadline == appeal_deadline(date(2024, 6, 3)) == date(2024, 6, 24)
    pdf = bytes(letter.pdf)
    assert pdf.startswith(b"%PDF")
    assert letter.sha256 == hashlib.sha256(pdf).hexdigest()
    assert "Exempelstads kommun" in letter.html
    assert "24 juni 2024" in letter.html
    assert "tre månader" in letter.html  # flex3 explained
    assert "300 kronor per månad" in letter.html  # allowance from the guideline
    assert "Hanna Handläggare" in letter.html and "08-508 000 00" in letter.html
    assert AuditEvent.objects.filter(action="decision_letter.issue").count() == 1


def test_reissuing_makes_a_new_letter_and_leaves_the_old_one_unchanged(
    ref, person, caseworker, frozen
):
    decision = DecisionFactory(person=person, notified_on=date(2024, 2, 12))
    first = services.letter_issue(decision=decision, user=caseworker, notified_on=date(2024, 6, 3))
    before = (first.html, bytes(first.pdf), first.sha256)
    decision.reasons = "Ny motivering."
    decision.save()
    second = services.letter_issue(
        decision=decision, user=caseworker, notified_on=date(2024, 6, 17)
    )
    first.refresh_from_db()
    assert (first.html, bytes(first.pdf), first.sha256) == before
    assert second.pk != first.pk and "Ny motivering." in second.html
    assert DecisionLetter.objects.filter(decision=decision).count() == 2


def test_reissuing_uses_the_notification_date_asked_for(ref, person, caseworker, frozen):
    # Issue 13: the date asked for was ignored, and the deadline stayed that of the first
    # notification, so a letter issued again could tell the person a day already past.
    decision = DecisionFactory(person=person, notified_on=date(2024, 5, 2))
    letter = services.letter_issue(
        decision=decision, user=caseworker, notified_on=date(2024, 6, 17)
    )
    decision.refresh_from_db()
    assert letter.notified_on == decision.notified_on == date(2024, 6, 17)
    assert letter.appeal_deadline == appeal_deadline(date(2024, 6, 17)) == date(2024, 7, 8)
    assert "8 juli 2024" in letter.html


def test_a_letter_whose_appeal_deadline_has_passed_is_refused_at_the_field(
    client, ref, person, caseworker, frozen
):
    decision = DecisionFactory(person=person, notified_on=None)
    with pytest.raises(ValidationError) as exc:
        services.letter_issue(decision=decision, user=caseworker, notified_on=date(2024, 5, 2))
    assert exc.value.error_dict["notified_on"][0].code == "deadline_passed"
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:letter_issue", args=[decision.pk]), {"notified_on": "2024-05-02"}
    )
    assert response.status_code == 400
    assert "har redan passerat" in response.content.decode()
    assert not DecisionLetter.objects.filter(decision=decision).exists()
    decision.refresh_from_db()
    assert decision.notified_on is None


def test_the_letter_does_not_call_an_amount_an_example_and_names_where_to_appeal(
    ref, person, caseworker, frozen
):
    person.district.appeal_address = "Farsta stadsdelsförvaltning\nBox 81\n123 21 Farsta"
    person.district.save()
    decision = DecisionFactory(person=person, caseworker=caseworker)
    guideline = decision.guideline_version
    guideline.illustrative_fields = ["expense_allowance_per_month"]
    guideline.save()
    letter = services.letter_issue(
        decision=decision, user=caseworker, notified_on=date(2024, 6, 14)
    )
    assert "exempelvärde" not in letter.html
    assert "Skicka ditt överklagande till" in letter.html
    assert "Box 81<br>123 21 Farsta" in letter.html


def test_a_district_without_an_address_still_names_the_recipient(ref, person, caseworker, frozen):
    decision = DecisionFactory(person=person, caseworker=caseworker)
    letter = services.letter_issue(
        decision=decision, user=caseworker, notified_on=date(2024, 6, 14)
    )
    assert f"{person.district.name}<br>{person.district.municipality}" in letter.html


def test_a_rejection_letter_says_why_each_part_was_rejected(ref, person, caseworker, frozen):
    decision = DecisionFactory(
        person=person,
        outcome="rejected",
        hours_per_month=None,
        valid_from=None,
        valid_to=None,
        rejected_parts=[{"part": "Resor till arbetet", "reason": "Det ingår inte i ledsagning."}],
    )
    letter = services.letter_issue(decision=decision, user=caseworker, notified_on=date(2024, 6, 3))
    assert "Du får inte det du har ansökt om." in letter.html
    assert "Resor till arbetet" in letter.html and "Det ingår inte i ledsagning." in letter.html


def test_the_letter_pdf_is_served_as_issued(client, ref, person, caseworker, frozen):
    decision = DecisionFactory(person=person)
    letter = services.letter_issue(decision=decision, user=caseworker, notified_on=date(2024, 6, 3))
    client.force_login(caseworker)
    response = client.get(reverse("cases:letter_pdf", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == bytes(letter.pdf)


def _draft(person, caseworker, **handover):
    decision = DecisionFactory(person=person)
    return services.order_create(
        decision=decision, provider=ProviderFactory(), user=caseworker, **handover
    )


def test_an_order_cannot_be_sent_without_the_required_handover(ref, person, caseworker):
    order = _draft(person, caseworker, goals="Delta i kulturlivet.")
    with pytest.raises(ValidationError) as exc:
        services.order_send(order=order, user=caseworker)
    errors = exc.value.message_dict
    assert set(errors) == {"activities", "communication_needs", "contact_rules"}
    assert "innan beställningen skickas" in errors["activities"][0]
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT


def test_sending_an_order_ends_the_earlier_provider_order(ref, person, caseworker):
    earlier = OrderFactory(decision=DecisionFactory(person=person), status="accepted")
    order = _draft(
        person,
        caseworker,
        goals="Mål",
        activities="Bio",
        communication_needs="Inga särskilda",
        contact_rules="Sms dagen före",
        preferred_languages=["arabiska"],
    )
    services.order_send(order=order, user=caseworker)
    order.refresh_from_db()
    earlier.refresh_from_db()
    assert order.status == OrderStatus.SENT and order.sent_at is not None
    assert earlier.status == OrderStatus.ENDED
    assert AuditEvent.objects.filter(action="order.send", object_id=str(order.pk)).exists()


def test_a_provider_not_approved_under_lov_cannot_be_ordered(ref, person, caseworker):
    with pytest.raises(ValidationError):
        services.order_create(
            decision=DecisionFactory(person=person),
            provider=ProviderFactory(lov_approved=False),
            user=caseworker,
        )


def test_the_order_form_shows_swedish_errors_next_to_the_missing_fields(
    client, ref, person, caseworker
):
    decision = DecisionFactory(person=person)
    provider = ProviderFactory()
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:order_create", args=[decision.pk]),
        {"provider": provider.pk, "goals": "Mål", "action": "send"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_contact_rules_error"' in html
    assert "Skriv hur utföraren ska kontakta den enskilde." in html
    assert 'aria-describedby="id_contact_rules_error"' in html
