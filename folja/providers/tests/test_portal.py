from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from folja.accounts.models import Role
from folja.audit.models import AccessLog
from folja.delivery.models import Session
from folja.providers.models import ApiToken, ImplementationPlan
from folja.testing.factories import DecisionFactory, OrderFactory, make_user
from folja.testing.factories_providers import provider_world, unique_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return provider_world()


@pytest.fixture
def other():
    return provider_world()


def test_the_inbox_shows_sent_orders_and_lets_staff_accept_them(client, world):
    order = OrderFactory(
        provider=world.provider, status="sent", decision=DecisionFactory(person=unique_person())
    )
    client.force_login(world.staff)
    r = client.get(reverse("providers:inbox"))
    assert r.status_code == 200
    assert order.person.full_name in r.content.decode()
    r = client.post(reverse("providers:order_accept", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == "accepted"
    assert AccessLog.objects.filter(person=order.person, what="provider: order inbox").exists()


def test_another_providers_order_is_404_in_the_portal(client, world, other):
    client.force_login(world.staff)
    assert client.get(reverse("providers:order", args=[other.order.pk])).status_code == 404
    r = client.post(reverse("providers:order_accept", args=[other.order.pk]))
    assert r.status_code == 404


def test_a_caseworker_cannot_open_the_provider_portal(client, world):
    client.force_login(make_user(Role.CASEWORKER))
    assert client.get(reverse("providers:inbox")).status_code == 404


def test_the_order_page_shows_handover_fields_but_not_the_assessment(client, world):
    from folja.testing.factories import AssessmentFactory

    AssessmentFactory(
        application__person=world.person, person=world.person, needs="HEMLIG BEDÖMNING"
    )
    client.force_login(world.staff)
    html = client.get(reverse("providers:order", args=[world.order.pk])).content.decode()
    assert world.order.communication_needs in html
    assert world.person.personnummer in html
    assert "HEMLIG BEDÖMNING" not in html
    assert world.person.address not in html


def test_saving_the_plan_twice_makes_two_versions(client, world):
    client.force_login(world.staff)
    data = {
        "goals": "Gå på konsert",
        "activities": "Konserter",
        "who": "Sara",
        "when": "Fredagar",
        "how": "Buss",
        "participation": "Planen gjordes tillsammans",
    }
    url = reverse("providers:plan", args=[world.order.pk])
    client.post(url, data)
    client.post(url, data | {"goals": "Gå på teater"})
    versions = list(ImplementationPlan.objects.filter(order=world.order).order_by("version"))
    assert [(p.version, p.goals) for p in versions] == [(1, "Gå på konsert"), (2, "Gå på teater")]


def test_matching_ranks_the_escort_who_speaks_the_persons_language_first(client, world):
    from folja.testing.factories import EscortFactory

    world.order.preferred_languages = ["arabiska"]
    world.order.preferred_interests = ["musik"]
    world.order.save()
    EscortFactory(provider=world.provider, first_name="Aaron", languages=["svenska"], interests=[])
    client.force_login(world.staff)
    r = client.get(reverse("providers:matching", args=[world.order.pk]))
    matches = r.context["matches"]
    assert matches[0].escort == world.escort
    assert "talar arabiska" in matches[0].reasons
    assert "delar intresset musik" in matches[0].reasons
    assert "talar arabiska" in r.content.decode()


@time_machine.travel(datetime(2024, 2, 19, 9, 0), tick=False)
def test_booking_then_reporting_executed_time_is_verified(client, world):
    client.force_login(world.staff)
    r = client.post(
        reverse("providers:book", args=[world.order.pk]),
        {"start": "2024-02-20T18:00", "end": "2024-02-20T21:30", "escorts": "1", "escort": ""},
    )
    assert r.status_code == 302, r.content
    s = Session.objects.get()
    assert s.status == "booked" and s.payment_sek == 0
    with time_machine.travel(datetime(2024, 2, 21, 9, 0), tick=False):
        client.force_login(world.staff)  # the session cookie lasts 30 minutes
        r = client.post(
            reverse("providers:report", args=[s.pk]),
            {"start": "2024-02-20T18:00", "end": "2024-02-20T21:30"},
        )
        assert r.url == reverse("providers:sessions")
    s.refresh_from_db()
    assert s.status == "executed"
    assert str(s.payment_sek) == "1586.50"


@time_machine.travel(datetime(2024, 2, 19, 9, 0), tick=False)
def test_a_booking_with_end_before_start_shows_the_error_next_to_the_field(client, world):
    client.force_login(world.staff)
    r = client.post(
        reverse("providers:book", args=[world.order.pk]),
        {"start": "2024-02-20T18:00", "end": "2024-02-20T17:00", "escorts": "1"},
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert 'id="end-error"' in html and 'aria-describedby="end-error"' in html
    assert Session.objects.count() == 0


@time_machine.travel(datetime(2024, 2, 19, 9, 0), tick=False)
def test_cancelling_needs_a_cancellation_time_when_the_person_cancelled(client, world):
    from folja.delivery.services import session_book

    s = session_book(
        user=world.staff,
        order=world.order,
        start=datetime(2024, 2, 20, 18, 0),
        end=datetime(2024, 2, 20, 20, 0),
    )
    client.force_login(world.staff)
    url = reverse("providers:cancel", args=[s.pk])
    r = client.post(url, {"cause": "person"})
    assert r.status_code == 200
    r = client.post(url, {"cause": "person", "cancelled_at": "2024-02-18T10:00"})
    s.refresh_from_db()
    assert s.status == "cancelled_by_person"
    assert s.charged_minutes == 0  # more than 24 hours' notice: in time


def test_an_expense_claim_with_a_fake_receipt_is_refused_in_the_portal(
    client, world, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.staff)
    r = client.post(
        reverse("providers:claim_new"),
        {
            "order": world.order.pk,
            "date": "2024-02-20",
            "amount_sek": "100",
            "description": "Bio",
            "receipt": SimpleUploadedFile("k.pdf", b"not a pdf", content_type="application/pdf"),
        },
    )
    assert r.status_code == 200
    assert "Filen är inte en bild eller PDF" in r.content.decode()
    r = client.post(
        reverse("providers:claim_new"),
        {
            "order": world.order.pk,
            "date": "2024-02-20",
            "amount_sek": "100",
            "description": "Bio",
            "receipt": SimpleUploadedFile("k.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n"),
        },
    )
    assert r.status_code == 302


def test_a_provider_admin_creates_a_token_shown_once_and_can_revoke_it(client, world):
    client.force_login(world.admin)
    r = client.post(reverse("providers:tokens"), {"name": "Verksamhetssystem"})
    secret = r.context["secret"]
    assert secret.startswith("folja_")
    assert secret in r.content.decode()
    assert secret not in client.get(reverse("providers:tokens")).content.decode()
    token = ApiToken.objects.get(name="Verksamhetssystem")
    client.post(reverse("providers:token_revoke", args=[token.pk]), {"confirm": "on"})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_provider_staff_who_are_not_admins_cannot_manage_tokens(client, world):
    client.force_login(world.staff)
    assert client.get(reverse("providers:tokens")).status_code == 404


def test_the_token_command_prints_a_working_token_once(world, capsys):
    from django.core.management import call_command

    from folja.providers.services import token_authenticate

    call_command("token", "create", "--provider", str(world.provider.pk), "--name", "cli")
    secret = capsys.readouterr().out.strip()
    assert token_authenticate(secret).provider == world.provider
    token = ApiToken.objects.get(name="cli")
    call_command("token", "revoke", "--id", str(token.pk))
    assert token_authenticate(secret) is None


def test_policy_differences_name_each_rule_that_differs(world):
    from folja.guidelines.models import GuidelineVersion
    from folja.providers.selectors import policy_differences

    guideline = GuidelineVersion.objects.order_by("-valid_from").first()
    assert policy_differences(world.provider, guideline) == []
    world.provider.cancellation_cutoff_hours = 48
    world.provider.charges_no_show = False
    diffs = policy_differences(world.provider, guideline)
    assert len(diffs) == 2
    assert "48" in diffs[0]
