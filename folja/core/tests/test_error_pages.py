"""Swedish 404 and 500 pages with a way back (issue 13, item 8), in English too."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import include, path

from folja.accounts.models import Role
from folja.testing.factories import make_user

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("a bug")


# The real routes (the page links to the start page) plus one that fails.
urlpatterns = [path("boom/", _boom), path("", include(settings.ROOT_URLCONF))]


@override_settings(DEBUG=False)
def test_an_unknown_page_is_a_swedish_404_with_a_way_back(client):
    client.force_login(make_user(Role.CASEWORKER, username="hanna"))
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Sidan finns inte" in html
    assert 'href="/"' in html and "Till startsidan" in html
    assert 'lang="sv"' in html


@override_settings(DEBUG=False)
def test_the_404_page_follows_the_chosen_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/finns-inte/").content.decode()
    assert "The page does not exist" in html and "To the start page" in html


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_server_error_is_a_swedish_500_with_a_way_back():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Något gick fel" in html and "Till startsidan" in html
    assert "a bug" not in html and "Traceback" not in html
