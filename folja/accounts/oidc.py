"""e-ID (persons and their representatives, by personnummer or samordningsnummer) and SITHS
(staff, by HSA-id) through the municipality's OIDC identity provider. mozilla-django-oidc runs
the authorization-code flow; the provider's endpoints and signing keys come from its discovery
document, and the id_token's signature, issuer, audience, expiry and nonce are checked here.
Nobody is created by a login: an identity the city does not know is refused."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db.models import Q, QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView
from requests.auth import HTTPBasicAuth

from folja.accounts.backends import DEMO_REFUSED_MESSAGE, demo_login_refused, refuse_demo_login
from folja.accounts.models import Role
from folja.accounts.reauth import REAUTH_SESSION_KEY
from folja.rules.errors import InvalidPersonnummer
from folja.rules.personnummer import parse as parse_personnummer

# Names of methods and of a session key, not secrets.
CLIENT_SECRET_BASIC = "client_secret_basic"  # noqa: S105
ID_TOKEN_SESSION_KEY = "oidc_id_token"  # noqa: S105 (mozilla-django-oidc's OIDC_STORE_ID_TOKEN key)


class ProviderUnavailable(Exception):
    """The discovery document or the JWKS could not be fetched or makes no sense."""


class IdTokenRejected(SuspiciousOperation):
    """The id_token is not one this client may accept (issuer, audience, expiry, nonce)."""


class IdTokenSignatureInvalid(IdTokenRejected):
    """The id_token's signature does not verify with any of the provider's published keys."""


@dataclass(frozen=True)
class ProviderConfig:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str


_lock = threading.Lock()
_discovery: dict[str, tuple[float, dict[str, Any]]] = {}
_jwks: dict[str, tuple[float, dict[str, Any]]] = {}


def clear_caches() -> None:
    with _lock:
        _discovery.clear()
        _jwks.clear()


def oidc_configured() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID and settings.OIDC_OP_ISSUER)


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        body = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"{url}: {exc}") from exc
    if not isinstance(body, dict):
        raise ProviderUnavailable(f"{url}: not a JSON object")
    return body


def _discover(issuer: str) -> dict[str, Any]:
    now = time.monotonic()
    with _lock:
        cached = _discovery.get(issuer)
    if cached and now - cached[0] < settings.OIDC_DISCOVERY_CACHE_SECONDS:
        return cached[1]
    document = _get_json(issuer.rstrip("/") + "/.well-known/openid-configuration")
    # OpenID Connect Discovery 1.0 § 4.3: the document must be the configured issuer's own,
    # or a look-alike could hand out its endpoints (and later its tokens) in the issuer's name.
    if document.get("issuer") not in (issuer, issuer.rstrip("/")):
        raise ProviderUnavailable(
            f"discovery names issuer {document.get('issuer')!r}, configured {issuer!r}"
        )
    with _lock:
        _discovery[issuer] = (now, document)
    return document


def provider_config() -> ProviderConfig:
    """The provider's endpoints, discovered from its issuer URL on first use and cached. An
    endpoint set explicitly in the settings wins over the discovered one."""
    document = _discover(settings.OIDC_OP_ISSUER)

    def endpoint(setting: str, key: str) -> str:
        return getattr(settings, setting, "") or str(document.get(key) or "")

    config = ProviderConfig(
        issuer=str(document["issuer"]),
        authorization_endpoint=endpoint("OIDC_OP_AUTHORIZATION_ENDPOINT", "authorization_endpoint"),
        token_endpoint=endpoint("OIDC_OP_TOKEN_ENDPOINT", "token_endpoint"),
        userinfo_endpoint=endpoint("OIDC_OP_USER_ENDPOINT", "userinfo_endpoint"),
        jwks_uri=endpoint("OIDC_OP_JWKS_ENDPOINT", "jwks_uri"),
        end_session_endpoint=endpoint("OIDC_OP_LOGOUT_ENDPOINT", "end_session_endpoint"),
    )
    missing = [
        name
        for name in ("authorization_endpoint", "token_endpoint", "jwks_uri")
        if not getattr(config, name)
    ]
    if missing:
        raise ProviderUnavailable(f"discovery lacks {', '.join(missing)}")
    return config


def _jwk_for(jwks_uri: str, header: dict[str, Any]) -> jwt.PyJWK:
    """The published key the token names (kid, alg). The key set is cached; a kid it does not
    hold means the provider rolled its keys, so the set is fetched again once."""
    for attempt in range(2):
        now = time.monotonic()
        with _lock:
            cached = _jwks.get(jwks_uri)
        if cached is None or attempt == 1:
            cached = (now, _get_json(jwks_uri))
            with _lock:
                _jwks[jwks_uri] = cached
        for candidate in cached[1].get("keys") or []:
            if header.get("kid") and candidate.get("kid") != header.get("kid"):
                continue
            if candidate.get("alg") not in (None, header.get("alg")):
                continue
            if candidate.get("use") not in (None, "sig"):
                continue
            try:
                return jwt.PyJWK(candidate)
            except jwt.PyJWKError:
                continue
    raise IdTokenSignatureInvalid("no published key matches the id_token")


class FoljaOIDCBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs) -> None:
        # Django instantiates every backend on every password login too: nothing here may
        # reach the network, and an unconfigured provider must not break those logins. The
        # endpoints are filled in by authenticate(), from discovery.
        self.configured = oidc_configured()
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce: a password login that happens to carry
        # ?code=…&state=… in its URL must not set off a token request.
        if not self.configured or request is None or "nonce" not in kwargs:
            return None
        self.provider = provider_config()
        self.OIDC_OP_TOKEN_ENDPOINT = self.provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = self.provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = self.provider.jwks_uri
        return super().authenticate(request, **kwargs)

    def get_token(self, payload):
        payload = dict(payload)
        auth = None
        if settings.OIDC_RP_TOKEN_ENDPOINT_AUTH_METHOD == CLIENT_SECRET_BASIC:
            # RFC 6749 § 2.3.1: id and secret are form-encoded before going into the header.
            auth = HTTPBasicAuth(
                quote(payload.pop("client_id"), safe=""),
                quote(payload.pop("client_secret"), safe=""),
            )
        response = requests.post(
            self.OIDC_OP_TOKEN_ENDPOINT, data=payload, auth=auth, timeout=settings.OIDC_TIMEOUT
        )
        self.raise_token_response_error(response)
        return response.json()

    def verify_token(self, token, **kwargs):
        """Signature (against the provider's published keys), issuer, audience, expiry and
        nonce, as OpenID Connect Core § 3.1.3.7 lists them."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise IdTokenRejected(f"id_token is not a JWT: {exc}") from exc
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise IdTokenRejected(f"id_token algorithm {header.get('alg')!r} is not ours")
        try:
            key = _jwk_for(self.provider.jwks_uri, header)
        except ProviderUnavailable as exc:
            raise IdTokenRejected(str(exc)) from exc
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.provider.issuer,
                leeway=settings.OIDC_CLOCK_SKEW_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidSignatureError as exc:
            raise IdTokenSignatureInvalid("id_token signature does not verify") from exc
        except jwt.InvalidTokenError as exc:
            # Wrong issuer or audience, expired, malformed: refused, never a 500.
            raise IdTokenRejected(f"id_token refused: {exc}") from exc
        audience = payload["aud"]
        several = isinstance(audience, list) and len(audience) > 1
        if several and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise IdTokenRejected("id_token for several audiences without our azp")
        if "nonce" in kwargs and payload.get("nonce") != kwargs["nonce"]:
            raise IdTokenRejected("id_token nonce does not match this login")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        if not self.OIDC_OP_USER_ENDPOINT:
            return dict(payload)
        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=settings.OIDC_TIMEOUT,
        )
        response.raise_for_status()
        userinfo = response.json()
        if userinfo.get("sub") not in (None, payload.get("sub")):
            raise SuspiciousOperation("userinfo subject differs from the id_token subject")
        # The signed id_token wins over the userinfo response for every claim it carries.
        return {**userinfo, **payload}

    def verify_claims(self, claims) -> bool:
        return any(
            claims.get(name)
            for name in (
                settings.OIDC_PERSONNUMMER_CLAIM,
                settings.OIDC_COORDINATION_NUMBER_CLAIM,
                settings.OIDC_HSA_ID_CLAIM,
            )
        )

    def describe_user_by_claims(self, claims) -> str:
        return "sub {}".format(claims.get("sub", "?"))

    def _identity_number(self, claims) -> str | None:
        """The person's number, normalized: the personnummer claim, or the Swedish OIDC
        profile's coordinationNumber claim, which must then hold a samordningsnummer."""
        pnr_claim = str(claims.get(settings.OIDC_PERSONNUMMER_CLAIM) or "")
        coordination_claim = str(claims.get(settings.OIDC_COORDINATION_NUMBER_CLAIM) or "")
        try:
            if pnr_claim:
                return parse_personnummer(pnr_claim).normalized
            if coordination_claim:
                number = parse_personnummer(coordination_claim)
                return number.normalized if number.is_coordination_number else None
        except InvalidPersonnummer:
            return None
        return None

    def filter_users_by_claims(self, claims) -> QuerySet:
        users = self.UserModel.objects.filter(is_active=True)
        hsa_id = str(claims.get(settings.OIDC_HSA_ID_CLAIM) or "").strip()
        if hsa_id:
            return users.filter(hsa_id=hsa_id).exclude(role__in=[Role.PERSON])
        number = self._identity_number(claims)
        if number is None:
            return users.none()
        # The person themself, or a representative with at least one active representation
        # (a god man's access ends with the assignment, whatever the account says).
        return users.filter(
            Q(role=Role.PERSON, person__personnummer=number, person__culled_at=None)
            | Q(role=Role.REPRESENTATIVE, personnummer=number, representations__active=True)
        ).distinct()

    def get_or_create_user(self, access_token, id_token, payload):
        # The demo-account rule of every login (folja.accounts.backends), after the identity
        # is known: the callback then fails like any refused login, with the reason shown.
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is not None and demo_login_refused(user):
            messages.error(self.request, DEMO_REFUSED_MESSAGE, fail_silently=True)
            refuse_demo_login(self.request)
        return user

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return None if user is not None and demo_login_refused(user) else user

    def create_user(self, claims):
        # Belt and braces next to OIDC_CREATE_USER = False.
        raise SuspiciousOperation("unknown identity: users are never created by a login")


class FoljaOIDCRequestView(OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.OIDC_OP_AUTH_ENDPOINT = provider_config().authorization_endpoint


class FoljaOIDCCallbackView(OIDCAuthenticationCallbackView):
    def login_success(self):
        response = super().login_success()
        self.request.session[REAUTH_SESSION_KEY] = int(time.time())
        return response


def end_session_url(*, id_token: str, post_logout_redirect_uri: str) -> str | None:
    """Where to send the browser so that the provider ends its session too (OpenID Connect
    RP-Initiated Logout 1.0), or None when the provider offers no such endpoint."""
    try:
        endpoint = provider_config().end_session_endpoint
    except ProviderUnavailable:
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": post_logout_redirect_uri,
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
