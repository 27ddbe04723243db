"""An application is decided once (issue 12, duplicates): a second decision on a decided
application would grant the same need twice and double the person's hours. A change goes
through reconsideration (omprövning) or a new application."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from folja.cases import selectors, services
from folja.cases.models import Decision
from folja.testing.factories import (
    ApplicationFactory,
    AssessmentFactory,
    DecisionFactory,
    legal_basis,
)
from folja.testing.factories_cases import decision_made

pytestmark = pytest.mark.django_db

ALREADY = "Ansökan är redan beslutad"


def _application(person):
    return AssessmentFactory(
        application=ApplicationFactory(person=person, requested_hours_per_month=Decimal("10"))
    ).application


def _form_data() -> dict[str, str]:
    return {
        "decided_on": "2024-06-01",
        "outcome": "granted",
        "legal_basis": str(legal_basis("LSS", date(2024, 6, 1)).pk),
        "hours_per_month": "10",
        "valid_from": "2024-06-01",
        "valid_to": "2025-05-31",
        "reasons": "Utrett.",
    }


def test_it_refuses_a_second_decision_on_a_decided_application(ref, person, caseworker):
    application = _application(person)
    first = decision_made(application, caseworker)
    with pytest.raises(ValidationError) as exc:
        decision_made(application, caseworker, hours_per_month=Decimal("12"))
    [error] = exc.value.error_dict["application"]
    assert error.code == "already_decided"
    assert ALREADY in error.message
    assert list(Decision.objects.filter(person=person)) == [first]


def test_a_rejected_application_is_decided_too(ref, person, caseworker):
    application = _application(person)
    decision_made(
        application,
        caseworker,
        outcome="rejected",
        rejected_parts=[{"part": "Ledsagning", "reason": "Behovet tillgodoses på annat sätt."}],
    )
    with pytest.raises(ValidationError) as exc:
        decision_made(application, caseworker)
    assert exc.value.error_dict["application"][0].code == "already_decided"
    assert Decision.objects.filter(person=person).count() == 1


def test_the_database_refuses_two_decisions_in_force_on_one_application(ref, person):
    application = _application(person)
    DecisionFactory(person=person, application=application)
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionFactory(person=person, application=application, hours_per_month=Decimal("12"))


def test_decisions_without_an_application_are_not_limited(ref, person):
    # Factories and imported history have no application; the rule is about applications.
    DecisionFactory(person=person)
    DecisionFactory(person=person, valid_from=date(2025, 2, 14), valid_to=date(2026, 2, 13))
    assert Decision.objects.filter(person=person, application__isnull=True).count() == 2


def test_a_reconsideration_replaces_the_decision_on_the_same_application(ref, person, caseworker):
    application = _application(person)
    old = decision_made(application, caseworker)
    old.notified_on = date(2024, 6, 3)
    old.save(update_fields=["notified_on"])
    appeal = services.appeal_register(decision=old, user=caseworker, received_on=date(2024, 6, 10))
    services.appeal_reconsider(
        appeal=appeal,
        user=caseworker,
        reconsidered_on=date(2024, 6, 12),
        change=True,
        note="Nya uppgifter om behovet.",
        outcome="granted",
        hours_per_month=Decimal("14"),
    )
    appeal.refresh_from_db()
    old.refresh_from_db()
    new = appeal.new_decision
    assert new.application_id == application.pk
    assert old.superseded_by_id == new.pk
    assert selectors.decision_of_application(application) == new
    # The reconsidered application is still decided once.
    with pytest.raises(ValidationError):
        decision_made(application, caseworker)
    assert Decision.objects.filter(application=application).count() == 2


def test_the_decision_page_of_a_decided_application_offers_no_form(client, ref, person, caseworker):
    application = _application(person)
    decision = decision_made(application, caseworker)
    client.force_login(caseworker)
    response = client.get(reverse("cases:decision_create", args=[application.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert ALREADY in html
    assert 'name="outcome"' not in html and "Fatta beslut</button>" not in html
    assert reverse("cases:decision_detail", args=[decision.pk]) in html
    assert reverse("cases:application_create", args=[person.pk]) in html


def test_a_post_to_a_decided_application_gets_the_error_not_a_second_decision(
    client, ref, person, caseworker
):
    application = _application(person)
    decision_made(application, caseworker)
    client.force_login(caseworker)
    response = client.post(reverse("cases:decision_create", args=[application.pk]), _form_data())
    assert response.status_code == 409
    assert ALREADY in response.content.decode()
    assert Decision.objects.filter(person=person).count() == 1


def test_a_decision_made_while_the_form_was_open_shows_the_services_error(
    client, ref, person, caseworker, monkeypatch
):
    # Two caseworkers open the form at once; the first decides. The second's POST passed the
    # page's check before that decision existed, so the service is what refuses it.
    application = _application(person)
    decision_made(application, caseworker)
    monkeypatch.setattr(selectors, "decision_of_application", lambda application: None)
    client.force_login(caseworker)
    response = client.post(reverse("cases:decision_create", args=[application.pk]), _form_data())
    assert response.status_code == 200
    assert ALREADY in response.content.decode()
    assert Decision.objects.filter(person=person).count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_caseworker_whose_form_went_stale_reads_why_in_the_browser(page):
    # Real Chromium: the form is open while someone else decides the application; sending it
    # shows the explanation (accessible, no second decision), and the decision is a link away.
    from playwright.sync_api import expect

    from folja.accounts.models import Role
    from folja.core.clock import today
    from folja.testing.browser import axe_violations, login
    from folja.testing.factories import DistrictFactory, PersonFactory, make_user, reference_data

    reference_data()
    district = DistrictFactory(name="Farsta")
    hanna = make_user(Role.CASEWORKER, district=district, username="hanna")
    person = PersonFactory(district=district, first_name="Astrid", last_name="Lund")
    application = _application(person)
    login(page, "hanna")
    page.goto(reverse("cases:decision_create", args=[application.pk]))
    page.get_by_label("Bifall").check()
    page.get_by_label("Beviljade timmar per månad").fill("10")
    page.get_by_label("Motivering", exact=True).fill("Behovet är utrett.")
    day = today()
    decision = decision_made(
        application,
        hanna,
        decided_on=day,
        legal_basis=legal_basis("LSS", day),
        valid_from=day,
        valid_to=day + timedelta(days=364),
    )
    page.get_by_role("button", name="Fatta beslut").click()
    expect(page.get_by_role("alert")).to_contain_text(ALREADY)
    assert axe_violations(page) == []
    assert Decision.objects.filter(person=person).count() == 1
    page.get_by_role("link", name="Till beslutet").click()
    expect(page).to_have_url(re.compile(rf"/beslut/{decision.pk}/$"))
    # Coming back to the decision page offers no form.
    page.goto(reverse("cases:decision_create", args=[application.pk]))
    expect(page.get_by_role("button", name="Fatta beslut")).to_have_count(0)
