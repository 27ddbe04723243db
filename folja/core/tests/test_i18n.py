"""The interface is Swedish by default, with an English translation through Django i18n."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_the_login_page_is_in_swedish_by_default(client):
    response = client.get("/konto/login/")
    assert 'lang="sv"' in response.text
    assert "Logga in" in response.text


def test_choosing_english_shows_the_english_translation(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/konto/login/")
    assert 'lang="en"' in response.text
    assert "Log in" in response.text
    assert "Logga in" not in response.text


def test_an_english_browser_still_gets_swedish_until_the_user_chooses_english(client):
    response = client.get("/konto/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="sv"' in response.text
    assert "Logga in" in response.text
