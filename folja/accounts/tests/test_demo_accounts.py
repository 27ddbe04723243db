"""A demo account (`is_demo`) never logs in when FOLJA_ENV=production, whatever the database
holds: not with its password, not with a session it already has, not with an API token it
issued. Off production the demo logins work as before."""

from __future__ import annotations

import pytest
from django.test import override_settings

from folja.accounts.models import Role
from folja.accounts.tests import test_oidc
from folja.providers.models import Provider
from folja.providers.services import token_create
from folja.testing.factories import make_user

pytestmark = pytest.mark.django_db
LOGIN = "/konto/login/"
REFUSED = "Demokonton kan inte användas för att logga in i produktionsmiljön."
production = override_settings(FOLJA_ENV="production")

# The real loopback OIDC provider of test_oidc.py, started once for this module too.
provider = test_oidc.provider
oidc = test_oidc.oidc


def _demo(role=Role.CASEWORKER, **kwargs):
    return make_user(role, is_demo=True, **kwargs)


def test_a_demo_account_is_refused_at_the_login_form_in_production_with_a_swedish_message(
    client,
):
    user = _demo()
    with production:
        response = client.post(LOGIN, {"username": user.username, "password": "demo"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert REFUSED in response.content.decode()


def test_a_demo_account_with_a_wrong_password_gets_the_ordinary_error(client):
    # Being a demo account is told only to someone who knows its password.
    user = _demo()
    with production:
        response = client.post(LOGIN, {"username": user.username, "password": "fel"})
    html = response.content.decode()
    assert REFUSED not in html and "Fel användarnamn eller lösenord" in html


def test_an_ordinary_account_logs_in_in_production(client):
    user = make_user(Role.CASEWORKER)
    with production:
        response = client.post(LOGIN, {"username": user.username, "password": "demo"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_demo_account_logs_in_off_production(client):
    user = _demo()
    with override_settings(FOLJA_ENV="development"):
        response = client.post(LOGIN, {"username": user.username, "password": "demo"})
    assert response.status_code == 302


def test_a_session_a_demo_account_already_holds_ends_in_production(client):
    user = _demo(Role.ANALYST)
    response = client.post(LOGIN, {"username": user.username, "password": "demo"})
    assert response.status_code == 302
    with production:
        response = client.get("/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def _demo_token() -> str:
    admin = _demo(Role.PROVIDER_ADMIN)
    provider = Provider.objects.get(pk=admin.provider_id)
    return token_create(user=admin, provider=provider, name="demo").secret


def test_an_api_token_issued_by_a_demo_account_is_refused_in_production(client):
    secret = _demo_token()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/v1/orders", **auth).status_code == 200
    with production:
        response = client.get("/api/v1/orders", **auth)
    assert response.status_code == 401
    assert response.json()["errors"][0]["field"] == "Authorization"


def test_a_demo_account_is_refused_at_the_e_id_callback_in_production(client, oidc):
    user = _demo(hsa_id="SE2321000016-ABC1")
    with production:
        response = test_oidc._flow(client, "kim")
        assert "_auth_user_id" not in client.session
        assert response.status_code == 302 and response["Location"] != "/efter/"
        page = client.get(response["Location"])
    assert REFUSED in page.content.decode()
    # Off production the same identity logs in.
    test_oidc._flow(client, "kim")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_e_id_session_a_demo_account_holds_ends_in_production(client, oidc):
    _demo(hsa_id="SE2321000016-ABC1")
    test_oidc._flow(client, "kim")
    assert "/konto/login/" not in client.get("/").get("Location", "")
    with production:
        response = client.get("/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
