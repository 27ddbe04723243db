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


def _decided(activity, outcomes: dict[str, int], district=None) -> None:
    """Other applications for `activity`, decided as `outcomes` says ({outcome: how many}), in
    `district` (each in a district of its own when None)."""
    kwargs = {"hours_per_month": None, "valid_from": None, "valid_to": None}
    for outcome, n in outcomes.items():
        for _ in range(n):
            person = PersonFactory(district=district) if district else PersonFactory()
            other = ApplicationFactory(person=person)
            ApplicationActivity.objects.create(application=other, activity=activity)
            DecisionFactory(
                person=person,
                application=other,
                outcome=outcome,
                **(kwargs if outcome == "rejected" else {}),
            )


def _application_for(activity, district=None):
    person = PersonFactory(district=district) if district else PersonFactory()
    application = AssessmentFactory(application=ApplicationFactory(person=person)).application
    ApplicationActivity.objects.create(application=application, activity=activity)
    return application


def test_decision_support_shows_the_ruling_and_how_comparable_applications_were_decided(
    client, abroad
):
    _decided(abroad, {"granted": 6, "rejected": 5})
    application = _application_for(abroad)
    client.force_login(make_user(Role.CASEWORKER, district=application.district))
    for url in (
        reverse("cases:decision_create", args=[application.pk]),
        reverse("cases:decision_support", args=[application.pk]),
    ):
        html = client.get(url).content.decode()
        assert "Bedöms i varje enskilt fall" in html and "Ansök i god tid." in html
        assert "i staden: 6 beviljade, 5 avslagna" in html
        # None in the caseworker's own district: zero is a small number too.
        assert "I stadsdelen: .. beviljade, .. avslagna" in html
        assert "Antal under 5 visas som .." in html


def test_comparable_counts_of_one_or_two_are_suppressed_as_in_open_data(client, abroad):
    _decided(abroad, {"granted": 2, "rejected": 1})
    application = _application_for(abroad)
    client.force_login(make_user(Role.CASEWORKER, district=application.district))
    html = client.get(reverse("cases:decision_support", args=[application.pk])).content.decode()
    assert "i staden: .. beviljade, .. avslagna" in html
    assert "2 beviljade" not in html and "1 avslagna" not in html


def test_comparable_counts_follow_the_open_data_rule_across_districts(abroad):
    from folja.followup.opendata import SUPPRESSED
    from folja.handbook.selectors import comparable_outcomes
    from folja.testing.factories import DistrictFactory

    own, other = DistrictFactory(), DistrictFactory()
    caseworker = make_user(Role.CASEWORKER, district=own)
    _decided(abroad, {"granted": 6, "rejected": 5}, district=own)
    _decided(abroad, {"granted": 5, "rejected": 7}, district=other)
    application = _application_for(abroad, district=own)
    today = datetime(2024, 6, 14).date()
    (c,) = comparable_outcomes(user=caseworker, application=application, on=today)
    assert (c.granted, c.rejected, c.district_granted, c.district_rejected) == (11, 12, 6, 5)
    assert not c.suppressed
    # Two rejections in a third district are hidden; the own district's five rejections (the
    # smallest other count of the column) would give them away through the city's total, so
    # they go too, and with them the district's total; its grants alone give nothing away.
    _decided(abroad, {"rejected": 2}, district=DistrictFactory())
    (c,) = comparable_outcomes(user=caseworker, application=application, on=today)
    assert (c.granted, c.rejected) == (11, 14)
    assert (c.district_granted, c.district_rejected) == (6, SUPPRESSED)
    assert c.suppressed
