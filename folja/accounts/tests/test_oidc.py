"""The full authorization-code flow against a real OIDC provider process on loopback
(oidc_provider.py): discovery of nothing is faked, the id_token is RS256-signed by the provider
and its signature is checked by mozilla-django-oidc against the provider's JWKS."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest
import requests
from django.test import override_settings

from folja.accounts import oidc as oidc_module
from folja.accounts.models import Role
from folja.testing.factories import PersonFactory, make_representative, make_user

pytestmark = pytest.mark.django_db
PROVIDER = Path(__file__).with_name("oidc_provider.py")
CLIENT_ID, CLIENT_SECRET = "folja-test", "s3cret-for-tests-only"
PERSON_PNR = "198005172385"
USERS = {
    "anna": {"sub": "e-id-anna", "personal_identity_number": PERSON_PNR},
    "kim": {"sub": "siths-kim", "hsa_id": "SE2321000016-ABC1"},
    "stranger": {"sub": "e-id-x", "personal_identity_number": "194001019992"},
    "greta": {"sub": "e-id-greta", "personal_identity_number": "198112189876"},
}


@pytest.fixture(scope="module")
def provider(tmp_path_factory) -> Iterator[str]:
    users = tmp_path_factory.mktemp("oidc") / "users.json"
    users.write_text(json.dumps(USERS), encoding="utf-8")
    proc = subprocess.Popen(
        [
            sys.executable,
            str(PROVIDER),
            "--client-id",
            CLIENT_ID,
            "--client-secret",
            CLIENT_SECRET,
            "--users",
            str(users),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("READY "), line
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def oidc(provider):
    discovery = requests.get(f"{provider}/.well-known/openid-configuration", timeout=5).json()
    oidc_module.clear_caches()
    with override_settings(
        OIDC_OP_ISSUER=provider,
        OIDC_RP_CLIENT_ID=CLIENT_ID,
        OIDC_RP_TOKEN_ENDPOINT_AUTH_METHOD="client_secret_post",
        OIDC_RP_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_OP_AUTHORIZATION_ENDPOINT=discovery["authorization_endpoint"],
        OIDC_OP_TOKEN_ENDPOINT=discovery["token_endpoint"],
        OIDC_OP_USER_ENDPOINT=discovery["userinfo_endpoint"],
        OIDC_OP_JWKS_ENDPOINT=discovery["jwks_uri"],
    ):
        yield provider
    oidc_module.clear_caches()


def _flow(client, login_as: str, **provider_params) -> object:
    """Start at Följa, 'approve' at the provider, come back to Följa's callback."""
    start = client.get("/konto/oidc/authenticate/?next=/efter/")
    assert start.status_code == 302
    authorize = start["Location"]
    assert "code_challenge=" in authorize and "nonce=" in authorize
    query = urlencode({"login_as": login_as, **provider_params})
    at_provider = requests.get(f"{authorize}&{query}", allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    back = urlparse(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def _person_with_pnr():
    return PersonFactory(personnummer="19800517-2385")


def test_a_person_logs_in_with_e_id_matched_by_personnummer(client, oidc):
    person = _person_with_pnr()
    user = make_user(Role.PERSON, person=person)
    response = _flow(client, "anna")
    assert response.status_code == 302
    assert response["Location"] == "/efter/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_representative_logs_in_with_e_id_while_a_representation_is_active(client, oidc):
    user = make_representative(PersonFactory(), personnummer="19811218-9876")
    response = _flow(client, "greta")
    assert response["Location"] == "/efter/"
    assert client.session["_auth_user_id"] == str(user.pk)

    client.logout()
    user.representations.update(active=False)
    refused = _flow(client, "greta")
    assert "_auth_user_id" not in client.session
    assert refused["Location"] != "/efter/"


def test_staff_log_in_with_siths_matched_by_hsa_id(client, oidc):
    user = make_user(Role.CASEWORKER, hsa_id="SE2321000016-ABC1")
    response = _flow(client, "kim")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_identity_unknown_to_the_city_is_refused_and_no_user_is_created(client, oidc):
    from folja.accounts.models import User

    before = User.objects.count()
    response = _flow(client, "stranger")
    assert response.status_code == 302
    assert "oidc=misslyckades" in response["Location"]
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == before


def test_an_id_token_signed_with_a_key_outside_the_jwks_is_refused(client, oidc):
    make_user(Role.PERSON, person=_person_with_pnr())
    response = _flow(client, "anna", sign_with="rogue")
    assert response.status_code == 400  # the token was checked, and a Swedish page says so
    assert "inte underskrivet på rätt sätt" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_id_token_issued_to_another_client_is_refused(client, oidc):
    make_user(Role.PERSON, person=_person_with_pnr())
    response = _flow(client, "anna", audience="another-client")
    assert response.status_code == 400  # the token was checked, and a Swedish page says so
    assert "inte avsett för Följa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_deactivated_user_cannot_log_in_with_e_id(client, oidc):
    make_user(Role.PERSON, person=_person_with_pnr(), is_active=False)
    _flow(client, "anna")
    assert "_auth_user_id" not in client.session


def test_oidc_pages_do_not_exist_when_no_provider_is_configured(client):
    assert client.get("/konto/oidc/authenticate/").status_code == 404
    assert client.get("/konto/oidc/callback/?code=x&state=y").status_code == 404


def test_password_login_works_while_oidc_is_configured(client, oidc):
    user = make_user(Role.ANALYST)
    response = client.post("/konto/login/", {"username": user.username, "password": "demo"})
    assert response.status_code == 302
    page = client.get("/konto/login/")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert page.status_code in (200, 302)
