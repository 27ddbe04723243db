"""While the database is down every page and the API answer 503 with Retry-After, a plain
Swedish page (the API: its own `{errors: [{field, code, message}]}`), never a 500 traceback,
wherever the error is raised: in a view, while a template renders, or inside a middleware.
The outage is simulated by making every new cursor raise, as a dropped connection does; the
real restart of a database server is test_reliability_db_restart.py."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.db import OperationalError
from django.shortcuts import render
from django.template import engines
from django.template.response import TemplateResponse
from django.test import Client, override_settings
from django.urls import path

from folja.accounts.models import Role
from folja.testing.factories import make_user

LOST = OperationalError("server closed the connection unexpectedly")


def _database_down():
    return mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=LOST)


class _Lost:
    """A value whose reading needs the database (a lazy queryset in a template)."""

    @property
    def rows(self):
        raise LOST


def _lazy_template_view(request):
    template = engines["django"].from_string("<p>{{ value.rows }}</p>")
    return TemplateResponse(request, template, {"value": _Lost()})


def _rendering_view(request):
    return render(request, "errors/503.html", {"value": _Lost().rows})


def _api_view(request):
    raise LOST


urlpatterns = [
    path("mall/", _lazy_template_view),
    path("rendera/", _rendering_view),
    path("api/v1/test/", _api_view),
]


def _assert_plain_swedish_503(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "Tjänsten är tillfälligt otillgänglig" in body
    assert "Traceback" not in body and "OperationalError" not in body


def _assert_api_503(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("application/json")
    errors = json.loads(response.content)["errors"]
    assert errors == [
        {
            "field": None,
            "code": "database_unavailable",
            "message": "Följa kan inte nå sin databas just nu. Försök igen om en liten stund.",
        }
    ]


@pytest.mark.django_db
def test_the_api_answers_503_in_its_own_error_shape_when_the_database_is_down(client):
    with _database_down():
        response = client.get(
            "/api/v1/orders", HTTP_AUTHORIZATION="Bearer folja_abcdefgh" + "x" * 30
        )
    _assert_api_503(response)


@override_settings(ROOT_URLCONF=__name__)
def test_an_api_view_that_loses_the_database_answers_json_not_html():
    _assert_api_503(Client().get("/api/v1/test/"))


@override_settings(ROOT_URLCONF=__name__)
def test_a_template_that_loses_the_database_while_rendering_answers_503():
    _assert_plain_swedish_503(Client().get("/mall/"))


@override_settings(ROOT_URLCONF=__name__)
def test_a_view_that_loses_the_database_before_rendering_answers_503():
    _assert_plain_swedish_503(Client().get("/rendera/"))


@pytest.mark.django_db
def test_a_signed_in_page_that_loses_the_database_inside_a_middleware_answers_503():
    # The session is read by a middleware (the signed-in user), before any view runs. Django
    # turns that into a 500 and signals it; a test client would re-raise what a browser never
    # sees, so it is told not to.
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.CASEWORKER))
    with _database_down():
        response = client.get("/")
    _assert_plain_swedish_503(response)


@pytest.mark.django_db
def test_an_api_call_that_loses_the_database_inside_a_middleware_answers_json():
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.CASEWORKER))  # a session cookie the middleware must read
    with _database_down():
        response = client.get("/api/v1/orders")
    _assert_api_503(response)
