"""No input gives a 500: nasty values on every form answer with Swedish errors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from folja.testing.factories import (
    ApplicationFactory,
    AssessmentFactory,
    CostlyActivityFactory,
    DecisionFactory,
    ExpenseClaimFactory,
    SessionFactory,
)
from folja.testing.factories_cases import AppealFactory, TaskFactory

pytestmark = pytest.mark.django_db

NASTY = [
    "\x00",
    "x" * 100_000,
    "'; DROP TABLE people_person; --",
    "NaN",
    "-Infinity",
    "1e309",
    "0001-01-01",
    "9999-99-99",
    "‮ ٣٤٥ 🙂",
    "<script>alert(1)</script>",
]


@pytest.fixture
def targets(ref, person, caseworker):
    application = ApplicationFactory(person=person)
    assessed = AssessmentFactory(application=ApplicationFactory(person=person)).application
    decision = DecisionFactory(person=person, caseworker=caseworker)
    return {
        "application_create": (
            person.pk,
            ["received_on", "kind", "requested_act", "requested_hours_per_month", "activities"],
        ),
        "assessment_create": (
            application.pk,
            ["assessed_on", "needs", "cw_leisure", "p_leisure", "other_services"],
        ),
        "decision_create": (
            assessed.pk,
            [
                "decided_on",
                "outcome",
                "legal_basis",
                "hours_per_month",
                "valid_from",
                "valid_to",
                "reasons",
                "part_1",
            ],
        ),
        "decision_support": (assessed.pk, ["decided_on", "legal_basis", "hours_per_month"]),
        "letter_issue": (decision.pk, ["notified_on"]),
        "order_create": (decision.pk, ["provider", "goals", "preferred_age_band", "action"]),
        "appeal_create": (decision.pk, ["received_on", "grounds"]),
        "appeal_reconsider": (
            AppealFactory(decision=decision).pk,
            ["reconsidered_on", "change", "outcome", "hours_per_month", "note"],
        ),
        "appeal_forward": (
            AppealFactory(decision=decision).pk,
            ["forwarded_on", "court_reference"],
        ),
        "session_review": (
            SessionFactory(order__decision=decision, review_status="pending").pk,
            ["verdict", "reason"],
        ),
        "task_close": (TaskFactory(person=person).pk, ["resolution"]),
        "claim_decide": (ExpenseClaimFactory(person=person).pk, ["verdict", "note"]),
        "costly_decide": (
            CostlyActivityFactory(person=person).pk,
            ["verdict", "approved_amount_sek", "note"],
        ),
    }


@pytest.mark.parametrize("value", NASTY, ids=range(len(NASTY)))
def test_nasty_values_never_give_a_server_error(client, targets, caseworker, value):
    client.force_login(caseworker)
    for name, (pk, fields) in targets.items():
        data = {f: value for f in fields}
        url = reverse(f"cases:{name}", args=[pk])
        method = client.get if name == "decision_support" else client.post
        response = method(url, data)
        assert response.status_code < 500, (name, response.status_code)
    for params in ({"q": value}, {"sida": value}, {"typ": value, "mina": value}):
        assert client.get(reverse("cases:caseload"), params).status_code < 500
        assert client.get(reverse("cases:worklist"), params).status_code < 500


def test_an_impossible_date_is_a_swedish_error_next_to_the_field(client, ref, person, caseworker):
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:application_create", args=[person.pk]),
        {"received_on": "1850-01-01", "kind": "open", "requested_act": "LSS"},
    )
    html = response.content.decode()
    assert 'id="id_received_on_error"' in html and "Ange ett datum mellan år 2000 och 2100." in html
    response = client.post(
        reverse("cases:application_create", args=[person.pk]),
        {"received_on": "i morgon", "kind": "open", "requested_act": "LSS"},
    )
    assert "Fyll i ett giltigt datum." in response.content.decode()
