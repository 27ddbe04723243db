"""A decision's lifecycle (issue 13, item 4 and the appeals defects): the model follows the
guideline or a recorded pilot membership; reconsideration and the court's judgment replace a
decision visibly, with the order and the provider following; a full rejection can be changed;
forwarding needs the reconsideration; a dismissal has its own letter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from folja.cases import services
from folja.cases.models import AppealStatus, Decision, DecisionLetter, LetterKind
from folja.providers.models import OrderNotice
from folja.providers.selectors import decision_in_force
from folja.simulation.models import MemberRole, PilotGroup, PilotMember
from folja.testing.factories import (
    ApplicationFactory,
    AssessmentFactory,
    DecisionFactory,
    OrderFactory,
    legal_basis,
)
from folja.testing.factories_cases import decision_made

pytestmark = pytest.mark.django_db


def _appealed(person, caseworker, decision=None, received_on=date(2024, 6, 3)):
    """A decision (by default a grant notified on 25 May) and the appeal of it, registered
    through the service as the caseworker does."""
    decision = decision or DecisionFactory(person=person, notified_on=date(2024, 5, 25))
    appeal = services.appeal_register(decision=decision, user=caseworker, received_on=received_on)
    return decision, appeal


# The reconsideration most tests make: the decision is changed to 16 hours a month.
MORE_HOURS = {
    "reconsidered_on": date(2024, 6, 10),
    "change": True,
    "note": "Fler timmar behövs.",
    "outcome": "granted",
    "hours_per_month": Decimal("16"),
}


def _reconsider(appeal, caseworker, **values):
    return services.appeal_reconsider(appeal=appeal, user=caseworker, **{**MORE_HOURS, **values})


def _judge(appeal, caseworker, **values):
    return services.appeal_judgment(
        appeal=appeal, user=caseworker, judged_on=date(2024, 6, 13), **values
    )


def _rejection(person):
    return DecisionFactory(
        person=person,
        outcome="rejected",
        hours_per_month=None,
        valid_from=None,
        valid_to=None,
        notified_on=date(2024, 5, 25),
        rejected_parts=[{"part": "Ledsagning", "reason": "Behovet är inte styrkt."}],
    )


# ---------------------------------------------------------------- allocation model


def _application(person):
    return AssessmentFactory(application=ApplicationFactory(person=person)).application


def _decide(application, caseworker, **overrides):
    return decision_made(
        application,
        caseworker,
        reasons="Utrett.",
        deviation_reason="Avviker av utredda skäl.",
        **overrides,
    )


def _pilot_member(person, *, role=MemberRole.PILOT):
    group = PilotGroup.objects.create(
        name="Fri ledsagning Farsta",
        district=person.district,
        starts_on=date(2024, 5, 1),
        ends_on=date(2025, 4, 30),
        size=2,
        seed=1,
        drawn_on=date(2024, 4, 1),
    )
    return PilotMember.objects.create(
        group=group,
        person=person,
        role=role,
        stratum="21_plus",
        switch_on=date(2024, 5, 1) if role == MemberRole.PILOT else None,
        switch_back_on=date(2025, 4, 30) if role == MemberRole.PILOT else None,
    )


def test_a_decision_follows_the_guidelines_model_by_default(ref, person, caseworker, frozen):
    decision = _decide(_application(person), caseworker)
    assert decision.model == decision.guideline_version.model == "flex3"


def test_the_free_model_needs_a_recorded_pilot_membership(ref, person, caseworker, frozen):
    with pytest.raises(ValidationError) as exc:
        _decide(_application(person), caseworker, model="free")
    assert "försök" in exc.value.message_dict["model"][0]
    assert not Decision.objects.filter(person=person).exists()


def test_a_control_member_cannot_be_given_the_free_model(ref, person, caseworker, frozen):
    _pilot_member(person, role=MemberRole.CONTROL)
    with pytest.raises(ValidationError) as exc:
        _decide(_application(person), caseworker, model="free")
    assert "model" in exc.value.error_dict


def test_a_pilot_member_gets_the_free_model_from_the_decision_form(
    client, ref, person, caseworker, frozen
):
    _pilot_member(person)
    application = _application(person)
    client.force_login(caseworker)
    url = reverse("cases:decision_create", args=[application.pk])
    page = client.get(url).content.decode()
    assert 'value="free"' in page and "Fri ledsagning – försöket Fri ledsagning Farsta" in page
    response = client.post(
        url,
        {
            "decided_on": "2024-06-01",
            "outcome": "granted",
            "legal_basis": legal_basis("LSS", on=date(2024, 6, 1)).pk,
            "hours_per_month": "10",
            "valid_from": "2024-06-01",
            "valid_to": "2025-05-31",
            "reasons": "Utrett.",
            "deviation_reason": "Avviker av utredda skäl.",
            "model": "free",
        },
    )
    assert response.status_code == 302
    assert Decision.objects.get(person=person).model == "free"


def test_without_a_pilot_the_form_offers_only_the_guidelines_model(
    client, ref, person, caseworker, frozen
):
    application = _application(person)
    client.force_login(caseworker)
    page = client.get(reverse("cases:decision_create", args=[application.pk])).content.decode()
    assert "Enligt riktlinjerna: Tremånadersperiod" in page
    assert 'value="free"' not in page


# ---------------------------------------------------------------- reconsideration


def test_a_full_rejection_can_be_changed_on_reconsideration(ref, person, caseworker, frozen):
    rejection, appeal = _appealed(person, caseworker, decision=_rejection(person))
    eight_hours = {"note": "Nytt läkarintyg.", "hours_per_month": Decimal("8")}
    # A rejection has no validity to keep: the new decision's is asked for.
    with pytest.raises(ValidationError) as exc:
        _reconsider(appeal, caseworker, **eight_hours)
    assert {"valid_from", "valid_to"} <= set(exc.value.error_dict)
    _reconsider(
        appeal, caseworker, **eight_hours, valid_from=date(2024, 6, 15), valid_to=date(2025, 6, 14)
    )
    appeal.refresh_from_db()
    rejection.refresh_from_db()
    new = appeal.new_decision
    assert new.outcome == "granted" and new.hours_per_month == Decimal("8")
    assert (new.valid_from, new.valid_to) == (date(2024, 6, 15), date(2025, 6, 14))
    assert rejection.superseded_by_id == new.pk
    assert new.rejected_parts == []


def test_a_reconsideration_that_changes_the_hours_reaches_the_provider(
    ref, person, caseworker, frozen
):
    decision, appeal = _appealed(person, caseworker)
    order = OrderFactory(decision=decision, person=person, status="accepted")
    _reconsider(appeal, caseworker)
    new = Decision.objects.get(supersedes=decision)
    assert decision_in_force(order).pk == new.pk
    notice = OrderNotice.objects.get(order=order)
    assert (notice.old_hours_per_month, notice.new_hours_per_month) == (
        Decimal("10.00"),
        Decimal("16.00"),
    )


def test_the_replaced_decision_is_marked_and_linked_both_ways(
    client, ref, person, caseworker, frozen
):
    decision, appeal = _appealed(person, caseworker)
    order = OrderFactory(decision=decision, person=person, status="accepted")
    _reconsider(appeal, caseworker)
    new = Decision.objects.get(supersedes=decision)
    client.force_login(caseworker)
    old_page = client.get(reverse("cases:decision_detail", args=[decision.pk])).content.decode()
    assert "Beslutet är ersatt." in old_page and "ändrades vid omprövning" in old_page
    assert reverse("cases:decision_detail", args=[new.pk]) in old_page
    # No new order on a replaced decision.
    assert reverse("cases:order_create", args=[decision.pk]) not in old_page
    new_page = client.get(reverse("cases:decision_detail", args=[new.pk])).content.decode()
    assert "fattat vid omprövning och ersätter" in new_page
    assert reverse("cases:decision_detail", args=[decision.pk]) in new_page
    # The order made on the old decision now stands on the new one and is listed there.
    assert reverse("cases:order_edit", args=[order.pk]) in new_page


# ---------------------------------------------------------------- forwarding and dismissal


def test_an_appeal_cannot_be_forwarded_before_it_is_reconsidered(
    client, ref, person, caseworker, frozen
):
    _decision, appeal = _appealed(person, caseworker)
    with pytest.raises(ValidationError) as exc:
        services.appeal_forward(appeal=appeal, user=caseworker, forwarded_on=date(2024, 6, 5))
    assert exc.value.error_dict["forwarded_on"][0].code == "not_reconsidered"
    client.force_login(caseworker)
    page = client.get(reverse("cases:appeal_detail", args=[appeal.pk])).content.decode()
    assert reverse("cases:appeal_forward", args=[appeal.pk]) not in page
    response = client.post(
        reverse("cases:appeal_forward", args=[appeal.pk]), {"forwarded_on": "2024-06-05"}
    )
    assert response.status_code == 400
    assert "Pröva först om beslutet ska ändras" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.RECEIVED


def test_a_dismissal_produces_its_own_letter_and_is_not_shown_as_reconsidered(
    client, ref, person, caseworker, frozen
):
    late = DecisionFactory(person=person, notified_on=date(2024, 5, 2))
    _decision, appeal = _appealed(person, caseworker, late, received_on=date(2024, 6, 10))
    assert not appeal.timely
    services.appeal_dismiss_late(
        appeal=appeal, user=caseworker, on=date(2024, 6, 12), note="Kom in en vecka för sent."
    )
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.DISMISSED_LATE
    assert appeal.dismissed_on == date(2024, 6, 12) and appeal.reconsidered_on is None
    letter = DecisionLetter.objects.get(appeal=appeal)
    assert letter.kind == LetterKind.DISMISSAL and bytes(letter.pdf).startswith(b"%PDF")
    assert "Ditt överklagande kom in för sent" in letter.html
    assert "Kom in en vecka för sent." in letter.html
    assert "Du kan överklaga beslutet att avvisa" in letter.html
    assert letter.appeal_deadline == date(2024, 7, 3)
    client.force_login(caseworker)
    page = client.get(reverse("cases:appeal_detail", args=[appeal.pk])).content.decode()
    assert "Omprövat" not in page
    assert "Avvisat" in page and reverse("cases:letter_html", args=[letter.pk]) in page
    letter_page = client.get(reverse("cases:letter_html", args=[letter.pk]))
    assert letter_page.status_code == 200


# ---------------------------------------------------------------- the court's judgment


def _forwarded(person, caseworker, decision=None):
    decision, appeal = _appealed(person, caseworker, decision)
    services.appeal_reconsider(
        appeal=appeal,
        user=caseworker,
        reconsidered_on=date(2024, 6, 4),
        change=False,
        note="Står fast.",
    )
    services.appeal_forward(
        appeal=appeal, user=caseworker, forwarded_on=date(2024, 6, 5), court_reference="123-24"
    )
    appeal.refresh_from_db()
    return decision, appeal


def test_a_court_judgment_granting_the_appeal_replaces_the_decision(
    client, ref, person, caseworker, frozen
):
    decision, appeal = _forwarded(person, caseworker)
    order = OrderFactory(decision=decision, person=person, status="accepted")
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:appeal_judgment", args=[appeal.pk]),
        {
            "judged_on": "2024-06-13",
            "court_outcome": "granted",
            "note": "Rätt till 20 timmar.",
            "hours_per_month": "20",
        },
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    decision.refresh_from_db()
    assert appeal.status == AppealStatus.DECIDED_BY_COURT and appeal.court_outcome == "granted"
    new = appeal.court_decision
    assert new.hours_per_month == Decimal("20") and decision.superseded_by_id == new.pk
    assert "123-24" in new.reasons
    assert decision_in_force(order).pk == new.pk
    assert OrderNotice.objects.filter(order=order, decision=new).exists()
    page = client.get(reverse("cases:decision_detail", args=[decision.pk])).content.decode()
    assert "Förvaltningsrättens dom ändrade beslutet." in page


def test_a_court_judgment_rejecting_the_appeal_leaves_the_decision(ref, person, caseworker, frozen):
    decision, appeal = _forwarded(person, caseworker)
    _judge(appeal, caseworker, court_outcome="rejected", note="Överklagandet avslås.")
    appeal.refresh_from_db()
    decision.refresh_from_db()
    assert appeal.status == AppealStatus.DECIDED_BY_COURT and appeal.court_decision is None
    assert decision.superseded_by_id is None


def test_a_partial_judgment_needs_the_courts_hours(ref, person, caseworker, frozen):
    _decision, appeal = _forwarded(person, caseworker)
    with pytest.raises(ValidationError) as exc:
        _judge(appeal, caseworker, court_outcome="partly_granted", note="Delvis bifall.")
    assert "hours_per_month" in exc.value.error_dict
    _judge(
        appeal,
        caseworker,
        court_outcome="partly_granted",
        note="Delvis bifall.",
        hours_per_month=Decimal("14"),
    )
    appeal.refresh_from_db()
    assert appeal.court_decision.outcome == "partly_rejected"


def test_a_judgment_needs_an_appeal_forwarded_to_the_court(ref, person, caseworker, frozen):
    _decision, appeal = _appealed(person, caseworker)
    with pytest.raises(ValidationError) as exc:
        _judge(appeal, caseworker, court_outcome="granted", note="x", hours_per_month=Decimal("12"))
    assert "judged_on" in exc.value.error_dict


def test_a_judgment_on_a_full_rejection_asks_for_the_validity(ref, person, caseworker, frozen):
    _rejected, appeal = _forwarded(person, caseworker, decision=_rejection(person))
    with pytest.raises(ValidationError) as exc:
        _judge(
            appeal,
            caseworker,
            court_outcome="granted",
            note="Bifall.",
            hours_per_month=Decimal("12"),
        )
    assert "valid_from" in exc.value.error_dict


def test_the_person_page_marks_the_replaced_decision(client, ref, person, caseworker, frozen):
    _decision, appeal = _appealed(person, caseworker)
    _reconsider(appeal, caseworker)
    client.force_login(caseworker)
    page = client.get(reverse("cases:person_detail", args=[person.pk])).content.decode()
    assert page.count('<span class="tag">ersatt</span>') == 1
