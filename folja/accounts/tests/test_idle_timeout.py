"""The idle timeout slides with activity, but the session is written at most once a minute."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session as StoredSession

from folja.accounts.models import Role
from folja.testing.factories import make_user

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 2, 9, 0)
PAGE = "/utredning/"


def _expiry(client) -> datetime:
    return StoredSession.objects.get(session_key=client.session.session_key).expire_date


def _logged_in_analyst(client) -> None:
    user = make_user(Role.ANALYST)
    response = client.post("/konto/login/", {"username": user.username, "password": "demo"})
    assert response.status_code == 302


def test_a_page_view_within_a_minute_of_the_last_renewal_does_not_write_the_session(client):
    with time_machine.travel(START, tick=False) as traveller:
        _logged_in_analyst(client)
        assert client.get(PAGE).status_code == 200
        expiry = _expiry(client)
        traveller.shift(timedelta(seconds=30))
        assert client.get(PAGE).status_code == 200
        assert _expiry(client) == expiry


def test_a_page_view_after_a_minute_moves_the_expiry_forward(client):
    with time_machine.travel(START, tick=False) as traveller:
        _logged_in_analyst(client)
        client.get(PAGE)
        traveller.shift(timedelta(minutes=5))
        assert client.get(PAGE).status_code == 200
        assert _expiry(client) == datetime.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_a_user_active_every_ten_minutes_stays_logged_in_for_a_whole_morning(client):
    with time_machine.travel(START, tick=False) as traveller:
        _logged_in_analyst(client)
        for _ in range(24):
            traveller.shift(timedelta(minutes=10))
            assert client.get(PAGE).status_code == 200


def test_a_session_idle_longer_than_the_timeout_has_to_log_in_again(client):
    with time_machine.travel(START, tick=False) as traveller:
        _logged_in_analyst(client)
        client.get(PAGE)
        traveller.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
        response = client.get(PAGE)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/")
