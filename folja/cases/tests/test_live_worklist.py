"""A live work list (issue 13, item 6): a task exists as soon as its event does, with the
details the caseworker acts on, and with an owner: the person's caseworker, else the district's
unit manager. The clock stands on 14 June 2024."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from folja.accounts.models import Role
from folja.audit.models import AuditEvent
from folja.cases.models import Task, TaskKind
from folja.cases.services_tasks import task_owner, task_raise
from folja.delivery.services import expense_claim_create
from folja.portal import services as portal_services
from folja.testing.factories import DecisionFactory, ProviderFactory, SessionFactory, make_user
from folja.testing.factories_portal import make_portal_person
from folja.testing.receipts import PNG


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pp(ref, district, frozen):
    return make_portal_person(district=district)


def _receipt() -> SimpleUploadedFile:
    return SimpleUploadedFile("kvitto.png", PNG, content_type="image/png")


def test_a_task_goes_to_the_caseworker_who_last_decided_on_the_person(pp, caseworker, manager):
    pp.decision.caseworker = caseworker
    pp.decision.save()
    task = task_raise(kind=TaskKind.PROVIDER_CHANGE, person=pp.person, subject="x:1")
    assert task.assigned_to == caseworker
    assert task.district_id == pp.person.district_id
    assert task.due_on == date(2024, 6, 28)


def test_a_task_of_a_person_without_a_caseworker_goes_to_the_unit_manager(pp, manager):
    assert pp.decision.caseworker is None
    assert task_owner(person=pp.person) == manager


def test_a_caseworker_who_left_or_moved_district_collects_no_tasks(
    pp, caseworker, manager, other_district
):
    DecisionFactory(person=pp.person, caseworker=caseworker, decided_on=date(2024, 3, 1))
    caseworker.district = other_district
    caseworker.save()
    assert task_owner(person=pp.person) == manager


def test_raising_a_task_twice_gives_the_same_task_and_one_audit_record(pp, manager):
    first = task_raise(kind=TaskKind.DEATH, person=pp.person, subject="navet:1", details={"a": 1})
    again = task_raise(kind=TaskKind.DEATH, person=pp.person, subject="navet:1", details={"a": 2})
    assert again.pk == first.pk
    assert Task.objects.filter(person=pp.person, kind=TaskKind.DEATH).count() == 1
    assert AuditEvent.objects.filter(action="task.create", object_id=str(first.pk)).count() == 1


def test_an_expense_claim_from_a_provider_becomes_a_task_at_once(pp, manager):
    claim = expense_claim_create(
        user=make_user(Role.PROVIDER_STAFF, provider=pp.provider),
        provider=pp.provider,
        person=pp.person,
        date=date(2024, 6, 10),
        amount_sek=Decimal("120"),
        description="Bussbiljett för ledsagaren",
        receipt=_receipt(),
    )
    task = Task.objects.get(kind=TaskKind.EXPENSE_REVIEW, subject=f"expense_claim:{claim.pk}")
    assert task.closed_at is None
    assert task.assigned_to == manager


def test_an_expense_claim_from_the_portal_becomes_one_task_with_an_owner(pp, caseworker):
    pp.decision.caseworker = caseworker
    pp.decision.save()
    claim = portal_services.expense_claim_submit(
        user=pp.user,
        person=pp.person,
        date=date(2024, 6, 10),
        amount_sek=Decimal("80"),
        description="Entré",
        receipt=_receipt(),
        provider=pp.provider,
    )
    tasks = Task.objects.filter(kind=TaskKind.EXPENSE_REVIEW, subject=f"expense_claim:{claim.pk}")
    assert [t.assigned_to for t in tasks] == [caseworker]


def test_a_costly_activity_application_becomes_a_task_with_an_owner(pp, manager):
    application = portal_services.costly_activity_apply(
        user=pp.user,
        person=pp.person,
        activity="Konsert på Globen",
        date=date(2024, 8, 1),
        estimated_cost_sek=Decimal("900"),
    )
    task = Task.objects.get(
        kind=TaskKind.COSTLY_ACTIVITY, subject=f"costly_activity:{application.pk}"
    )
    assert task.assigned_to == manager
    assert task.details["activity"] == "Konsert på Globen"


def test_a_provider_change_request_shows_the_provider_asked_for_and_the_reason(pp, manager):
    wanted = ProviderFactory(name="Vänner i Vardagen AB")
    request = portal_services.provider_change_request(
        user=pp.user,
        person=pp.person,
        from_provider=pp.provider,
        to_provider=wanted,
        reason="Jag vill ha en ledsagare som talar finska.",
    )
    task = Task.objects.get(kind=TaskKind.PROVIDER_CHANGE, subject=f"provider_change:{request.pk}")
    assert task.assigned_to == manager
    assert task.details["to_provider_name"] == "Vänner i Vardagen AB"
    assert task.details["from_provider_name"] == "Följeslagarna AB"
    assert task.details["reason"] == "Jag vill ha en ledsagare som talar finska."


def test_opening_the_work_list_makes_the_days_time_based_tasks_once(
    client, ref, person, caseworker, frozen
):
    DecisionFactory(
        person=person,
        caseworker=caseworker,
        decided_on=date(2023, 12, 20),
        valid_from=date(2024, 1, 1),
        valid_to=date(2024, 7, 1),
    )
    client.force_login(caseworker)
    html = client.get(reverse("cases:worklist")).content.decode()
    assert "Beslut går ut inom 60 dagar" in html
    assert "Uppdatera arbetslistan" not in html
    Task.objects.filter(kind=TaskKind.DECISION_EXPIRING).delete()
    # Made once a day: a second opening the same day does not run the job again.
    client.get(reverse("cases:worklist"))
    assert not Task.objects.filter(kind=TaskKind.DECISION_EXPIRING).exists()


def test_the_work_list_shows_the_provider_asked_for_and_the_reason(client, pp, caseworker):
    portal_services.provider_change_request(
        user=pp.user,
        person=pp.person,
        from_provider=pp.provider,
        to_provider=ProviderFactory(name="Vänner i Vardagen AB"),
        reason="Jag vill ha en ledsagare som talar finska.",
    )
    client.force_login(caseworker)
    html = client.get(reverse("cases:worklist")).content.decode()
    assert "Vänner i Vardagen AB" in html
    assert "Jag vill ha en ledsagare som talar finska." in html


def test_after_deciding_a_claim_from_the_work_list_the_caseworker_is_back_on_the_list(
    client, pp, caseworker
):
    claim = portal_services.expense_claim_submit(
        user=pp.user,
        person=pp.person,
        date=date(2024, 6, 10),
        amount_sek=Decimal("80"),
        description="Entré",
        receipt=_receipt(),
        provider=pp.provider,
    )
    client.force_login(caseworker)
    html = client.get(reverse("cases:worklist")).content.decode()
    url = reverse("cases:claim_decide", args=[claim.pk]) + "?fran=arbetslista"
    assert url.replace("&", "&amp;") in html or url in html
    response = client.post(url, {"verdict": "approve", "note": ""}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("cases:worklist")
    assert "Beslutet är sparat." in response.content.decode()


def test_an_appeal_on_a_decision_without_a_caseworker_still_gets_an_owner(ref, person, manager):
    from folja.cases import services

    decision = DecisionFactory(person=person, caseworker=None)
    appeal = services.appeal_register(
        decision=decision, user=manager, received_on=date(2024, 2, 20), grounds=""
    )
    task = Task.objects.get(kind=TaskKind.APPEAL, subject=f"appeal:{appeal.pk}")
    assert task.assigned_to == manager


def test_the_task_page_also_shows_the_provider_asked_for_and_the_reason(client, pp, caseworker):
    portal_services.provider_change_request(
        user=pp.user,
        person=pp.person,
        from_provider=pp.provider,
        to_provider=ProviderFactory(name="Vänner i Vardagen AB"),
        reason="Närmare hemmet.",
    )
    task = Task.objects.get(kind=TaskKind.PROVIDER_CHANGE)
    client.force_login(caseworker)
    html = client.get(reverse("cases:task_close", args=[task.pk])).content.decode()
    assert "Vill byta till: Vänner i Vardagen AB" in html and "Närmare hemmet." in html


def test_a_reported_session_that_does_not_fit_is_on_the_work_list_at_once(pp, caseworker):
    from datetime import datetime

    from folja.delivery.services import session_report

    pp.decision.caseworker = caseworker
    pp.decision.save()
    # 10 hours a month, 30 in April-June, all used in April: June's report cannot fit.
    for day in (3, 10, 17):
        start = datetime(2024, 4, day, 8, 0)
        SessionFactory(
            order=pp.order,
            person=pp.person,
            provider=pp.provider,
            escort=pp.escort,
            start=start,
            end=start.replace(hour=18),
        )
    session = session_report(
        user=make_user(Role.PROVIDER_STAFF, provider=pp.provider),
        provider=pp.provider,
        person=pp.person,
        order=pp.order,
        escort=pp.escort,
        start=datetime(2024, 6, 1, 8, 0),
        end=datetime(2024, 6, 1, 11, 0),
        status="executed",
    )
    session.refresh_from_db()
    assert session.review_status == "pending"
    task = Task.objects.get(kind=TaskKind.FLAGGED_SESSION, subject=f"session:{session.pk}")
    assert task.assigned_to == caseworker and task.closed_at is None
