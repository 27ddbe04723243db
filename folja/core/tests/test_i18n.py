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


def test_every_string_in_the_english_catalogue_is_translated_and_none_is_a_fuzzy_guess():
    # A fuzzy entry is gettext's guess from a similar string ("Bevilja" → "Granted min"); Django
    # ignores it, so the English page would silently show Swedish. Run `folja makemessages -l en
    # --ignore=.venv --ignore=var --ignore=bench` and translate what it adds.
    po = (settings.BASE_DIR / "folja/locale/en/LC_MESSAGES/django.po").read_text("utf-8")
    entries = [e for e in po.split("\n\n") if "msgid " in e and not e.startswith("#~")]
    fuzzy = [e for e in entries if "#, fuzzy" in e and 'msgid ""\nmsgstr ""\n"Project' not in e]
    untranslated = [
        e.split("\n")[-2]
        for e in entries
        if e.rstrip().endswith('msgstr ""') and not e.rstrip().endswith('msgid ""\nmsgstr ""')
    ]
    assert not fuzzy, fuzzy[:3]
    assert not untranslated, untranslated[:5]
