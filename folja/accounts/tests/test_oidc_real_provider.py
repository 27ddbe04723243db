"""e-ID login against a real, certified third-party OpenID provider (the `oidc-provider`
package, run by Node from oidc_node/, installed by `make install`) on loopback: discovery,
the id_token's signature, issuer and audience, RP-initiated logout, the Swedish profile's
coordinationNumber claim and both client authentication methods. Nothing on the provider's
side is written by this project except its configuration and the login form that stands in
for the e-ID app."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import queue
import re
import secrets
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlparse

import pytest
import requests
from django.test import override_settings

from folja.accounts import oidc as oidc_module
from folja.accounts.models import Role
from folja.testing.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db

NODE_DIR = Path(__file__).with_name("oidc_node")
CALLBACK = "http://testserver/konto/oidc/callback/"
AFTER_LOGOUT = "http://testserver/konto/login/"
COORDINATION_CLAIM = "https://id.oidc.se/claim/coordinationNumber"
CLIENTS = {
    "client_secret_basic": ("folja-basic", "s3cret-basic-for-tests-only"),
    "client_secret_post": ("folja-post", "s3cret-post-for-tests-only"),
}
ACCOUNTS = {
    "anna": {"sub": "e-id-anna", "personal_identity_number": "198005172385"},
    "sam": {"sub": "e-id-sam", COORDINATION_CLAIM: "198005772382"},
    # A personnummer in the coordinationNumber claim: not what the profile says it holds.
    "mixed": {"sub": "e-id-mixed", COORDINATION_CLAIM: "198005172385"},
}
STARTUP_SECONDS = 30


def _provider_config() -> dict:
    return {
        "clients": [
            {
                "client_id": client_id,
                "client_secret": secret,
                "redirect_uris": [CALLBACK],
                "post_logout_redirect_uris": [AFTER_LOGOUT],
                "token_endpoint_auth_method": method,
            }
            for method, (client_id, secret) in CLIENTS.items()
        ],
        "accounts": ACCOUNTS,
    }


def _start_provider(workdir: Path) -> Iterator[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (scripts/install-system-deps.sh installs it)")
    if not (NODE_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("oidc-provider is not installed: run `make install`")
    config = workdir / "provider.json"
    config.write_text(json.dumps(_provider_config()), encoding="utf-8")
    proc = subprocess.Popen(
        [node, "server.js", "--config", str(config), "--port", "0"],
        cwd=NODE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        port = None
        while port is None:
            remaining = deadline - time.monotonic()
            assert remaining > 0 and proc.poll() is None, "the OpenID provider did not start"
            try:
                line = lines.get(timeout=min(remaining, 1.0))
            except queue.Empty:
                continue
            if line.startswith("READY "):
                port = int(line.split()[1])
        issuer = f"http://127.0.0.1:{port}"
        # Ready means: it serves its discovery document.
        while True:
            assert time.monotonic() < deadline, "no discovery document from the provider"
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.05)
        yield issuer
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def op(tmp_path_factory) -> Iterator[str]:
    yield from _start_provider(tmp_path_factory.mktemp("op"))


@pytest.fixture(scope="module")
def other_op(tmp_path_factory) -> Iterator[str]:
    """A second provider: same clients, same key id, its own key and its own issuer."""
    yield from _start_provider(tmp_path_factory.mktemp("other-op"))


def _settings(issuer: str, method: str = "client_secret_basic", **extra) -> override_settings:
    client_id, secret = CLIENTS[method]
    values = {
        "OIDC_OP_ISSUER": issuer,
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": secret,
        "OIDC_RP_TOKEN_ENDPOINT_AUTH_METHOD": method,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "",
        "OIDC_OP_TOKEN_ENDPOINT": "",
        "OIDC_OP_USER_ENDPOINT": "",
        "OIDC_OP_JWKS_ENDPOINT": "",
        "OIDC_OP_LOGOUT_ENDPOINT": "",
    }
    return override_settings(**{**values, **extra})


@pytest.fixture(autouse=True)
def _fresh_discovery() -> Iterator[None]:
    oidc_module.clear_caches()
    yield
    oidc_module.clear_caches()


@pytest.fixture
def browser() -> requests.Session:
    """The person's browser as the provider sees it: it keeps the provider's cookies."""
    return requests.Session()


def _at_provider(browser: requests.Session, url: str, login_as: str) -> tuple[str, bool]:
    """Follow the provider's redirects as a browser does, filling in its login form if it
    shows one. Returns the URL it sends the browser back to, and whether it asked."""
    asked, method, data = False, "GET", None
    for _ in range(12):
        response = browser.request(method, url, data=data, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url, method, data = urljoin(url, response.headers["Location"]), "GET", None
            if url.startswith("http://testserver/"):
                return url, asked
            continue
        form = re.search(r'<form method="post" action="([^"]+)" id="login">', response.text)
        assert response.status_code == 200 and form, (response.status_code, response.text[:500])
        asked, method, data = True, "POST", {"login": login_as}
        url = urljoin(url, html.unescape(form.group(1)))
    raise AssertionError("the provider never sent the browser back")


def _login(client, browser: requests.Session, login_as: str):
    start = client.get("/konto/oidc/authenticate/?next=/efter/")
    assert start.status_code == 302, start.status_code
    back, asked = _at_provider(browser, start["Location"], login_as)
    back_url = urlparse(back)
    return client.get(f"{back_url.path}?{back_url.query}"), asked


def _logout(client, browser: requests.Session):
    """Log out of Följa, then follow the page it shows to the provider and confirm there."""
    page = client.post("/konto/logout/")
    assert page.status_code == 200, page.status_code
    assert "_auth_user_id" not in client.session
    link = re.search(r'id="provider-logout" href="([^"]+)"', page.content.decode())
    url = html.unescape(link.group(1))
    assert "id_token_hint=" in url and "post_logout_redirect_uri=" in url
    confirm = browser.get(url, allow_redirects=False, timeout=10)
    assert confirm.status_code == 200, confirm.text[:500]
    action = re.search(r'<form[^>]*action="([^"]+)"', confirm.text).group(1)
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', confirm.text).group(1)
    done = browser.post(
        urljoin(url, html.unescape(action)),
        data={"xsrf": xsrf, "logout": "yes"},
        allow_redirects=False,
        timeout=10,
    )
    assert done.is_redirect
    return done.headers["Location"]


def _anna():
    return make_user(Role.PERSON, person=PersonFactory(personnummer="19800517-2385"))


def test_a_person_logs_in_with_only_the_issuer_configured(client, op, browser):
    user = _anna()
    with _settings(op):
        response, asked = _login(client, browser, "anna")
    assert asked
    assert response.status_code == 302 and response["Location"] == "/efter/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_discovery_document_is_fetched_once_and_cached(op, monkeypatch):
    fetched = []
    real_get = requests.get

    def counting_get(url, *args, **kwargs):
        fetched.append(url)
        return real_get(url, *args, **kwargs)

    monkeypatch.setattr(oidc_module.requests, "get", counting_get)
    with _settings(op):
        first = oidc_module.provider_config()
        second = oidc_module.provider_config()
    assert first == second and first.token_endpoint.startswith(op)
    assert first.end_session_endpoint.startswith(op)
    assert fetched == [f"{op}/.well-known/openid-configuration"]


def test_a_discovery_document_naming_another_issuer_is_refused_with_a_swedish_page(client, op):
    lookalike = op.replace("127.0.0.1", "localhost")  # same server, another issuer name
    with _settings(lookalike):
        response = client.get("/konto/oidc/authenticate/")
    assert response.status_code == 503
    assert "kan inte nå e-legitimationstjänsten" in response.content.decode()


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
def test_the_client_authenticates_with_the_configured_method(client, op, browser, method):
    user = _anna()
    with _settings(op, method):
        response, _asked = _login(client, browser, "anna")
    assert response["Location"] == "/efter/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_client_registered_for_post_fails_with_basic_and_gets_a_swedish_page(client, op, browser):
    _anna()
    with _settings(
        op, "client_secret_post", OIDC_RP_TOKEN_ENDPOINT_AUTH_METHOD="client_secret_basic"
    ):
        response, _asked = _login(client, browser, "anna")
    assert response.status_code == 502
    assert "Du är inte inloggad" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_samordningsnummer_in_the_coordination_number_claim_logs_the_person_in(
    client, op, browser
):
    user = make_user(Role.PERSON, person=PersonFactory(personnummer="19800577-2382"))
    with _settings(op):
        response, _asked = _login(client, browser, "sam")
    assert response["Location"] == "/efter/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_personnummer_in_the_coordination_number_claim_is_refused(client, op, browser):
    _anna()
    with _settings(op):
        response, _asked = _login(client, browser, "mixed")
    assert "oidc=misslyckades" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_an_id_token_from_another_issuer_is_refused(client, op, other_op, browser):
    """Mix-up: Följa expects `op`, but its endpoints lead to `other_op`, whose correctly
    signed token names itself as issuer."""
    _anna()
    other = requests.get(f"{other_op}/.well-known/openid-configuration", timeout=5).json()
    with _settings(
        op,
        OIDC_OP_AUTHORIZATION_ENDPOINT=other["authorization_endpoint"],
        OIDC_OP_TOKEN_ENDPOINT=other["token_endpoint"],
        OIDC_OP_USER_ENDPOINT=other["userinfo_endpoint"],
        OIDC_OP_JWKS_ENDPOINT=other["jwks_uri"],
    ):
        response, _asked = _login(client, browser, "anna")
    assert response.status_code == 400
    assert "inte avsett för Följa" in response.content.decode()
    assert "_auth_user_id" not in client.session


@contextmanager
def _token_endpoint_answering(body: dict) -> Iterator[str]:
    """A token endpoint that answers every request with `body`: what a man in the middle (or a
    compromised proxy) between Följa and the provider could hand back."""
    payload = json.dumps(body).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format, *args) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/token"
    finally:
        server.shutdown()
        server.server_close()


def test_an_id_token_issued_to_another_client_is_refused(client, op, browser):
    """A genuine token from the same provider, with this login's nonce, but issued to
    another client (folja-post) and slipped into Följa's (folja-basic's) token response."""
    _anna()
    discovery = requests.get(f"{op}/.well-known/openid-configuration", timeout=5).json()
    with _settings(op):
        start = urlparse(client.get("/konto/oidc/authenticate/?next=/efter/")["Location"])
    ours = parse_qs(start.query)
    verifier = secrets.token_urlsafe(48)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    other_id, other_secret = CLIENTS["client_secret_post"]
    authorize = (
        discovery["authorization_endpoint"]
        + "?"
        + urlencode(
            {
                "client_id": other_id,
                "response_type": "code",
                "scope": "openid profile",
                "redirect_uri": CALLBACK,
                "state": "theirs",
                "nonce": ours["nonce"][0],
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
    )
    back, _asked = _at_provider(browser, authorize, "anna")
    tokens = requests.post(
        discovery["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": parse_qs(urlparse(back).query)["code"][0],
            "redirect_uri": CALLBACK,
            "code_verifier": verifier,
            "client_id": other_id,
            "client_secret": other_secret,
        },
        timeout=10,
    ).json()
    assert "id_token" in tokens  # the provider did issue it, to the other client
    with (
        _token_endpoint_answering(tokens) as token_url,
        _settings(op, OIDC_OP_TOKEN_ENDPOINT=token_url),
    ):
        response = client.get(f"/konto/oidc/callback/?code=x&state={ours['state'][0]}")
    assert response.status_code == 400
    assert "inte avsett för Följa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_bad_signature_gets_a_swedish_page_not_a_500(client, op, other_op, browser):
    """The token is checked against another provider's key published under the same kid."""
    _anna()
    other = requests.get(f"{other_op}/.well-known/openid-configuration", timeout=5).json()
    with _settings(op, OIDC_OP_JWKS_ENDPOINT=other["jwks_uri"]):
        response, _asked = _login(client, browser, "anna")
    assert response.status_code == 400
    body = response.content.decode()
    assert "inte underskrivet på rätt sätt" in body
    assert "_auth_user_id" not in client.session


