"""The handbook where decisions are made (issue 15, item 2): the application forms pick
activities from the catalogue with free text still possible, and decision support shows each
activity's ruling and how the city decided comparable applications."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from folja.accounts.models import Role
from folja.cases.models import Application
from folja.handbook.models import ApplicationActivity, RulingKind
from folja.testing.factories import (
    ApplicationFactory,
    AssessmentFactory,
    DecisionFactory,
    PersonFactory,
    make_user,
    reference_data,
)
from folja.testing.factories_handbook import ActivityFactory, RulingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2024, 6, 14, 10, 0), tick=False):
        yield


@pytest.fixture
def abroad(db):
    reference_data()
    activity = ActivityFactory(code="resa-utomlands", name="Resa utomlands", grey_zone=True)
    RulingFactory(
        activity=activity,
        kind=RulingKind.CASE_BY_CASE,
        conditions="Ansök i god tid.",
        reasoning="En resa utomlands bedöms varje gång.",
    )
    return activity


def test_a_caseworker_registers_an_application_picking_a_catalogue_activity_and_free_text(
    client, abroad
):
    person = PersonFactory()
    client.force_login(make_user(Role.CASEWORKER, district=person.district))
    url = reverse("cases:application_create", args=[person.pk])
    assert "Resa utomlands" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "received_on": "2024-06-14",
            "kind": "specific",
            "catalogue_activities": [str(abroad.pk)],
            "activities": "Resa till Åland i augusti",
            "requested_act": "LSS",
        },
    )
    assert response.status_code == 302
    application = Application.objects.get(person=person)
    assert application.activities == "Resa till Åland i augusti"
    assert list(application.catalogue_activities.values_list("activity", flat=True)) == [abroad.pk]


def test_a_catalogue_activity_alone_is_enough_for_a_specific_e_application(client, abroad):
    person = PersonFactory()
    client.force_login(make_user(Role.PERSON, person=person))
    assert "Resa utomlands" in client.get("/mina-sidor/ansokan/ny/").content.decode()
    response = client.post(
        "/mina-sidor/ansokan/ny/",
        {
            "kind": "specific",
            "catalogue_activities": [str(abroad.pk)],
            "activities": "",
            "needs": "Jag behöver stöd på resan.",
            "requested_act": "LSS",
        },
    )
    assert response.status_code == 302
    assert ApplicationActivity.objects.filter(application__person=person, activity=abroad).exists()


def test_an_unknown_catalogue_activity_is_a_field_error_not_a_500(client, abroad):
    person = PersonFactory()
    client.force_login(make_user(Role.PERSON, person=person))
    response = client.post(
        "/mina-sidor/ansokan/ny/",
        {
            "kind": "specific",
            "catalogue_activities": ["999999"],
            "needs": "x",
            "requested_act": "LSS",
        },
    )
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_decision_support_shows_the_ruling_and_how_comparable_applications_were_decided(
    client, abroad
):
    for outcome in ("granted", "granted", "rejected"):
        other = ApplicationFactory()
        ApplicationActivity.objects.create(application=other, activity=abroad)
        kwargs = {"hours_per_month": None, "valid_from": None, "valid_to": None}
        DecisionFactory(
            person=other.person,
            application=other,
            outcome=outcome,
            **(kwargs if outcome == "rejected" else {}),
        )
    application = AssessmentFactory(application=ApplicationFactory()).application
    ApplicationActivity.objects.create(application=application, activity=abroad)
    client.force_login(make_user(Role.CASEWORKER, district=application.district))
    for url in (
        reverse("cases:decision_create", args=[application.pk]),
        reverse("cases:decision_support", args=[application.pk]),
    ):
        html = client.get(url).content.decode()
        assert "Bedöms i varje enskilt fall" in html and "Ansök i god tid." in html
        assert "2 beviljade, 1 avslagna" in html
