from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from folja.audit.models import AccessLog
from folja.testing.factories_portal import make_demo_person

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime(2024, 2, 15, 12, 0), tick=False)
def test_the_person_sees_hours_left_and_sessions_with_the_escorts_first_name_only(client):
    pp = make_demo_person()
    client.force_login(pp.user)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mina timmar" in html
    # 30 h granted in Jan–Mar, 5 h used: 25 h left.
    assert "25 timmar" in html
    assert "Sara" in html
    assert "Berg" not in html
    assert "Promenad i Hagaparken" in html
    assert "Obs!" not in html


@time_machine.travel(datetime(2024, 3, 20, 12, 0), tick=False)
def test_the_person_is_warned_when_hours_lapse_within_three_weeks(client):
    pp = make_demo_person()
    client.force_login(pp.user)
    html = client.get(reverse("portal:home")).content.decode()
    assert "Obs!" in html
    assert "31 mars 2024" in html


@time_machine.travel(datetime(2024, 2, 15, 12, 0), tick=False)
def test_reading_the_hours_page_is_logged(client):
    pp = make_demo_person()
    client.force_login(pp.user)
    client.get(reverse("portal:home"))
    assert AccessLog.objects.filter(person=pp.person, what="portal_hours").count() == 1


@time_machine.travel(datetime(2025, 6, 1, 12, 0), tick=False)
def test_a_person_without_a_current_decision_is_told_so(client):
    pp = make_demo_person()
    client.force_login(pp.user)
    html = client.get(reverse("portal:home")).content.decode()
    assert "Du har inga timmar att använda just nu." in html