def test_without_logout_the_provider_session_logs_the_person_straight_back_in(client, op, browser):
    _anna()
    with _settings(op):
        _login(client, browser, "anna")
        client.logout()  # Följa's session only
        response, asked = _login(client, browser, "anna")
    assert not asked  # the provider still knew the browser
    assert response["Location"] == "/efter/"


def test_logging_out_of_folja_ends_the_e_id_session_too(client, op, browser):
    user = _anna()
    with _settings(op):
        _login(client, browser, "anna")
        assert client.session["_auth_user_id"] == str(user.pk)
        assert "_session" in browser.cookies.get_dict()
        back = _logout(client, browser)
        assert back.startswith(AFTER_LOGOUT)
        assert "_session" not in browser.cookies.get_dict()
        _response, asked = _login(client, browser, "anna")
    assert asked  # the provider asks who is logging in again
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_password_user_logs_out_with_a_plain_redirect(client, op):
    user = make_user(Role.ANALYST)
    client.force_login(user)
    with _settings(op):
        response = client.post("/konto/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_client_registered_for_basic_fails_with_post(client, op, browser):
    _anna()
    with _settings(op, OIDC_RP_TOKEN_ENDPOINT_AUTH_METHOD="client_secret_post"):
        response, _asked = _login(client, browser, "anna")
    assert response.status_code == 502
    assert "_auth_user_id" not in client.session
