"""Another district's caseworker gets 404 for every page and action on this district's
persons; every URL of the app is listed here, so a new one cannot be forgotten."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from folja.accounts.models import Role
from folja.cases import urls as cases_urls
from folja.cases.models import (
    Appeal,
    Application,
    ApplicationAttachment,
    Decision,
    DecisionLetter,
    NonExecution,
    Task,
)
from folja.delivery.models import Session
from folja.providers.models import Order
from folja.testing.factories import (
    ApplicationFactory,
    AssessmentFactory,
    CostlyActivityFactory,
    DecisionFactory,
    ExpenseClaimFactory,
    OrderFactory,
    SessionFactory,
    make_user,
)
from folja.testing.factories_cases import AppealFactory, DecisionLetterFactory, TaskFactory
from folja.testing.receipts import PNG

pytestmark = pytest.mark.django_db

# URL name → the kind of object its pk names.
OBJECT_URLS = {
    "person_detail": "person",
    "application_create": "person",
    "assessment_create": "application",
    "decision_create": "application",
    "decision_support": "application",
    "decision_detail": "decision",
    "letter_issue": "decision",
    "order_create": "decision",
    "appeal_create": "decision",
    "letter_html": "letter",
    "letter_pdf": "letter",
    "order_edit": "order",
    "appeal_detail": "appeal",
    "appeal_reconsider": "appeal",
    "appeal_forward": "appeal",
    "appeal_dismiss": "appeal",
    "appeal_judgment": "appeal",
    "application_detail": "application",
    "attachment_file": "attachment",
    "session_review": "session",
    "task_close": "task",
    "claim_decide": "claim",
    "costly_decide": "costly",
    "non_execution_reason": "decision",
    "provider_choice": "decision",
}
# Pages without a person in the URL: scoped by the user's own district instead.
DISTRICT_URLS = {"caseload", "worklist", "manager_dashboard", "manager_chart", "manager_chart_csv"}


@pytest.fixture
def world(ref, person, caseworker, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    application = ApplicationFactory(person=person)
    attachment = ApplicationAttachment(
        application=application, person=person, content_type="image/png", original_name="a.png"
    )
    attachment.file.save("a.png", ContentFile(PNG), save=True)
    AssessmentFactory(application=application)
    decision = DecisionFactory(person=person, application=application, caseworker=caseworker)
    return {
        "person": person,
        "application": ApplicationFactory(person=person),
        "decision": decision,
        "letter": DecisionLetterFactory(decision=decision),
        "order": OrderFactory(decision=decision, status="draft"),
        "appeal": AppealFactory(decision=decision),
        "session": SessionFactory(order=OrderFactory(decision=decision), review_status="pending"),
        "task": TaskFactory(person=person, assigned_to=caseworker),
        "claim": ExpenseClaimFactory(person=person),
        "costly": CostlyActivityFactory(person=person),
        "attachment": attachment,
        "non_execution": NonExecution.objects.create(
            decision=decision,
            person=person,
            district=person.district,
            kind="not_started",
            since=decision.decided_on,
            reportable_on=decision.decided_on,
        ),
    }


def test_every_url_of_the_app_is_classified():
    names = {p.name for p in cases_urls.urlpatterns}
    assert names == set(OBJECT_URLS) | DISTRICT_URLS


@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_districts_caseworker_gets_404(client, world, other_caseworker, name, method):
    client.force_login(other_caseworker)
    url = reverse(f"cases:{name}", args=[world[OBJECT_URLS[name]].pk])
    response = getattr(client, method)(url, {"reason": "x", "verdict": "approve"})
    assert response.status_code == 404


@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_the_own_districts_caseworker_reaches_each_page(client, world, caseworker, name):
    client.force_login(caseworker)
    url = reverse(f"cases:{name}", args=[world[OBJECT_URLS[name]].pk])
    response = client.get(url)
    # POST-only actions answer 405 to GET: the point is that the object is in scope.
    assert response.status_code in (200, 302, 405)


@pytest.mark.parametrize("role", [Role.PROVIDER_STAFF, Role.ANALYST, Role.PERSON])
def test_other_roles_get_404_for_casework(client, world, role):
    client.force_login(make_user(role))
    assert client.get(reverse("cases:person_detail", args=[world["person"].pk])).status_code == 404
    assert client.get(reverse("cases:caseload")).status_code == 404


def test_lists_of_another_district_show_none_of_this_districts_persons(
    client, world, other_caseworker, other_district
):
    client.force_login(other_caseworker)
    for name in ("caseload", "worklist"):
        response = client.get(reverse(f"cases:{name}"))
        assert response.status_code == 200
        assert "Lund" not in response.content.decode()
    response = client.get(reverse("cases:caseload"), {"q": world["person"].personnummer})
    assert "Lund" not in response.content.decode()
    # Opening the work list made the other district's tasks, and none of this one's.
    assert not Task.objects.filter(district=other_district).exists()
    manager = make_user(Role.UNIT_MANAGER, district=other_district)
    client.force_login(manager)
    assert "Lund" not in client.get(reverse("cases:manager_dashboard")).content.decode()


def test_nothing_was_changed_by_the_refused_requests(client, world, other_caseworker):
    client.force_login(other_caseworker)
    for name, kind in OBJECT_URLS.items():
        client.post(
            reverse(f"cases:{name}", args=[world[kind].pk]),
            {
                "received_on": "2024-06-01",
                "resolution": "x",
                "notified_on": "2024-06-01",
                "reason": "declined",
            },
        )
    assert Application.objects.count() == 2
    assert NonExecution.objects.get().reason == ""
    assert Decision.objects.count() == 1
    assert DecisionLetter.objects.count() == 1
    assert Appeal.objects.count() == 1
    assert Order.objects.filter(status="draft").count() == 1
    assert Session.objects.get(pk=world["session"].pk).review_status == "pending"
    assert Task.objects.filter(closed_at__isnull=True).count() == 1
