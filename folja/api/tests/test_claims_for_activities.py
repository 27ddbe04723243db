"""The API takes the costly activity an expense claim is for, and says when a claim waits for
the caseworker because it would overdraw the pool."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from folja.delivery.models import ClaimStatus, ExpenseClaim
from folja.testing.factories import CostlyActivityFactory
from folja.testing.factories_providers import bearer, provider_world, unique_person
from folja.testing.receipts import PNG

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _post(client, world, amount: str, **extra):
    return client.post(
        "/api/v1/expense-claims",
        {
            "personnummer": world.person.personnummer,
            "date": "2024-02-20",
            "amount_sek": amount,
            "description": "Konsertbiljett",
            "receipt": SimpleUploadedFile("kvitto.png", PNG, content_type="image/png"),
            **extra,
        },
        **bearer(world.token),
    )


def _approved(person):
    return CostlyActivityFactory(
        person=person,
        date=date(2024, 2, 20),
        status=ClaimStatus.APPROVED,
        approved_amount_sek=Decimal("1800.00"),
    )


def test_a_claim_for_the_persons_approved_activity_is_accepted(client):
    world = provider_world()
    activity = _approved(world.person)

    r = _post(client, world, "2000.00", costly_activity_id=activity.pk)

    assert r.status_code == 201, r.content
    assert r.json()["costly_activity_id"] == activity.pk
    assert r.json()["status"] == "submitted"


def test_another_persons_activity_is_a_field_error(client):
    world = provider_world()
    foreign = _approved(unique_person())

    r = _post(client, world, "100.00", costly_activity_id=foreign.pk)

    assert r.status_code == 404
    assert r.json()["errors"][0]["field"] == "costly_activity_id"
    assert not ExpenseClaim.objects.exists()


def test_a_claim_above_the_pool_is_created_pending(client):
    world = provider_world()

    r = _post(client, world, "800.00")  # the pool of February–April is 765.52 kr

    assert r.status_code == 201, r.content
    assert r.json()["status"] == "pending"
