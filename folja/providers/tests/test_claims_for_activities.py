"""The provider's claim form can say which of the person's approved costly activities an
expense is for; a claim that would overdraw the pool is refused silently no more."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from folja.cases.models import Task, TaskKind
from folja.delivery.models import ClaimStatus, ExpenseClaim
from folja.testing.factories import CostlyActivityFactory
from folja.testing.factories_providers import provider_world, unique_person

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _post(client, world, amount: str, **extra):
    return client.post(
        reverse("providers:claim_new"),
        {
            "order": world.order.pk,
            "date": "2024-02-20",
            "amount_sek": amount,
            "description": "Konsertbiljett för ledsagaren",
            "receipt": SimpleUploadedFile("k.pdf", PDF, content_type="application/pdf"),
            **extra,
        },
    )


def _approved(person, **kwargs):
    return CostlyActivityFactory(
        person=person,
        date=date(2024, 2, 20),
        status=ClaimStatus.APPROVED,
        approved_amount_sek=Decimal("1800.00"),
        **kwargs,
    )


def test_the_provider_links_a_claim_to_the_persons_approved_activity(client):
    world = provider_world()
    activity = _approved(world.person, activity="Konsert i Göteborg")
    client.force_login(world.staff)

    form = client.get(reverse("providers:claim_new")).content.decode()
    assert "Konsert i Göteborg" in form
    assert "1800" not in form  # what the activity is and when, never the money

    response = _post(client, world, "2000", costly_activity=activity.pk)

    assert response.status_code == 302
    claim = ExpenseClaim.objects.get(person=world.person)
    assert claim.costly_activity == activity
    assert claim.status == ClaimStatus.SUBMITTED  # 765.52 kr pool + 1,800 kr activity cover it


def test_the_provider_cannot_link_a_claim_to_another_persons_activity(client):
    world = provider_world()
    foreign = _approved(unique_person())
    client.force_login(world.staff)

    response = _post(client, world, "100", costly_activity=foreign.pk)

    assert response.status_code == 200
    assert not ExpenseClaim.objects.exists()


def test_a_provider_claim_above_the_pool_goes_to_the_caseworker(client):
    world = provider_world()
    client.force_login(world.staff)

    response = _post(client, world, "800")  # the pool of February–April is 765.52 kr

    assert response.status_code == 302
    claim = ExpenseClaim.objects.get(person=world.person)
    assert claim.status == ClaimStatus.PENDING
    assert Task.objects.filter(person=world.person, kind=TaskKind.EXPENSE_REVIEW).exists()
