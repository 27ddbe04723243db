"""A provider booking a session for a grey-zone activity sees the city's ruling and must note
how it was applied (issue 15, item 2); an activity covered outright needs no note."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from folja.delivery.models import Session
from folja.handbook.models import RulingKind, SessionRuling
from folja.testing.factories_handbook import ActivityFactory, RulingFactory
from folja.testing.factories_providers import provider_world

pytestmark = pytest.mark.django_db

SLOT = {"start": "2024-02-20T18:00", "end": "2024-02-20T21:30", "escorts": "1", "escort": ""}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2024, 2, 19, 9, 0), tick=False):
        yield


@pytest.fixture
def world():
    return provider_world()


def test_a_grey_zone_booking_without_a_note_is_refused_and_shows_the_ruling(client, world):
    doctor = ActivityFactory(name="Besök hos läkare", grey_zone=True)
    RulingFactory(
        activity=doctor, kind=RulingKind.CASE_BY_CASE, reasoning="Vården ordnar stöd först."
    )
    client.force_login(world.staff)
    url = reverse("providers:book", args=[world.order.pk])
    assert "Vården ordnar stöd först." in client.get(url).content.decode()
    response = client.post(url, SLOT | {"handbook_activity": str(doctor.pk), "handbook_note": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Skriv hur ni har tillämpat handboken" in html and 'id="handbook-ruling"' in html
    assert not Session.objects.exists()
    note = "Ingen anhörig kunde följa med; beviljat efter samtal med handläggaren."
    response = client.post(url, SLOT | {"handbook_activity": str(doctor.pk), "handbook_note": note})
    assert response.status_code == 302
    applied = SessionRuling.objects.get()
    assert applied.note == note and applied.ruling.activity == doctor
    assert applied.session.activity == "Besök hos läkare"


def test_an_activity_covered_outright_needs_no_note(client, world):
    culture = ActivityFactory(name="Kultur")
    RulingFactory(activity=culture, kind=RulingKind.COVERED)
    client.force_login(world.staff)
    response = client.post(
        reverse("providers:book", args=[world.order.pk]),
        SLOT | {"handbook_activity": str(culture.pk), "activity": "Konsert"},
    )
    assert response.status_code == 302
    assert SessionRuling.objects.get().note == ""
    assert Session.objects.get().activity == "Konsert"
